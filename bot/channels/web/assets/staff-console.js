// The web staff console: sends a command and shows the reply; polls the staff messages the
// outbox delivered here (digests, nudges, alerts). Text only ever goes in with textContent.
(() => {
  const list = document.getElementById('messages');
  const composer = document.getElementById('composer');
  const input = document.getElementById('text');
  const POLL_MS = Number(document.getElementById('console').dataset.pollMs) || 3000;
  let queue = Promise.resolve();
  let lastId = null;

  function bubble(kind, text) {
    const li = document.createElement('li');
    li.className = kind;
    li.textContent = text;
    list.append(li);
    window.scrollTo(0, document.documentElement.scrollHeight);
  }

  async function poll() {
    try {
      const url = lastId === null ? '/admin/console/messages' : `/admin/console/messages?after=${lastId}`;
      const response = await fetch(url);
      if (response.ok) {
        const data = await response.json();
        for (const item of data.messages) {
          bubble('bot pushed', item.message.text);
          lastId = item.id;
        }
        if (lastId === null) lastId = 0;
      }
    } catch {
      // Offline for a moment: the next poll catches up, since the server keeps the messages.
    }
    setTimeout(poll, POLL_MS);
  }

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    bubble('me', text);
    // An id of its own, so a request the browser sends again runs the command once.
    const messageId = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    queue = queue.then(async () => {
      try {
        const response = await fetch('/admin/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, messageId }) });
        const data = await response.json().catch(() => ({}));
        if (response.ok && !data.reply) return; // the same message again: answered the first time
        bubble('bot', response.ok ? data.reply : (data.fields && data.fields.text) || '发送失败，请重试。');
      } catch {
        bubble('bot', '网络异常，请重试。');
      }
    });
  });

  poll();
})();
