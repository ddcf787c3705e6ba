import type { MonthlyConsultantScores } from './consultant-scores.ts';

/** How many factors the summary names at most. */
const TOP_FACTORS = 3;

const percent = (share: number | null): string => (share === null ? '—' : `${(Math.round(share * 1000) / 10).toFixed(1)}%`);
const score = (average: number | null): string => (average === null ? '—' : average.toFixed(1));
const nps = (value: number | null): string => (value === null ? '—' : String(value));

/**
 * The month's satisfaction summary (plain, Chinese): store totals, one line per consultant, the
 * benchmark(s) and the most frequent factors of low scores. Only staff names and figures; no
 * customer data. The 月报 carries it (core/reports/report-summary-job.ts).
 */
export function monthlySummaryText(scores: MonthlyConsultantScores, storeName: string): string {
  const [year, month] = scores.month.split('-');
  const s = scores.store;
  const lines = [`【月度满意度回访汇总】${year}年${Number(month)}月 · ${storeName}`];
  if (s.surveysSent === 0) {
    lines.push('本月无回访数据。');
  } else {
    lines.push(`全店：回访 ${s.surveysSent}，回复 ${s.responses}（回复率 ${percent(s.responseRate)}），平均 ${score(s.average)} 分，NPS ${nps(s.nps)}，低于8分 ${s.belowEight}`);
  }
  if (scores.consultants.length > 0) {
    lines.push('顾问：');
    for (const c of scores.consultants) {
      lines.push(`· ${c.name}：回复 ${c.responses}/${c.surveysSent}，平均 ${score(c.average)}，NPS ${nps(c.nps)}，低于8分 ${c.belowEight}`);
    }
  }
  lines.push(
    scores.benchmarks.length > 0
      ? `本月标杆：${scores.benchmarks.map((b) => b.name).join('、')}（全部10分，至少 ${scores.benchmarkMinResponses} 份回复）`
      : '本月无标杆',
  );
  const top = scores.factors.filter((f) => f.count > 0).sort((a, b) => b.count - a.count).slice(0, TOP_FACTORS);
  const unnamed = scores.lowScoresWithoutFactor > 0 ? `${top.length > 0 ? '；' : ''}未注明环节 ${scores.lowScoresWithoutFactor}` : '';
  lines.push(`主要扣分环节：${top.length === 0 && unnamed === '' ? '无' : top.map((f) => `${f.label} ${f.count}`).join('、') + unnamed}`);
  return lines.join('\n');
}
