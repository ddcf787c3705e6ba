import type { Report } from './build-report.ts';
import { GRADES, GRADE_LABELS } from './funnel-figures.ts';
import type { Breakdown } from './reception-figures.ts';
import type { ListName } from './report-lists.ts';
import type { TrendPoint } from './trend-figures.ts';

/** Where a figure drills down to: the list of rows behind it. */
export interface DrillDown {
  list: ListName;
  filter?: string;
}

/** One cell: its value, and the list behind it when it is a count of rows one can open. */
export interface Cell {
  v: string | number | null;
  drill?: DrillDown;
}

/** A table of a report, as the page shows it and the exports write it (column names in Chinese). */
export interface ReportTable {
  /** Short name: the sheet name in an XLSX (≤ 31 characters). */
  name: string;
  title: string;
  columns: string[];
  rows: Cell[][];
}

/** A share as staff read it: `66.7%`, or `—`. */
export const percent = (share: number | null): string => (share === null ? '—' : `${(Math.round(share * 1000) / 10).toFixed(1)}%`);
/** A score to one decimal, or `—`. */
export const score = (value: number | null): string => (value === null ? '—' : value.toFixed(1));
/** A change from the previous period as a number (a text `+2` would read as a formula in a spreadsheet), or `—`. */
const change = (value: number | null | undefined, digits = 0): number | string => (value === null || value === undefined ? '—' : Number(value.toFixed(digits)));

const c = (v: string | number | null, drill?: DrillDown): Cell => (drill ? { v, drill } : { v });
const row = (label: string, value: string | number | null, drill?: DrillDown): Cell[] => [c(label), c(value, drill)];
const lines = (items: Breakdown[], drill?: (key: string) => DrillDown): Cell[][] => items.map((i) => [c(i.label), c(i.count, drill?.(i.key))]);

function overview(r: Report): ReportTable {
  const { reception: rc, callbacks: cb, funnel: fn, deliveries: dv, complaints: cp } = r;
  return {
    name: '概览', title: '概览', columns: ['指标', '数值'],
    rows: [
      row('登记人数', rc.registrations, { list: 'registrations' }),
      ...(rc.walkInParties === null ? [] : [row('进店组数（前台计数）', rc.walkInParties), row(`留存率（目标 ${percent(rc.retentionTarget)}）`, percent(rc.retentionRate))]),
      row('新客户', rc.newCustomers, { list: 'leads' }),
      row('回访发送', cb.sent, { list: 'surveys' }),
      row('回访回复率', percent(cb.answerRate)),
      row('平均分', score(cb.scores.average)),
      row('NPS', cb.scores.nps),
      row('低于8分', cb.scores.belowEight, { list: 'surveys', filter: 'low' }),
      row('召回工单（超时）', `${cb.recalls.opened}（${cb.recalls.overdue}）`, { list: 'recalls' }),
      row('订单', dv.orders, { list: 'orders' }),
      row('交车', dv.handovers, { list: 'handovers' }),
      row('转化率（本期新线索）', percent(fn.conversionRate)),
      row('战败', fn.lost, { list: 'lost' }),
      row('投诉（30分钟内接单）', `${cp.opened}（${cp.takenInTime}）`, { list: 'complaints' }),
    ],
  };
}

function reception(r: Report): ReportTable {
  const rc = r.reception;
  const section = (title: string, items: Breakdown[]) => [[c(`— ${title} —`), c(null)], ...lines(items)];
  return {
    name: '接待登记', title: '接待与登记', columns: ['项目', '数量'],
    rows: [
      row('登记人数', rc.registrations, { list: 'registrations' }),
      row('其中：新客户', rc.newCustomers, { list: 'leads' }),
      row('其中：再次到店', rc.returningCustomers),
      ...(rc.walkInParties === null ? [] : [row('进店组数', rc.walkInParties), row('留存率', percent(rc.retentionRate))]),
      row('发放礼品券', rc.vouchersIssued),
      row('核销礼品券', rc.vouchersRedeemed),
      ...(rc.giftStockLeft === null ? [] : [row('礼品剩余库存（当前）', rc.giftStockLeft)]),
      ...section('按二维码来源', rc.bySource),
      ...section('按渠道', rc.byChannel),
      ...section('按了解渠道', rc.byHeardFrom),
    ],
  };
}

function callbacks(r: Report): ReportTable {
  const cb = r.callbacks;
  return {
    name: '满意度回访', title: '满意度回访', columns: ['项目', '数值'],
    rows: [
      row('应回访（计划发送）', cb.due),
      row('已发送', cb.sent, { list: 'surveys' }),
      row('已回复', cb.answered, { list: 'surveys', filter: 'answered' }),
      row('待回复', cb.awaiting, { list: 'surveys', filter: 'awaiting' }),
      row('已过期', cb.expired, { list: 'surveys', filter: 'expired' }),
      row('客户拒绝', cb.declined),
      row('转人工', cb.handedToStaff),
      row('回复率', percent(cb.answerRate)),
      row('平均分', score(cb.scores.average)),
      row('NPS', cb.scores.nps),
      row('低于8分', cb.scores.belowEight, { list: 'surveys', filter: 'low' }),
      ...([10, 9, 8, 7, 6, 5, 4, 3, 2, 1] as const).map((s) => row(`${s}分`, cb.scores.distribution[s])),
      [c('— 低分环节 —'), c(null)],
      ...lines(cb.lowScoreFactors),
      [c('— 召回工单 —'), c(null)],
      row('新开召回', cb.recalls.opened, { list: 'recalls' }),
      row('按时结案（48小时内）', cb.recalls.closedInTime),
      row('超时结案', cb.recalls.closedLate),
      row('未结案且已超时', cb.recalls.overdue, { list: 'recalls', filter: 'overdue' }),
      row('处理中（未超时）', cb.recalls.open),
    ],
  };
}

