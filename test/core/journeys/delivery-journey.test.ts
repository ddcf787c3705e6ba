import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { optOutAll } from '../../../core/consent/opt-out-all.ts';
import { queueAfterDelivery, queueDeliveryReminders } from '../../../core/journeys/delivery-journey.ts';
import { silentLogger } from '../../../core/logger.ts';
import { cancelOrder, markDelivered, OrderInvalidError, recordOrder, rescheduleDelivery } from '../../../core/orders/order-service.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { FakeSender } from '../../fakes/fake-sender.ts';
import { createReachableCustomer } from '../../helpers/intents.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

const HOUR = 3600_000;
let t: TestCore;
let customerId: string;
let actor: { storeId: string; staffId: string; role: 'ADMIN' };

beforeEach(async () => {
  t = await createTestCore({ STORE_ADDRESS: '上海市浦东新区示例路 88 号' }); // now: 2026-11-22 10:00 Shanghai
  customerId = await createReachableCustomer(t.ctx.db, 1, t.clock.now());
  actor = { storeId: t.setup.storeId, staffId: t.setup.adminStaffId, role: 'ADMIN' };
  await t.ctx.db.visit.create({ data: { customerId, storeId: actor.storeId, channel: 'WEB', visitedAt: t.clock.now(), heardFrom: 'walk_in' } });
});
afterEach(async () => {
  await t.close();
});

const intents = () => t.ctx.db.messageIntent.findMany({ orderBy: [{ sendAt: 'asc' }, { dedupeKey: 'asc' }] });
const summary = async () => (await intents()).map((i) => [i.kind, i.state, i.sendAt.toISOString()]);
const db = () => t.ctx.db;

