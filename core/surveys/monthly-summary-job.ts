import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import { enqueueIntent } from '../outbox/enqueue-intent.ts';
import type { CalendarJob } from '../scheduler/calendar-job.ts';
import { monthlyConsultantScores, previousMonth, type MonthlyConsultantScores, type ScoreOptions } from './consultant-scores.ts';

const DAY_MS = 24 * 3600_000;
/** A summary missed while the bot was down is still worth sending within this long of the 1st. */
export const MONTHLY_SUMMARY_GRACE_MS = 3 * DAY_MS;
/** A queued summary not delivered within this long (e.g. no channel reaches a manager) expires. */
export const MONTHLY_SUMMARY_STALE_MS = 7 * DAY_MS;
/** How many factors the summary names at most. */
const TOP_FACTORS = 3;

const percent = (share: number | null): string => (share === null ? '—' : `${(Math.round(share * 1000) / 10).toFixed(1)}%`);
const score = (average: number | null): string => (average === null ? '—' : average.toFixed(1));
const nps = (value: number | null): string => (value === null ? '—' : String(value));

/**
 * The managers' monthly text (plain, Chinese): store totals, one line per consultant, the
 * benchmark(s) and the most frequent factors of low scores. Only staff names and figures; no
 * customer data.
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

/**
 * On the 1st at 09:00 store time: computes the previous month's consultant scores and queues
 * the summary to every active manager of the store as a STAFF message. Keys
 * `monthly-summary:<store>:<YYYY-MM>:<staff>`, so a second run for the same month is a no-op.
 * A slot missed while down is caught up within a few days.
 */
export function monthlySummaryJob(db: Database, clock: Clock, logger: Logger, store: { id: string; timeZone: string }, options: ScoreOptions = {}): CalendarJob {
  return {
    name: `monthly-summary:${store.id}`, cron: '0 9 1 * *', timeZone: store.timeZone, missed: 'catch-up', graceMs: MONTHLY_SUMMARY_GRACE_MS,
    async run(slot) {
      const month = previousMonth(slot, store.timeZone);
      const { name: storeName } = await db.store.findUniqueOrThrow({ where: { id: store.id }, select: { name: true } });
      const scores = await monthlyConsultantScores(db, store.id, month, store.timeZone, options);
      const text = monthlySummaryText(scores, storeName);
      const managers = await db.staff.findMany({ where: { storeId: store.id, role: 'MANAGER', active: true }, select: { id: true }, orderBy: { createdAt: 'asc' } });
      const sendAt = new Date(Math.max(slot.getTime(), clock.now().getTime()));
      let queued = 0;
      await db.$transaction(async (tx) => {
        for (const manager of managers) {
          if (await enqueueIntent(tx, {
            dedupeKey: `monthly-summary:${store.id}:${month}:${manager.id}`, storeId: store.id, staffId: manager.id, purpose: 'STAFF',
            kind: 'monthly_summary', message: { kind: 'text', text }, sendAt, expiresAt: new Date(sendAt.getTime() + MONTHLY_SUMMARY_STALE_MS),
          })) queued += 1;
        }
      });
      logger.info({ storeId: store.id, month, managers: managers.length, queued, benchmarks: scores.benchmarks.length }, 'monthly summary queued');
    },
  };
}
