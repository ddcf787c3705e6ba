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
    li.scrollIntoView({ block: 'end' });
    return li;
  }

  function showReplies(replies) {
    list.querySelectorAll('.choices').forEach((el) => el.remove());
    for (const reply of replies) {
      const li = bubble(reply.kind === 'voucher' ? 'bot voucher' : 'bot', reply.text);
      if (reply.kind === 'voucher') li.dataset.voucherCode = reply.voucherCode;
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
  }

  async function post(path, body) {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((data.fields && Object.values(data.fields)[0]) || data.error || 'error');
    return data.replies || [];
  }

  async function send(text, shown) {
    bubble('me', shown || text);
    try {
      showReplies(await post('/api/chat/messages', { text, lang }));
    } catch {
      bubble('bot error', chat.dataset.genericError);
    }
  }

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
  });

  post('/api/chat/start', { source, lang }).then(showReplies, () => bubble('bot error', chat.dataset.genericError));
})();