describe('delivery journey', () => {
  it('reminds 72 h and 24 h before the handover, saying when, where and what to bring', async () => {
    const deliveryAt = new Date('2026-11-27T06:00:00Z'); // Friday 14:00 in Shanghai
    await recordOrder(db(), t.clock, actor, { customerId, model: '城市SUV', deliveryAt, consultantId: null });
    expect(await summary()).toEqual([
      ['delivery_reminder_72h', 'PENDING', '2026-11-24T06:00:00.000Z'],
      ['delivery_reminder_24h', 'PENDING', '2026-11-26T06:00:00.000Z'],
    ]);
    const [first, second] = await intents();
    const text = JSON.parse(first!.payload).text as string;
    expect(text).toContain('11月27日');
    expect(text).toContain('14:00');
    expect(text).toContain('上海市浦东新区示例路 88 号');
    expect(text).toContain('城市SUV');
    expect(text).toContain('身份证');
    expect(first).toMatchObject({ purpose: 'SERVICE', dedupeKey: `predelivery72:${(await db().order.findFirstOrThrow()).id}:2026-11-27T06:00:00.000Z` });
    expect(first!.expiresAt.toISOString()).toBe('2026-11-26T06:00:00.000Z');
    expect(second!.expiresAt.toISOString()).toBe('2026-11-27T05:00:00.000Z');
    const audit = await db().auditEntry.findFirstOrThrow();
    expect(audit).toMatchObject({ action: 'order.recorded', actorStaffId: actor.staffId, entity: 'order' });
  });

  it('never sends a placeholder address: while the store has none, the reminder names the store', async () => {
    for (const address of ['', '请在设置中填写门店地址']) { // blank, or the placeholder earlier versions stored
      await db().messageIntent.deleteMany();
      await db().store.update({ where: { id: actor.storeId }, data: { address } });
      await recordOrder(db(), t.clock, actor, { customerId, model: '城市SUV', deliveryAt: new Date('2026-11-27T06:00:00Z'), consultantId: null });
      const text = JSON.parse((await intents())[0]!.payload).text as string;
      expect(text).not.toContain('请在设置中填写');
      expect(text).toContain('在示例汽车4S店交付');
    }
  });

  it('sends only the reminders still ahead for a delivery 30 h away', async () => {
    await recordOrder(db(), t.clock, actor, { customerId, model: 'X', deliveryAt: new Date(t.clock.now().getTime() + 30 * HOUR) });
    expect((await summary()).map(([kind]) => kind)).toEqual(['delivery_reminder_24h']);
  });

  it('moves the reminders when the delivery is rescheduled twice, and back again', async () => {
    const first = new Date('2026-11-27T06:00:00Z');
    const order = await recordOrder(db(), t.clock, actor, { customerId, model: 'X', deliveryAt: first });
    await rescheduleDelivery(db(), t.clock, actor, order.id, new Date('2026-11-29T02:00:00Z'));
    await rescheduleDelivery(db(), t.clock, actor, order.id, new Date('2026-12-02T02:00:00Z'));
    const pending = (await intents()).filter((i) => i.state === 'PENDING').map((i) => i.sendAt.toISOString());
    expect(pending).toEqual(['2026-11-29T02:00:00.000Z', '2026-12-01T02:00:00.000Z']);
    expect((await intents()).filter((i) => i.state === 'CANCELLED')).toHaveLength(4);

    await rescheduleDelivery(db(), t.clock, actor, order.id, first);
    const back = (await intents()).filter((i) => i.state === 'PENDING').map((i) => i.sendAt.toISOString());
    expect(back).toEqual(['2026-11-24T06:00:00.000Z', '2026-11-26T06:00:00.000Z']);
    expect(await db().messageIntent.count()).toBe(6);
    expect((await db().auditEntry.findMany({ where: { action: 'order.rescheduled' } })).map((a) => JSON.parse(a.details).to)).toEqual([
      '2026-11-29T02:00:00.000Z', '2026-12-02T02:00:00.000Z', '2026-11-27T06:00:00.000Z',
    ]);
  });

  it('cancels every reminder when the order is cancelled', async () => {
    const order = await recordOrder(db(), t.clock, actor, { customerId, model: 'X', deliveryAt: new Date('2026-11-27T06:00:00Z') });
    await cancelOrder(db(), t.clock, actor, order.id, '客户改买其他车型');
    expect((await intents()).every((i) => i.state === 'CANCELLED')).toBe(true);
    await expect(rescheduleDelivery(db(), t.clock, actor, order.id, new Date('2026-12-01T00:00:00Z'))).rejects.toThrow(/already cancelled/);
  });

  it('refuses a delivery in the past, an empty model, an unknown order or customer', async () => {
    await expect(recordOrder(db(), t.clock, actor, { customerId, model: 'X', deliveryAt: new Date('2026-11-21T00:00:00Z') })).rejects.toThrow(OrderInvalidError);
    await expect(recordOrder(db(), t.clock, actor, { customerId, model: ' ', deliveryAt: new Date('2026-12-01T00:00:00Z') })).rejects.toThrow(/model/);
    await expect(recordOrder(db(), t.clock, actor, { customerId: 'nobody', model: 'X', deliveryAt: new Date('2026-12-01T00:00:00Z') })).rejects.toThrow(/not a customer/);
    const stranger = await db().customer.create({ data: { name: '别店客户', phone: '+8613600000000' } });
    await expect(recordOrder(db(), t.clock, actor, { customerId: stranger.id, model: 'X', deliveryAt: new Date('2026-12-01T00:00:00Z') })).rejects.toMatchObject({ code: 'customer_not_found' });
    await expect(recordOrder(db(), t.clock, actor, { customerId, model: 'X', deliveryAt: new Date('2026-12-01T00:00:00Z'), consultantId: actor.staffId })).rejects.toMatchObject({ code: 'consultant_invalid' });
    await expect(rescheduleDelivery(db(), t.clock, actor, 'nope', new Date('2026-12-01T00:00:00Z'))).rejects.toThrow(/not an order/);
    expect(await db().order.count()).toBe(0);
    expect(await db().messageIntent.count()).toBe(0);
  });

  it('after the handover: thanks within 24 h, the delivery survey within 72 h, and the first-service reminder 7 days before 3 months', async () => {
    const order = await recordOrder(db(), t.clock, actor, { customerId, model: 'X', deliveryAt: new Date('2026-11-23T06:00:00Z') });
    t.clock.set('2026-11-23T06:30:00Z');
    await markDelivered(db(), t.clock, actor, order.id);
    const after = (await intents()).filter((i) => i.state === 'PENDING');
    expect(after.map((i) => [i.kind, i.sendAt.toISOString(), i.expiresAt.toISOString()])).toEqual([
      ['delivery_thanks', '2026-11-23T08:30:00.000Z', '2026-11-24T06:30:00.000Z'],
      ['delivery_survey', '2026-11-25T06:30:00.000Z', '2026-11-26T06:30:00.000Z'],
      ['delivery_survey_reminder', '2026-11-25T12:30:00.000Z', '2026-11-26T06:30:00.000Z'],
      ['first_service_reminder', '2027-02-14T02:00:00.000Z', '2027-02-21T16:00:00.000Z'], // 14 Feb 10:00; due 21 Feb
    ]);
    expect(JSON.parse(after[3]!.payload).text).toContain('2027年2月21日');
    const question = JSON.parse(after[1]!.payload);
    expect(question.text).toContain('新车用得还顺手吗');
    expect(question.text).toContain('1 到 10');
    expect(question.choices).toHaveLength(10);
    expect(await db().survey.findFirstOrThrow({ where: { kind: 'DELIVERY' } })).toMatchObject({ subjectId: order.id, state: 'SCHEDULED' });
    expect((await intents()).find((i) => i.kind === 'delivery_reminder_24h')?.state).toBe('CANCELLED');
    await expect(markDelivered(db(), t.clock, actor, order.id)).rejects.toThrow(/already delivered/);
  });

  it('plans in the store\'s time zone across daylight saving (America/New_York)', async () => {
    await db().store.update({ where: { id: actor.storeId }, data: { timeZone: 'America/New_York' } });
    t.clock.set('2026-10-29T16:00:00Z');
    const order = await recordOrder(db(), t.clock, actor, { customerId, model: 'X', deliveryAt: new Date('2026-11-02T15:00:00Z') }); // Mon 10:00 EST
    const reminder = (await intents())[0]!;
    expect(reminder.sendAt.toISOString()).toBe('2026-10-30T15:00:00.000Z'); // 72 h before: Fri 11:00 EDT
    expect(JSON.parse(reminder.payload).text).toContain('10:00');
    t.clock.set('2026-11-02T15:30:00Z');
    await markDelivered(db(), t.clock, actor, order.id);
    const service = (await intents()).find((i) => i.kind === 'first_service_reminder')!;
    expect(service.sendAt.toISOString()).toBe('2027-01-24T15:00:00.000Z'); // 10:00 EST, 7 days before 31 Jan
    // Delivered in winter: the reminder falls after the spring-forward change, at 10:00 EDT.
    const winter = await recordOrder(db(), t.clock, actor, { customerId, model: 'Y', deliveryAt: new Date('2026-12-22T15:00:00Z') });
    t.clock.set('2026-12-22T16:00:00Z');
    await markDelivered(db(), t.clock, actor, winter.id);
    const spring = (await intents()).find((i) => i.dedupeKey === `firstservice:${winter.id}`)!;
    expect(spring.sendAt.toISOString()).toBe('2027-03-15T14:00:00.000Z'); // due 22 March
  });

  it('creates no second intent when the journeys run again for the same events', async () => {
    const order = await recordOrder(db(), t.clock, actor, { customerId, model: 'X', deliveryAt: new Date('2026-11-27T06:00:00Z') });
    await db().$transaction((tx) => queueDeliveryReminders(tx, order, t.clock.now()));
    await db().$transaction((tx) => queueAfterDelivery(tx, order, new Date('2026-11-27T06:00:00Z')));
    await db().$transaction((tx) => queueAfterDelivery(tx, order, new Date('2026-11-27T06:00:00Z')));
    expect(await db().messageIntent.count()).toBe(6); // 2 reminders, thanks, survey + its reminder, first service
    expect(await db().survey.count()).toBe(1);
  });

  it('an opt-out between scheduling and sending stops the reminders', async () => {
    await recordOrder(db(), t.clock, actor, { customerId, model: 'X', deliveryAt: new Date('2026-11-27T06:00:00Z') });
    await db().$transaction((tx) => optOutAll(tx, customerId, 'web-chat', t.clock.now()));
    const sender = new FakeSender(t.clock);
    t.clock.set('2026-11-24T06:00:00Z');
    await new Dispatcher({ store: sqlOutboxStore(db()), clock: t.clock, logger: silentLogger, senders: [sender] }).runOnce();
    expect(sender.calls).toHaveLength(0);
    expect((await intents()).every((i) => i.state === 'CANCELLED')).toBe(true);
  });

  it('holds a reminder that falls in quiet hours to the morning', async () => {
    await recordOrder(db(), t.clock, actor, { customerId, model: 'X', deliveryAt: new Date('2026-11-27T14:30:00Z') }); // 22:30 local
    const sender = new FakeSender(t.clock);
    t.clock.set('2026-11-24T14:30:00Z');
    await new Dispatcher({ store: sqlOutboxStore(db()), clock: t.clock, logger: silentLogger, senders: [sender] }).runOnce();
    expect((await intents())[0]!.nextAttemptAt?.toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });
});
