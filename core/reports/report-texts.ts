import type { Report } from './build-report.ts';
import { percent, score } from './report-tables.ts';

/** The chat summaries' names: 日报, 周报, 月报. */
export const SUMMARY_NAMES = { day: '日报', week: '周报', month: '月报' } as const;
export type SummaryKind = keyof typeof SUMMARY_NAMES;

/** How many consultants the week's and month's ranking names. */
const RANKED = 3;

/**
 * The short chat text of a report (plain Chinese, staff names and figures only, no customer
 * data): reception, callbacks, follow-ups, leads, complaints and messages, the ranking for a
 * week or a month, and the link to the page. (The 月报 adds the month's satisfaction summary with
 * its benchmark: see report-summary-job.ts.)
 */
export function summaryText(kind: SummaryKind, report: Report, storeName: string, link: string): string {
  const { reception: rc, callbacks: cb, consultants, funnel: fn, deliveries: dv, complaints: cp, messages: m } = report;
  const lines = [`【${SUMMARY_NAMES[kind]}】${report.periodLabel} · ${storeName}`];
  const parties = rc.walkInParties === null ? '' : `，进店 ${rc.walkInParties} 组，留存率 ${percent(rc.retentionRate)}（目标 ${percent(rc.retentionTarget)}）`;
  lines.push(`接待：登记 ${rc.registrations} 人（新客户 ${rc.newCustomers}）${parties}`);
  lines.push(`回访：发送 ${cb.sent}，回复 ${cb.answered}（${percent(cb.answerRate)}），平均 ${score(cb.scores.average)} 分，低于8分 ${cb.scores.belowEight}；召回新开 ${cb.recalls.opened}，超时未结 ${cb.recalls.overdue}`);
  const followUps = consultants.rows.reduce((n, r) => n + r.followUps, 0);
  const behind = consultants.rows.filter((r) => r.followUps < r.followUpsExpected);
  lines.push(`跟进：共 ${followUps} 次${behind.length > 0 ? `；未达每日最低：${behind.map((r) => `${r.name} ${r.followUps}/${r.followUpsExpected}`).join('、')}` : ''}；逾期线索 ${consultants.rows.reduce((n, r) => n + r.overdueLeads, 0)}`);
  lines.push(`线索：新线索 ${fn.registered}，订车 ${dv.orders}，交车 ${dv.handovers}，战败 ${fn.lost}`);
  lines.push(`投诉：新投诉 ${cp.opened}，30分钟内接单 ${cp.takenInTime}，未结案 ${cp.open}`);
  if (m && (m.dead > 0 || m.unknown > 0)) lines.push(`消息：发送失败 ${m.dead}，结果未知 ${m.unknown}（请到消息发送队列处理）`);
  if (kind !== 'day') {
    const ranked = consultants.rows.filter((r) => r.rank !== null).slice(0, RANKED);
    if (ranked.length > 0) lines.push(`回访排名：${ranked.map((r) => `${r.rank}. ${r.name} ${score(r.average)}分`).join('　')}`);
  }
  lines.push(`详情：${link}`);
  return lines.join('\n');
}
