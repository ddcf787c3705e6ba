// The customer import page: sends the chosen file as it is, then shows the import's progress
// and, when it ends, the summary and every bad row and column (as text, never as markup).
(() => {
  const form = document.getElementById('import-form');
  const status = document.getElementById('import-status');
  const bar = document.getElementById('import-progress');
  const phase = document.getElementById('import-phase');
  const result = document.getElementById('import-result');
  const PHASES = { reading: '读取文件', checking: '检查', writing: '写入', done: '完成' };

  function show(text, ok) {
    const p = document.createElement('p');
    p.className = `flash ${ok ? 'ok' : 'err'}`;
    p.textContent = text;
    result.append(p);
  }

  function problems(outcome) {
    const lines = [...outcome.fileProblems.map((text) => ['文件', '', text]), ...outcome.problems.map((p) => [`第 ${p.line} 行`, p.column || '', p.problem])];
    if (lines.length === 0) return;
    const table = document.createElement('table');
    table.className = 'import-problems';
    const head = table.createTHead().insertRow();
    for (const title of ['行', '列', '问题']) head.append(Object.assign(document.createElement('th'), { textContent: title }));
    const body = table.createTBody();
    for (const cells of lines) {
      const row = body.insertRow();
      for (const text of cells) row.insertCell().textContent = text;
    }
    result.append(table);
  }

  async function poll(job) {
    const response = await fetch(`/admin/customers/import/jobs/${encodeURIComponent(job)}`, { headers: { accept: 'application/json' } });
    const data = await response.json();
    if (!response.ok) return show(data.error || '无法查看导入进度。', false);
    const { progress } = data;
    bar.max = Math.max(progress.total, 1);
    bar.value = progress.phase === 'done' ? bar.max : progress.done;
    phase.textContent = `${PHASES[progress.phase] || ''} ${progress.total ? `${progress.done}/${progress.total}` : ''}`;
    if (!data.finished) {
      setTimeout(() => poll(job), 500);
      return undefined;
    }
    form.querySelector('button').disabled = false;
    if (data.error) return show(data.error, false);
    show(data.summary, data.outcome.status !== 'refused');
    problems(data.outcome);
    return undefined;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = form.elements.file.files[0];
    if (!file) return;
    result.replaceChildren();
    status.hidden = false;
    form.querySelector('button').disabled = true;
    const params = new URLSearchParams({ file: file.name });
    if (form.elements.skipBad.checked) params.set('skipBad', '1');
    if (form.elements.dryRun.checked) params.set('dryRun', '1');
    const response = await fetch(`/admin/customers/import?${params}`, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' } });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      form.querySelector('button').disabled = false;
      show(data.error || `上传失败（${response.status}）`, false);
      return;
    }
    poll(data.job);
  });
})();
