// The H5 registration form: sends JSON to /api/registrations and shows the voucher or what to fix.
// Everything the customer typed is put on the page with textContent, never as HTML.
(() => {
  const form = document.getElementById('registration');
  const result = document.getElementById('result');
  const formError = document.getElementById('form-error');
  const button = form.querySelector('button[type=submit]');
  const buttonText = button.textContent;
  const lang = new URLSearchParams(location.search).get('lang');

  function collect() {
    const data = new FormData(form);
    return {
      source: form.dataset.source,
      name: String(data.get('name') || ''),
      phone: String(data.get('phone') || ''),
      ...(data.has('phoneCode') ? { phoneCode: String(data.get('phoneCode') || '').trim() } : {}),
      modelOfInterest: String(data.get('modelOfInterest') || ''),
      heardFrom: data.get('heardFrom') === null ? undefined : String(data.get('heardFrom')),
      companions: data.getAll('companions').map(String),
      serviceConsent: data.get('serviceConsent') === 'on',
      marketingConsent: data.get('marketingConsent') === 'on',
    };
  }

  function clearErrors() {
    form.querySelectorAll('[data-error-for]').forEach((el) => { el.hidden = true; el.textContent = ''; });
    formError.hidden = true;
  }

  function showFieldErrors(fields) {
    let first = null;
    for (const field of Object.keys(fields)) {
      const el = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
      if (!el) continue;
      el.textContent = el.dataset.hint;
      el.hidden = false;
      first = first || el;
    }
    if (!first) { formError.textContent = form.dataset.genericError; formError.hidden = false; first = formError; }
    first.scrollIntoView({ block: 'center' });
  }

  function showResult(status, body) {
    form.hidden = true;
    result.replaceChildren();
    const title = document.createElement('h2');
    title.textContent = form.dataset.voucherTitle;
    result.append(title);
    if (body.voucherCode) {
      if (status === 200) { const p = document.createElement('p'); p.textContent = form.dataset.already; result.append(p); }
      const code = document.createElement('p');
      code.className = 'voucher-code';
      code.id = 'voucher-code';
      code.textContent = `${body.voucherCode.slice(0, 4)}-${body.voucherCode.slice(4)}`;
      const hint = document.createElement('p');
      hint.textContent = form.dataset.voucherHint;
      result.append(code, hint);
    } else {
      const p = document.createElement('p');
      p.textContent = body.voucher === 'confirm_at_desk' ? form.dataset.atDesk : form.dataset.outOfStock;
      result.append(p);
    }
    result.hidden = false;
  }

  // SMS one-time code (when the store offers it): ask for one, then wait before asking again.
  const sendCode = document.getElementById('send-code');
  const codeStatus = document.getElementById('code-status');
  if (sendCode) {
    const label = sendCode.textContent;
    const countDown = (seconds) => {
      sendCode.disabled = true;
      const tick = () => {
        if (seconds <= 0) { sendCode.disabled = false; sendCode.textContent = label; return; }
        sendCode.textContent = `${seconds}${sendCode.dataset.resendIn}`;
        seconds -= 1;
        setTimeout(tick, 1000);
      };
      tick();
    };
    sendCode.addEventListener('click', async () => {
      clearErrors();
      const phone = String(new FormData(form).get('phone') || '');
      const response = await fetch('/api/phone-codes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, source: form.dataset.source }) }).catch(() => null);
      const body = response ? await response.json().catch(() => ({})) : {};
      if (response && response.status === 202) {
        codeStatus.textContent = sendCode.dataset.sent;
        codeStatus.hidden = false;
        countDown(body.resendAfterSeconds || 60);
      } else if (response && response.status === 400 && body.fields) showFieldErrors(body.fields);
      else if (response && response.status === 429) { countDown(Number(response.headers.get('retry-after')) || 60); formError.textContent = body.error || form.dataset.genericError; formError.hidden = false; }
      else { formError.textContent = body.error || form.dataset.genericError; formError.hidden = false; }
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    button.disabled = true;
    button.textContent = form.dataset.submitting;
    try {
      // `w`: a personal link's binding (WeCom), checked by the server.
      const query = new URLSearchParams();
      if (lang) query.set('lang', lang);
      const binding = new URLSearchParams(location.search).get('w');
      if (binding) query.set('w', binding);
      const response = await fetch(`/api/registrations${query.size > 0 ? `?${query}` : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(collect()),
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 200 || response.status === 201) showResult(response.status, body);
      else if (response.status === 400 && body.fields) showFieldErrors(body.fields);
      else if (response.status === 429) { formError.textContent = body.error || form.dataset.genericError; formError.hidden = false; }
      else { formError.textContent = form.dataset.genericError; formError.hidden = false; }
    } catch {
      formError.textContent = form.dataset.genericError;
      formError.hidden = false;
    } finally {
      button.disabled = false;
      button.textContent = buttonText;
    }
  });
})();
