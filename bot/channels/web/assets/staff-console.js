// The web staff console: sends a command, shows the reply. Text only ever goes in with textContent.
(() => {
  const list = document.getElementById('messages');
  const composer = document.getElementById('composer');
  const input = document.getElementById('text');
  let queue = Promise.resolve();

  function bubble(kind, text) {
    const li = document.createElement('li');
    li.className = kind;
    li.textContent = text;
    list.append(li);
    window.scrollTo(0, document.documentElement.scrollHeight);
  }

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    bubble('me', text);
    queue = queue.then(async () => {
      try {
        const response = await fetch('/admin/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
        const data = await response.json().catch(() => ({}));
        bubble('bot', response.ok ? data.reply : (data.fields && data.fields.text) || '发送失败，请重试。');
      } catch {
        bubble('bot', '网络异常，请重试。');
      }
    });
  });
})();
