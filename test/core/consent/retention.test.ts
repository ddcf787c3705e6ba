// The retention the privacy notice promises: unconverted leads are anonymized DATA_RETENTION_MONTHS
// after their last contact, nightly, audited, with a dry-run count; raw inbox updates are blanked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retentionDryRun, retentionJob, type RetentionSettings } from '../../../core/consent/retention.ts';
import { silentLogger } from '../../../core/logger.ts';
import { cancelOrder, recordOrder } from '../../../core/orders/order-service.ts';
import { registerCustomer } from '../../../core/registration/register-customer.ts';
import { parseRegistrationRequest } from '../../../core/registration/registration-request.ts';
import { fireDueJobs } from '../../../core/scheduler/fire-due-jobs.ts';
import { housekeepingJob, KEEP_INBOX_DAYS, REDACTED_PAYLOAD } from '../../../core/scheduler/housekeeping-job.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

let t: TestCore;
let settings: RetentionSettings;
beforeEach(async () => {
  t = await createTestCore();
  settings = { storeId: t.setup.storeId, timeZone: 'Asia/Shanghai', months: 12 };
});
afterEach(async () => {
  await t.close();
});

const DAY = 24 * 3600_000;

async function register(name: string, phone: string): Promise<string> {
  const request = parseRegistrationRequest({ source: 'showroom', name, phone, modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true });
  const result = await registerCustomer(t.ctx.db, t.clock, request, { channel: 'TELEGRAM', chatId: `tg-${phone}`, surface: 'telegram-chat', locale: 'zh-CN' });
  return result.customerId as string;
}

const actor = () => ({ storeId: t.setup.storeId, staffId: t.setup.adminStaffId, role: 'ADMIN' as const });
const erased = async (id: string) => (await t.ctx.db.customer.findUniqueOrThrow({ where: { id } })).erasedAt !== null;
const run = () => fireDueJobs(t.ctx.db, t.clock, silentLogger, [retentionJob(t.ctx.db, t.clock, silentLogger, settings)]);

describe('the retention job', () => {
  it('anonymizes unconverted leads a year after their last contact, keeps buyers and the recently contacted, audited, once', async () => {
    const quiet = await register('沉默客户', '13800000001');
    const buyer = await register('购车客户', '13800000002');
    const wroteLately = await register('最近联系', '13800000003');
    const cancelled = await register('取消订单', '13800000004');
    const followedUp = await register('顾问跟进', '13800000005');
    await recordOrder(t.ctx.db, t.clock, actor(), { customerId: buyer, model: '城市SUV', deliveryAt: new Date(t.clock.now().getTime() + 5 * DAY) });
    const order = await recordOrder(t.ctx.db, t.clock, actor(), { customerId: cancelled, model: '城市SUV', deliveryAt: new Date(t.clock.now().getTime() + 5 * DAY) });
    await cancelOrder(t.ctx.db, t.clock, actor(), order.id, '客户改变主意');
    await t.ctx.db.pendingRegistration.create({ data: { storeId: t.setup.storeId, qrSourceId: (await t.ctx.db.qrSource.findFirstOrThrow()).id, reason: 'identity', phone: '+8613800000008', name: '冒名', channel: 'WEB', chatId: 'x', surface: 'web-form', locale: 'zh-CN', createdAt: t.clock.now() } });

    // Ten months on, two of them are in touch again.
    t.clock.set('2027-09-20T02:00:00Z');
    await t.ctx.db.channelIdentity.updateMany({ where: { customerId: wroteLately }, data: { lastSeenAt: t.clock.now() } });
    const lead = await t.ctx.db.lead.findFirstOrThrow({ where: { customerId: followedUp } });
    await t.ctx.db.followUp.create({ data: { leadId: lead.id, staffId: t.setup.adminStaffId, way: 'call', note: '还在考虑', gradeBefore: 'N', gradeAfter: 'C', at: t.clock.now() } });

    // 2027-11-25 02:00 in Shanghai: the next run is tonight at 03:00, a year and three days after the registrations.
    t.clock.set('2027-11-24T18:00:00Z');
    expect(await retentionDryRun(t.ctx.db, t.clock, settings)).toEqual({ runAt: new Date('2027-11-24T19:00:00Z'), customers: 2 });
    t.clock.set('2027-11-24T19:05:00Z');
    expect((await run())[0]?.outcome).toBe('fired');

    expect(await Promise.all([quiet, cancelled].map(erased))).toEqual([true, true]);
    expect(await Promise.all([buyer, wroteLately, followedUp].map(erased))).toEqual([false, false, false]);
    expect(await t.ctx.db.customer.count({ where: { phone: '+8613800000001' } })).toBe(0);
    const audit = await t.ctx.db.auditEntry.findMany({ where: { action: 'customer.erased' }, orderBy: { entityId: 'asc' } });
    expect(audit.map((a) => [a.entityId, a.actorStaffId, JSON.parse(a.details)])).toEqual(
      [quiet, cancelled].sort().map((id) => [id, null, { reason: 'retention', requestId: null }]),
    );
    expect(await t.ctx.db.pendingRegistration.findFirstOrThrow()).toMatchObject({ name: '', phone: '', request: '{}', chatId: null });
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'pending_registrations.anonymized' } })).toBe(1);

    // The slot is done: looking again runs nothing; the dry run now finds nobody.
    expect(await run()).toEqual([]);
    expect((await retentionDryRun(t.ctx.db, t.clock, settings)).customers).toBe(0);
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'customer.erased' } })).toBe(2);
  });

  it('counts nobody while everyone is within the period', async () => {
    await register('新客户', '13800000009');
    expect((await retentionDryRun(t.ctx.db, t.clock, settings)).customers).toBe(0);
  });
});

describe('housekeeping of the inbox', () => {
  it(`blanks the raw updates of rows handled more than ${KEEP_INBOX_DAYS} days ago, keeping their ids; unhandled and recent rows keep theirs`, async () => {
    const now = t.clock.now().getTime();
    const row = (updateId: string, handledAt: Date | null) => ({ channel: 'TELEGRAM' as const, updateId, chatId: 'c', payload: `{"text":"13812345678 ${updateId}"}`, receivedAt: new Date(now - 40 * DAY), handledAt });
    await t.ctx.db.inboundUpdate.createMany({ data: [row('old', new Date(now - (KEEP_INBOX_DAYS + 1) * DAY)), row('recent', new Date(now - DAY)), row('waiting', null)] });
    await housekeepingJob(t.ctx.db, t.clock, silentLogger, 'Asia/Shanghai').run(t.clock.now());
    const rows = await t.ctx.db.inboundUpdate.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.updateId, r.payload === REDACTED_PAYLOAD])).toEqual([['old', true], ['recent', false], ['waiting', false]]);
  });
});

describe('housekeeping of one-time codes', () => {
  it('deletes code rows (the numbers people typed) once a day old; their limits look back no further', async () => {
    const now = t.clock.now().getTime();
    const code = (requester: string, ageMs: number) => ({ phone: '+8613812345678', requester, createdAt: new Date(now - ageMs), expiresAt: new Date(now - ageMs + 300_000) });
    await t.ctx.db.phoneCode.createMany({ data: [code('WEB:old', DAY + 1_000), code('WEB:recent', DAY - 60_000)] });
    await housekeepingJob(t.ctx.db, t.clock, silentLogger, 'Asia/Shanghai').run(t.clock.now());
    expect((await t.ctx.db.phoneCode.findMany()).map((r) => r.requester)).toEqual(['WEB:recent']);
  });
});
