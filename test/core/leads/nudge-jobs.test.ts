import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endOfDayMinimumJob, morningDigestJob, overdueNudgeJob } from '../../../core/leads/nudge-jobs.ts';
import { silentLogger } from '../../../core/logger.ts';
import type { CalendarJob } from '../../../core/scheduler/calendar-job.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

type Grade = 'N' | 'H' | 'A' | 'B' | 'C';

let t: TestCore;
let store: { id: string; timeZone: string };
let phoneSeq = 0;

beforeEach(async () => {
  t = await createTestCore();
  store = { id: t.setup.storeId, timeZone: 'Asia/Shanghai' };
  phoneSeq = 0;
});
afterEach(async () => {
  await t.close();
});

/** A Shanghai wall-clock time as an instant: `2026-11-23T10:00`. */
const sh = (local: string) => new Date(`${local}:00+08:00`);
/** Sets the clock to the slot and runs the job for it, as the scheduler would. */
async function runAt(job: CalendarJob, local: string): Promise<void> {
  t.clock.set(sh(local));
  await job.run(sh(local));
}
const digest = () => morningDigestJob(t.ctx.db, t.clock, silentLogger, store);
const nudges = () => overdueNudgeJob(t.ctx.db, t.clock, silentLogger, store);
const minimum = () => endOfDayMinimumJob(t.ctx.db, t.clock, silentLogger, store);

const staff = (name: string, role: 'CONSULTANT' | 'MANAGER' = 'CONSULTANT', extra: { active?: boolean; onDuty?: boolean } = {}) =>
  t.ctx.db.staff.create({ data: { storeId: store.id, name, role, ...extra } });

/** A lead created directly, owned by `ownerId`, due at a Shanghai wall-clock time (or never). */
async function lead(ownerId: string, name: string, grade: Grade, dueLocal: string | null): Promise<string> {
  phoneSeq += 1;
  const customer = await t.ctx.db.customer.create({ data: { name, phone: `+86139${String(phoneSeq).padStart(8, '0')}` } });
  const created = await t.ctx.db.lead.create({
    data: { storeId: store.id, customerId: customer.id, ownerStaffId: ownerId, grade, source: 'walk_in', firstVisitAt: sh('2026-11-01T10:00'), nextFollowUpAt: dueLocal ? sh(dueLocal) : null },
  });
  return created.id;
}

const intents = (kind: string) => t.ctx.db.messageIntent.findMany({ where: { kind }, orderBy: { dedupeKey: 'asc' } });
const textOf = (intent: { payload: string }): string => (JSON.parse(intent.payload) as { text: string }).text;
const leadIdsOf = (intent: { payload: string }): string[] => (JSON.parse(intent.payload) as { leadIds: string[] }).leadIds;

