// The report page's charts (Chart.js, served by this server from node_modules). The figures come
// from the page's JSON data block; each canvas gets one chart. No inline script: the CSP allows none.
(function () {
  'use strict';
  var source = document.getElementById('report-data');
  if (!source || typeof Chart === 'undefined') return;
  var data = JSON.parse(source.textContent || '{}');
  var colors = ['#0b5cad', '#d97706', '#127a3a', '#b42318', '#7c3aed', '#0891b2', '#64748b', '#db2777'];
  Chart.defaults.font.family = '-apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) canvas.chart = new Chart(canvas, config);
  }
  function line(label, values, color, axis) {
    return { label: label, data: values, borderColor: color, backgroundColor: color, spanGaps: true, tension: 0, yAxisID: axis || 'y' };
  }

  var t = data.trend;
  draw('trend-chart', {
    type: 'line',
    data: { labels: t.labels, datasets: [line('登记', t.registrations, colors[0]), line('跟进', t.followUps, colors[1]), line('订单', t.orders, colors[2]), line('投诉', t.complaints, colors[3])] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  draw('rate-chart', {
    type: 'line',
    data: { labels: t.labels, datasets: [line('留存率 %', t.retentionRate, colors[0]), line('回复率 %', t.answerRate, colors[1]), line('平均分', t.averageScore, colors[2], 'score')] },
    options: { scales: { y: { beginAtZero: true, suggestedMax: 100 }, score: { position: 'right', min: 0, max: 10, grid: { drawOnChartArea: false } } } },
  });
  draw('score-chart', {
    type: 'bar',
    data: { labels: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], datasets: [{ label: '回复数', data: data.distribution, backgroundColor: data.distribution.map(function (_, i) { return i < 7 ? colors[3] : i < 8 ? colors[1] : colors[2]; }) }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  draw('funnel-chart', {
    type: 'bar',
    data: { labels: data.funnel.labels, datasets: [{ label: '线索', data: data.funnel.values, backgroundColor: colors[0] }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  draw('source-chart', {
    type: 'doughnut',
    data: { labels: data.heardFrom.labels, datasets: [{ data: data.heardFrom.values, backgroundColor: colors }] },
  });
  draw('complaint-chart', {
    type: 'bar',
    data: { labels: data.complaints.labels, datasets: [{ label: '投诉', data: data.complaints.values, backgroundColor: colors[3] }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  document.body.setAttribute('data-charts-ready', String(document.querySelectorAll('canvas').length));
})();