function consultants(r: Report): ReportTable {
  const { rows, benchmarkMinResponses } = r.consultants;
  return {
    name: '销售顾问', title: `销售顾问（排名按回访平均分；标杆：全部10分且至少 ${benchmarkMinResponses} 份回复）`,
    columns: ['排名', '顾问', '跟进次数', '应跟进（每日最低×工作日）', '逾期线索（当前）', '级别变化', '新线索', '成交', '转化率', '订单', '回访', '回复', '平均分', 'NPS', '低于8分', '标杆', '跟进较上期', '订单较上期', '平均分较上期', '名次较上期（正数为上升）'],
    rows: rows.map((x) => [
      c(x.rank), c(x.name),
      c(x.followUps, { list: 'followups', filter: `staff:${x.staffId}` }), c(x.followUpsExpected), c(x.overdueLeads, { list: 'overdue', filter: `staff:${x.staffId}` }), c(x.gradeChanges),
      c(x.newLeads, { list: 'leads', filter: `staff:${x.staffId}` }), c(x.converted), c(percent(x.conversionRate)), c(x.orders),
      c(x.surveysSent, { list: 'surveys', filter: `staff:${x.staffId}` }), c(x.responses), c(score(x.average)), c(x.nps), c(x.belowEight), c(x.isBenchmark ? '标杆' : ''),
      c(change(x.change?.followUps)), c(change(x.change?.orders)), c(change(x.change?.average, 1)), c(change(x.change?.rank)),
    ]),
  };
}

function funnel(r: Report): ReportTable {
  const fn = r.funnel;
  return {
    name: '销售漏斗', title: '销售漏斗（本期首次到店的线索，按当前级别）', columns: ['项目', '数量'],
    rows: [
      row('新线索', fn.registered, { list: 'leads' }),
      row('已定级（H/A/B/C 及以后）', fn.graded),
      ...GRADES.map((g) => row(GRADE_LABELS[g], fn.byGrade[g], { list: 'leads', filter: `grade:${g}` })),
      row('订车（O+D）', fn.ordered),
      row('交车（D）', fn.delivered),
      row('转化率', percent(fn.conversionRate)),
      [c('— 按来源转化 —'), c(null)],
      ...fn.bySource.map((s) => row(s.label, `${s.ordered}/${s.leads}（${percent(s.rate)}）`)),
      [c('— 战败（本期批准） —'), c(null)],
      row('战败合计', fn.lost, { list: 'lost' }),
      ...lines(fn.lostByLevel),
      [c('— 战败原因 —'), c(null)],
      ...lines(fn.lostByReason),
      [c('— 流向竞品车型 —'), c(null)],
      ...lines(fn.lostToCompetitor),
      row('提请转交（久未成交）', fn.staleFlagged),
      row('转入营销池', fn.pooled),
    ],
  };
}

function deliveries(r: Report): ReportTable {
  const dv = r.deliveries;
  return {
    name: '订单交车', title: '订单与交车', columns: ['项目', '数值'],
    rows: [
      row('新订单', dv.orders, { list: 'orders' }), row('交车', dv.handovers, { list: 'handovers' }), row('取消订单', dv.cancelled),
      row('交车前提醒已发送', dv.remindersSent), row('交车回访发送', dv.surveysSent), row('交车回访回复', dv.surveysAnswered),
      row('交车回访平均分', score(dv.surveyAverage)), row('交车回访低于8分', dv.surveyBelowEight), row('本期到期首保', dv.firstServicesDue),
    ],
  };
}

function complaints(r: Report): ReportTable {
  const cp = r.complaints;
  return {
    name: '投诉', title: '客户投诉', columns: ['项目', '数量'],
    rows: [
      row('新投诉', cp.opened, { list: 'complaints' }), row('30分钟内接单', cp.takenInTime), row('及时接单率', percent(cp.takenInTimeRate)),
      row('已结案', cp.closed), row('未结案', cp.open, { list: 'complaints', filter: 'open' }),
      [c('— 按类别 —'), c(null)], ...lines(cp.byCategory),
    ],
  };
}

function messages(r: Report): ReportTable | null {
  const m = r.messages;
  if (!m) return null;
  return {
    name: '消息', title: '消息发送（本期产生的消息，按当前状态）', columns: ['项目', '数量'],
    rows: [
      row('产生', m.made), row('已发送', m.sent), row('等待发送', m.waiting), row('发送失败（dead）', m.dead), row('结果未知（unknown）', m.unknown),
      row('已过期', m.expired), row('已取消', m.cancelled), row('当前因免打扰时段暂缓', m.heldForQuietHours), row('转为顾问任务', m.handedToConsultants),
    ],
  };
}

/** The trend as a table: one row per period. */
export function trendTable(trend: readonly TrendPoint[]): ReportTable {
  return {
    name: '趋势', title: '趋势', columns: ['期间', '登记', '进店组数', '留存率', '回访发送', '回复率', '平均分', '跟进', '订单', '交车', '投诉'],
    rows: trend.map((p) => [p.label, p.registrations, p.walkInParties, percent(p.retentionRate), p.surveysSent, percent(p.answerRate), score(p.averageScore), p.followUps, p.orders, p.handovers, p.complaints].map((v) => c(v))),
  };
}

/** Every table of a report, in page order (the trend last). */
export function reportTables(report: Report, trend: readonly TrendPoint[]): ReportTable[] {
  return [overview(report), reception(report), callbacks(report), consultants(report), funnel(report), deliveries(report), complaints(report), messages(report), trendTable(trend)]
    .filter((t): t is ReportTable => t !== null);
}
