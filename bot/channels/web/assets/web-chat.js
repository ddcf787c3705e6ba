// The web chat: shows the bot's replies (buttons for choices) and sends what the customer types.
// Text is always inserted with textContent, never as HTML.
(() => {
  const chat = document.getElementById('chat');
  const list = document.getElementById('messages');
  const composer = document.getElementById('composer');
  const input = document.getElementById('text');
  const { source, lang } = chat.dataset;

  function bubble(kind, text) {
    const li = document.createElement('li');
    li.className = kind;
    li.textContent = text;
    list.append(li);
    return li;
  }

  // To the end of the page, once a reply is fully drawn (choices included): the newest message
  // then sits above the composer instead of under it.
  function scrollToEnd() {
    window.scrollTo(0, document.documentElement.scrollHeight);
  }

  function showReplies(replies) {
    list.querySelectorAll('.choices').forEach((el) => el.remove());
    for (const reply of replies) {
      const li = bubble(reply.kind === 'voucher' ? 'bot voucher' : 'bot', reply.text);
      if (reply.kind === 'voucher') {
        li.dataset.voucherCode = reply.voucherCode;
        const code = document.createElement('p');
        code.className = 'voucher-code';
        code.textContent = `${reply.voucherCode.slice(0, 4)}-${reply.voucherCode.slice(4)}`;
        li.append(code);
      }
      if (reply.choices && reply.choices.length) {
        const box = document.createElement('div');
        box.className = 'choices';
        for (const choice of reply.choices) {
          const b = document.createElement('button');
          b.type = 'button';
          b.textContent = choice.label;
          b.addEventListener('click', () => send(choice.value, choice.label));
          box.append(b);
        }
        li.append(box);
      }
    }
    scrollToEnd();
  }

  // Each message gets an id of its own, so a request the browser sends again counts once.
  // (crypto.randomUUID needs https; the showroom's Wi-Fi address is plain http.)
  function messageId() {
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function post(path, body) {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((data.fields && Object.values(data.fields)[0]) || data.error || 'error');
    return data.replies || [];
  }

  // One request at a time, in the order the customer sent them: the bot answers each message
  // against the state the previous one left.
  let queue = Promise.resolve();

  // While a message is on its way the shown choices are stale: a second tap (a double-tap on a
  // slow network) would otherwise also answer the next question.
  function setChoicesEnabled(enabled) {
    list.querySelectorAll('.choices button').forEach((b) => { b.disabled = !enabled; });
  }

  function send(text, shown) {
    bubble('me', shown || text);
    scrollToEnd();
    setChoicesEnabled(false);
    const id = messageId();
    queue = queue.then(async () => {
      try {
        showReplies(await post('/api/chat/messages', { text, lang, messageId: id }));
      } catch {
        setChoicesEnabled(true);
        bubble('bot error', chat.dataset.genericError);
        scrollToEnd();
      }
    });
  }

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
  });

  // Messages the outbox delivered to this chat (thank-you, reminders), polled every few seconds.
  let lastPushed = 0;
  async function poll() {
    try {
      const response = await fetch(`/api/chat/messages?after=${lastPushed}`);
      const data = response.ok ? await response.json() : { messages: [] };
      for (const { id, message } of data.messages) {
        lastPushed = Math.max(lastPushed, id);
        const li = bubble('bot pushed', message.text);
        li.dataset.pushedId = String(id);
      }
      if (data.messages.length) scrollToEnd();
    } catch {
      // Offline for a moment: the next poll catches up from lastPushed.
    }
    setTimeout(poll, Number(chat.dataset.pollMs) || 3000);
  }

  queue = post('/api/chat/start', { source, lang, messageId: messageId() })
    .then(showReplies, () => { bubble('bot error', chat.dataset.genericError); scrollToEnd(); })
    .then(poll);
})();