describe('morning digest', () => {
  it('sends each consultant their due, overdue and ungraded leads and open recalls; nothing to someone with nothing', async () => {
    const li = await staff('李顾问');
    const wang = await staff('王顾问');
    await lead(li.id, '张三', 'H', '2026-11-23T15:00');
    await lead(li.id, '李四', 'A', '2026-11-21T10:00');
    await lead(li.id, '王五', 'N', null);
    await lead(li.id, '下周', 'B', '2026-11-30T10:00');
    await lead(wang.id, '赵六', 'C', '2026-12-05T10:00');
    const ticket = { storeId: store.id, type: 'RECALL' as const, consultantId: li.id, description: '回访', dueAt: sh('2026-11-24T10:00'), createdAt: sh('2026-11-22T10:00') };
    await t.ctx.db.ticket.create({ data: { ...ticket, reference: 'TS-20261122-0001' } });
    await t.ctx.db.ticket.create({ data: { ...ticket, reference: 'TS-20261122-0002', status: 'CLOSED' } });

    const job = digest();
    expect(job.cron).toBe('30 8 * * *');
    expect(job.missed).toBe('skip');
    await runAt(job, '2026-11-23T08:30'); // Monday
    await runAt(job, '2026-11-23T08:30');
    const all = await intents('lead_digest');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ dedupeKey: `digest:${li.id}:2026-11-23`, staffId: li.id, purpose: 'STAFF', channel: null, address: null });
    expect(all[0]!.sendAt.toISOString()).toBe('2026-11-23T00:30:00.000Z');
    expect(all[0]!.expiresAt.toISOString()).toBe('2026-11-23T10:30:00.000Z'); // 18:30 local
    const text = textOf(all[0]!);
    for (const name of ['张三', '李四', '王五', 'TS-20261122-0001', '待跟进客户 3 位（已逾期 1，待定级 1）']) expect(text).toContain(name);
    for (const absent of ['下周', '赵六', 'TS-20261122-0002']) expect(text).not.toContain(absent);
  });

  it('takes its time from the store\'s staff hours', () => {
    const job = morningDigestJob(t.ctx.db, t.clock, silentLogger, { ...store, staffHoursStart: '09:15' });
    expect(job.cron).toBe('15 9 * * *');
    expect(endOfDayMinimumJob(t.ctx.db, t.clock, silentLogger, { ...store, staffHoursEnd: '19:00' }).cron).toBe('30 18 * * *');
  });

  it('skips a weekend that is not a 调休 working day, and runs on a 调休 Saturday', async () => {
    const li = await staff('李顾问');
    await lead(li.id, '张三', 'N', null);
    await runAt(digest(), '2026-11-28T08:30'); // Saturday
    expect(await intents('lead_digest')).toEqual([]);
    await runAt(digest(), '2026-02-28T08:30'); // Saturday, 调休 after Spring Festival
    expect((await intents('lead_digest')).map((i) => i.dedupeKey)).toEqual([`digest:${li.id}:2026-02-28`]);
  });

  it('puts a burst of 200 leads into one digest listing the first 20', async () => {
    const li = await staff('李顾问');
    for (let i = 0; i < 200; i += 1) await lead(li.id, `客户${i}`, 'H', '2026-11-23T09:00');
    await runAt(digest(), '2026-11-23T08:30');
    const all = await intents('lead_digest');
    expect(all).toHaveLength(1);
    expect(textOf(all[0]!)).toContain('…等共 200 位');
    expect(textOf(all[0]!)).not.toMatch(/^21\. /m);
  });
});

describe('overdue nudges', () => {
  it('nudges about H and A leads past due, once per overdue period, and only in staff hours', async () => {
    const li = await staff('李顾问');
    const h = await lead(li.id, '高意向H', 'H', '2026-11-23T09:00');
    const a = await lead(li.id, '意向A', 'A', '2026-11-22T16:00');
    await lead(li.id, '一般B', 'B', '2026-11-23T09:00');
    await lead(li.id, '观望C', 'C', '2026-11-20T09:00');
    await lead(li.id, '新客N', 'N', '2026-11-23T09:00');
    await lead(li.id, '未到期', 'H', '2026-11-23T11:00');

    await runAt(nudges(), '2026-11-23T08:15'); // before 08:30
    expect(await intents('lead_nudge')).toEqual([]);
    await runAt(nudges(), '2026-11-23T10:00');
    await runAt(nudges(), '2026-11-23T10:00');
    await runAt(nudges(), '2026-11-23T10:15');
    let all = await intents('lead_nudge');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ dedupeKey: `nudge:${li.id}:2026-11-23T10:00`, staffId: li.id, purpose: 'STAFF', channel: null });
    expect(all[0]!.expiresAt.toISOString()).toBe('2026-11-23T10:30:00.000Z');
    expect(leadIdsOf(all[0]!).sort()).toEqual([h, a].sort());
    const text = textOf(all[0]!);
    expect(text).toContain('高意向H');
    expect(text).toContain('意向A');
    for (const absent of ['一般B', '观望C', '新客N', '未到期']) expect(text).not.toContain(absent);

    // A follow-up moves H to 10:20; once that passes, it is overdue again and nudged again.
    await t.ctx.db.lead.update({ where: { id: h }, data: { nextFollowUpAt: sh('2026-11-23T10:20') } });
    await runAt(nudges(), '2026-11-23T10:30');
    all = await intents('lead_nudge');
    expect(all).toHaveLength(2);
    expect(leadIdsOf(all[1]!)).toEqual([h]);
    await runAt(nudges(), '2026-11-23T18:30'); // staff hours are over
    expect(await intents('lead_nudge')).toHaveLength(2);
  });

  it('sends a consultant at most 4 nudges an hour', async () => {
    const li = await staff('李顾问');
    const times = ['10:00', '10:05', '10:10', '10:15', '10:20', '10:25'];
    for (const [i, time] of times.entries()) {
      await lead(li.id, `客户${i}`, 'H', `2026-11-23T09:${String(50 + i)}`);
      await runAt(nudges(), `2026-11-23T${time}`);
    }
    expect(await intents('lead_nudge')).toHaveLength(4);
    await runAt(nudges(), '2026-11-23T11:01'); // the 10:00 nudge has left the hour
    const all = await intents('lead_nudge');
    expect(all).toHaveLength(5);
    expect(textOf(all.at(-1)!)).toMatch(/客户4[\s\S]*客户5/);
  });

  it('batches a burst of 200 due leads into one nudge', async () => {
    const li = await staff('李顾问');
    for (let i = 0; i < 200; i += 1) await lead(li.id, `客户${i}`, i % 2 ? 'H' : 'A', '2026-11-23T09:00');
    await runAt(nudges(), '2026-11-23T10:00');
    const all = await intents('lead_nudge');
    expect(all).toHaveLength(1);
    expect(leadIdsOf(all[0]!)).toHaveLength(200);
    const text = textOf(all[0]!);
    expect(text).toMatch(/^20\. /m);
    expect(text).not.toMatch(/^21\. /m);
    expect(text).toContain('…等共 200 位');
  });

  it('alerts active managers once a day about leads overdue by more than overdueAlertDays', async () => {
    const li = await staff('李顾问');
    const boss = await staff('张经理', 'MANAGER');
    await staff('前经理', 'MANAGER', { active: false });
    await lead(li.id, '久未跟进', 'B', '2026-11-21T09:00');
    await lead(li.id, '刚逾期', 'C', '2026-11-22T09:00');

    await runAt(nudges(), '2026-11-23T08:45'); // overdue 1 d 23 h 45 min: not yet
    expect(await intents('lead_overdue_alert')).toEqual([]);
    await runAt(nudges(), '2026-11-23T10:00');
    await runAt(nudges(), '2026-11-23T10:15');
    let all = await intents('lead_overdue_alert');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ dedupeKey: `overdue-alert:${boss.id}:2026-11-23`, staffId: boss.id, purpose: 'STAFF' });
    expect(textOf(all[0]!)).toContain('久未跟进');
    expect(textOf(all[0]!)).toContain('李顾问');
    expect(textOf(all[0]!)).not.toContain('刚逾期');
    await runAt(nudges(), '2026-11-24T10:00'); // 刚逾期 is now 2 d 1 h overdue
    all = await intents('lead_overdue_alert');
    expect(all.map((i) => i.dedupeKey)).toEqual([`overdue-alert:${boss.id}:2026-11-23`, `overdue-alert:${boss.id}:2026-11-24`]);
    expect(textOf(all[1]!)).toContain('刚逾期');
  });
});

describe('end-of-day minimum', () => {
  it('reminds consultants below the daily minimum of follow-ups, not those at it', async () => {
    const [li, wang, zhao] = [await staff('李顾问'), await staff('王顾问'), await staff('赵顾问')];
    const leadId = await lead(li.id, '张三', 'A', null);
    const followUps = async (staffId: string, n: number, local: string) => {
      for (let i = 0; i < n; i += 1) {
        await t.ctx.db.followUp.create({ data: { leadId, staffId, way: 'call', note: '电话', gradeBefore: 'A', gradeAfter: 'A', at: sh(local) } });
      }
    };
    await followUps(li.id, 2, '2026-11-23T09:00');
    await followUps(wang.id, 3, '2026-11-23T00:10');
    await followUps(zhao.id, 3, '2026-11-22T23:50'); // yesterday, local time

    const job = minimum();
    expect(job.cron).toBe('0 18 * * *');
    await runAt(job, '2026-11-23T18:00');
    await runAt(job, '2026-11-23T18:00');
    const all = await intents('followup_minimum');
    expect(all.map((i) => i.dedupeKey).sort()).toEqual([`minimum:${li.id}:2026-11-23`, `minimum:${zhao.id}:2026-11-23`].sort());
    const liReminder = all.find((i) => i.staffId === li.id)!;
    expect(textOf(liReminder)).toContain('已记录跟进 2 次');
    expect(liReminder.expiresAt.toISOString()).toBe('2026-11-23T10:30:00.000Z');

    await runAt(job, '2026-11-28T18:00'); // Saturday
    expect(await intents('followup_minimum')).toHaveLength(2);
  });
});
