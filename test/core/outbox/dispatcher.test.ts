import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FixedClock } from '../../../core/clock.ts';
import { silentLogger } from '../../../core/logger.ts';
import { Dispatcher, STALL_PACE_WAITS, type DispatcherOptions } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { RateLimiter } from '../../../core/outbox/rate-limiter.ts';
import { optOutAll } from '../../../core/consent/opt-out-all.ts';
import { markChatSeen } from '../../../core/outbox/reach.ts';
import { FakeSender } from '../../fakes/fake-sender.ts';
import { createReachableCustomer, queueText } from '../../helpers/intents.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

let t: TestCore;
let clock: FixedClock;
let storeId: string;
let customerId: string;
let sender: FakeSender;

const MINUTE = 60_000;
const dispatcher = (options: Partial<DispatcherOptions> = {}) =>
  new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock, logger: silentLogger, senders: [sender], random: () => 0.5, ...options });
const intent = (key: string) => t.ctx.db.messageIntent.findUniqueOrThrow({ where: { dedupeKey: key } });

beforeEach(async () => {
  t = await createTestCore();
  clock = t.clock;
  storeId = t.setup.storeId;
  customerId = await createReachableCustomer(t.ctx.db, 1, clock.now());
  sender = new FakeSender(clock);
});
afterEach(async () => {
  await t.close();
});

describe('dispatcher', () => {
  it('sends a due intent once, to the customer\'s channel, and records the provider id', async () => {
    await queueText(t.ctx.db, storeId, 'k1', clock.now(), { customerId });
    const d = dispatcher();
    expect(await d.runOnce()).toBe(1);
    expect(await d.runOnce()).toBe(0);
    expect(sender.calls).toHaveLength(1);
    expect(sender.calls[0]?.envelope).toMatchObject({ dedupeKey: 'k1', channel: 'WEB', address: 'chat-1', attempt: 1 });
    expect(await intent('k1')).toMatchObject({ state: 'SENT', attempts: 1, providerMessageId: expect.stringMatching(/^msg-/), nextAttemptAt: null, leaseOwner: null });
  });

  it('does not send before sendAt', async () => {
    await queueText(t.ctx.db, storeId, 'later', new Date(clock.now().getTime() + 10 * MINUTE), { customerId });
    expect(await dispatcher().runOnce()).toBe(0);
    clock.advance(10 * MINUTE);
    expect(await dispatcher().runOnce()).toBe(1);
    expect(sender.calls).toHaveLength(1);
  });

  it('holds a customer message outside 08:00–21:00 Shanghai until 08:00, without counting an attempt', async () => {
    clock.set('2026-11-22T13:30:00Z'); // 21:30
    await queueText(t.ctx.db, storeId, 'night', clock.now(), { customerId });
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(0);
    expect(await intent('night')).toMatchObject({ state: 'PENDING', attempts: 0, leaseOwner: null });
    expect((await intent('night')).nextAttemptAt?.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    clock.set('2026-11-22T23:59:00Z');
    expect(await dispatcher().runOnce()).toBe(0);
    clock.set('2026-11-23T00:00:00Z');
    await dispatcher().runOnce();
    expect(sender.calls.map((c) => c.at.toISOString())).toEqual(['2026-11-23T00:00:00.000Z']);
  });

  it('holds by the store\'s own time zone across both daylight-saving changes (America/New_York)', async () => {
    await t.ctx.db.store.update({ where: { id: storeId }, data: { timeZone: 'America/New_York' } });
    clock.set('2026-03-08T02:30:00Z'); // 21:30 EST on 7 March; clocks spring forward overnight
    await queueText(t.ctx.db, storeId, 'spring', clock.now(), { customerId });
    await dispatcher().runOnce();
    expect((await intent('spring')).nextAttemptAt?.toISOString()).toBe('2026-03-08T12:00:00.000Z'); // 08:00 EDT
    clock.set('2026-03-08T12:00:00Z');
    await dispatcher().runOnce();
    expect((await intent('spring')).state).toBe('SENT');

    clock.set('2026-11-01T01:30:00Z'); // 21:30 EDT on 31 October; clocks fall back overnight
    await queueText(t.ctx.db, storeId, 'fall', clock.now(), { customerId });
    await dispatcher().runOnce();
    expect((await intent('fall')).nextAttemptAt?.toISOString()).toBe('2026-11-01T13:00:00.000Z'); // 08:00 EST
    clock.set('2026-11-01T12:59:00Z');
    expect(await dispatcher().runOnce()).toBe(0);
    clock.set('2026-11-01T13:00:00Z');
    await dispatcher().runOnce();
    expect(sender.calls.map((c) => c.at.toISOString())).toEqual(['2026-03-08T12:00:00.000Z', '2026-11-01T13:00:00.000Z']);
  });

  it('holds staff messages to the store\'s working hours', async () => {
    clock.set('2026-11-22T11:00:00Z'); // 19:00 local, after 18:30
    await queueText(t.ctx.db, storeId, 'staff', clock.now(), { purpose: 'STAFF', channel: 'WEB', address: 'staff-chat' });
    await dispatcher().runOnce();
    expect((await intent('staff')).nextAttemptAt?.toISOString()).toBe('2026-11-23T00:30:00.000Z');
  });

  it('expires a stale intent instead of sending it late', async () => {
    await queueText(t.ctx.db, storeId, 'stale', clock.now(), { customerId, expiresAt: new Date(clock.now().getTime() + MINUTE) });
    clock.advance(2 * MINUTE);
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(0);
    expect((await intent('stale')).state).toBe('EXPIRED');
  });

  it('expires rather than holds when the next allowed hour is after it goes stale', async () => {
    clock.set('2026-11-22T14:00:00Z'); // 22:00 local
    await queueText(t.ctx.db, storeId, 'birthday', clock.now(), { customerId, purpose: 'MARKETING', expiresAt: new Date('2026-11-22T15:59:00Z') });
    await dispatcher().runOnce();
    expect((await intent('birthday')).state).toBe('EXPIRED');
  });

  it('checks consent again at send time', async () => {
    await queueText(t.ctx.db, storeId, 'promo', clock.now(), { customerId, purpose: 'MARKETING' });
    await t.ctx.db.consentRecord.create({ data: { customerId, purpose: 'MARKETING', granted: false, source: 'test', noticeVersion: 'v', recordedAt: clock.now() } });
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(0);
    expect(await intent('promo')).toMatchObject({ state: 'CANCELLED', lastError: 'no marketing consent in force' });
  });

  it('an opt-out cancels what is pending', async () => {
    await queueText(t.ctx.db, storeId, 'thanks', clock.now(), { customerId });
    await t.ctx.db.$transaction((tx) => optOutAll(tx, customerId, 'test', clock.now()));
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(0);
    expect((await intent('thanks')).state).toBe('CANCELLED');
  });

  it('waits for retry_after after a 429, then sends; nothing is lost', async () => {
    await queueText(t.ctx.db, storeId, 'busy', clock.now(), { customerId });
    sender.answer = (envelope, i) => (i === 0 ? { status: 'retry', error: '429 Too Many Requests', retryAfterMs: 30_000 } : { status: 'sent', providerMessageId: `m-${envelope.intentId}` });
    await dispatcher().runOnce();
    expect(await intent('busy')).toMatchObject({ state: 'FAILED_RETRYING', attempts: 1, lastError: '429 Too Many Requests' });
    clock.advance(29_999);
    expect(await dispatcher().runOnce()).toBe(0);
    clock.advance(1);
    await dispatcher().runOnce();
    expect(sender.calls.map((c) => c.at.getTime() - sender.calls[0]!.at.getTime())).toEqual([0, 30_000]);
    expect((await intent('busy')).state).toBe('SENT');
  });

  it('retries 5xx with growing backoff, then gives up as dead with an alert', async () => {
    await queueText(t.ctx.db, storeId, 'down', clock.now(), { customerId });
    sender.answer = () => ({ status: 'retry', error: '502 Bad Gateway' });
    const d = dispatcher({ retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 } });
    for (let i = 0; i < 20; i += 1) {
      await d.runOnce();
      clock.advance(1000);
    }
    const gaps = sender.calls.slice(1).map((c, i) => c.at.getTime() - sender.calls[i]!.at.getTime());
    expect(gaps).toEqual([1000, 2000, 3000]);
    expect(await intent('down')).toMatchObject({ state: 'DEAD', attempts: 4 });
    const alert = await t.ctx.db.alert.findFirstOrThrow();
    expect(alert).toMatchObject({ kind: 'intent_dead', storeId });
    expect(alert.message).toContain('gave up after 4 attempts');
  });

  it('marks an ambiguous send unknown with an alert when a resend is not safe', async () => {
    await queueText(t.ctx.db, storeId, 'timeout', clock.now(), { customerId });
    sender.answer = () => ({ status: 'ambiguous', error: 'timed out' });
    await dispatcher().runOnce();
    clock.advance(10 * MINUTE);
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(1);
    expect((await intent('timeout')).state).toBe('UNKNOWN');
    expect((await t.ctx.db.alert.findFirstOrThrow()).kind).toBe('intent_unknown');
  });

  it('resends an ambiguous send when the channel says an identical resend is safe', async () => {
    const safe = new FakeSender(clock, 'WEB', true);
    safe.answer = (envelope, i) => (i === 0 ? { status: 'ambiguous', error: 'timed out' } : { status: 'sent', providerMessageId: 'x' });
    await queueText(t.ctx.db, storeId, 'again', clock.now(), { customerId });
    await dispatcher({ senders: [safe] }).runOnce();
    clock.advance(MINUTE);
    await dispatcher({ senders: [safe] }).runOnce();
    expect(safe.calls).toHaveLength(2);
    expect((await intent('again')).state).toBe('SENT');
  });

  it('reclaims an intent whose dispatcher died after claiming, and sends it once', async () => {
    await queueText(t.ctx.db, storeId, 'orphan', clock.now(), { customerId });
    const dead = dispatcher({ leaseMs: MINUTE, onPoint: (p) => { if (p === 'after-claim') throw new Error('killed'); } });
    await expect(dead.runOnce()).rejects.toThrow('killed');
    expect(await dispatcher().runOnce()).toBe(0);
    clock.advance(MINUTE);
    expect(await dispatcher().runOnce()).toBe(1);
    expect(sender.countsByKey().get('orphan')).toBe(1);
  });

  it('treats a send interrupted by a crash as unknown: never sent twice', async () => {
    await queueText(t.ctx.db, storeId, 'midway', clock.now(), { customerId });
    const dead = dispatcher({ leaseMs: MINUTE, onPoint: (p) => { if (p === 'after-answer') throw new Error('killed'); } });
    await expect(dead.runOnce()).rejects.toThrow('killed');
    expect((await intent('midway')).state).toBe('SENDING');
    clock.advance(MINUTE);
    await dispatcher().runOnce();
    expect(sender.countsByKey().get('midway')).toBe(1);
    expect((await intent('midway')).state).toBe('UNKNOWN');
  });

  it('sends at most one message per recipient per batch, the next one in the following batch, in order', async () => {
    for (const key of ['a-1', 'a-2', 'a-3']) await queueText(t.ctx.db, storeId, key, clock.now(), { customerId });
    await queueText(t.ctx.db, storeId, 'b-1', clock.now(), { customerId, channel: 'WEB', address: 'other-chat' });
    const d = dispatcher();
    expect(await d.runOnce()).toBe(4);
    expect(sender.calls.map((c) => c.envelope.dedupeKey).sort()).toEqual(['a-1', 'b-1']);
    expect(await intent('a-2')).toMatchObject({ state: 'PENDING', attempts: 0 });
    for (let i = 0; i < 3; i += 1) {
      clock.advance(10);
      await d.runOnce();
    }
    expect(sender.calls.map((c) => c.envelope.dedupeKey).filter((k) => k.startsWith('a-'))).toEqual(['a-1', 'a-2', 'a-3']);
  });

  it('paces 100 messages to one chat at one per second, losing none', async () => {
    sender.limits = (e) => [{ key: `chat:${e.address}`, capacity: 1, perMs: 1000 }, { key: 'global', capacity: 30, perMs: 1000 }];
    for (let i = 0; i < 100; i += 1) await queueText(t.ctx.db, storeId, `burst-${String(i).padStart(3, '0')}`, clock.now(), { customerId });
    const d = dispatcher({ batchSize: 100 });
    for (let round = 0; round < 300 && sender.calls.length < 100; round += 1) {
      await d.runOnce();
      const next = await d.nextClaimableAt(); // the loop sleeps until the next one can be claimed
      if (next && next > clock.now()) clock.set(next);
    }
    expect(sender.calls).toHaveLength(100);
    expect(new Set(sender.calls.map((c) => c.envelope.dedupeKey)).size).toBe(100);
    const times = sender.calls.map((c) => c.at.getTime());
    expect(times.slice(1).every((time, i) => time - times[i]! >= 1000)).toBe(true);
    expect(await t.ctx.db.messageIntent.count({ where: { state: 'SENT' } })).toBe(100);
    expect(sender.calls.map((c) => c.envelope.dedupeKey)).toEqual([...sender.calls.map((c) => c.envelope.dedupeKey)].sort());
  });

  it('survives the clock jumping forward and back: no resend, no loss', async () => {
    for (let i = 0; i < 10; i += 1) await queueText(t.ctx.db, storeId, `jump-${i}`, new Date(clock.now().getTime() + i * MINUTE), { customerId });
    const d = dispatcher();
    await d.runOnce();
    clock.advance(3 * 3600_000); // NTP jumps forward 3 h (still inside 08:00–21:00)
    await d.runOnce();
    clock.advance(-3 * 3600_000 + 30 * MINUTE); // and back
    await d.runOnce();
    clock.advance(3 * 3600_000);
    for (let i = 0; i < 20; i += 1) {
      await d.runOnce();
      clock.advance(1000);
    }
    expect([...sender.countsByKey().values()].every((n) => n === 1)).toBe(true);
    expect(sender.calls).toHaveLength(10);
  });

  it('raises one stall alert for a message made to wait 10 times without being tried', async () => {
    // A limiter that never gives a turn: the kind of fault that once kept replies waiting for ever.
    class StuckLimiter extends RateLimiter {
      override turn(): number {
        return 1000;
      }
    }
    await queueText(t.ctx.db, storeId, 'stuck', clock.now(), { customerId });
    const d = dispatcher({ limiter: new StuckLimiter() });
    for (let round = 0; round < STALL_PACE_WAITS + 5; round += 1) {
      await d.runOnce();
      clock.advance(1000);
    }
    expect(sender.calls).toHaveLength(0);
    expect(await intent('stuck')).toMatchObject({ state: 'PENDING', attempts: 0, paceWaits: STALL_PACE_WAITS + 5 });
    const alerts = await t.ctx.db.alert.findMany({ where: { kind: 'intent_stalled' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain('stuck');
  });

  it('keeps one chat\'s messages in their line: a later one never goes while an earlier one waits to retry', async () => {
    sender.answer = (envelope, n) => (n === 0 ? { status: 'retry', error: '502' } : { status: 'sent', providerMessageId: `msg-${envelope.intentId}` });
    await queueText(t.ctx.db, storeId, 'first', clock.now(), { customerId });
    clock.advance(10);
    await queueText(t.ctx.db, storeId, 'second', clock.now(), { customerId });
    const d = dispatcher();
    await d.runOnce();
    await d.runOnce();
    expect(sender.calls.map((c) => c.envelope.dedupeKey)).toEqual(['first']);
    const next = await d.nextClaimableAt();
    expect(next?.getTime()).toBe((await intent('first')).nextAttemptAt?.getTime()); // the retry, not 'second'
    clock.set(next ?? clock.now());
    await d.runOnce();
    await d.runOnce();
    expect(sender.calls.map((c) => c.envelope.dedupeKey)).toEqual(['first', 'first', 'second']);
  });

  it('two dispatchers on one database send every intent exactly once', async () => {
    // Two processes on one file are covered by the crash test; here two loops share a process.
    for (let i = 0; i < 200; i += 1) await queueText(t.ctx.db, storeId, `pair-${i}`, clock.now(), { customerId, channel: 'WEB', address: `chat-${i}` });
    const a = dispatcher({ batchSize: 7 });
    const b = dispatcher({ batchSize: 11 });
    const drain = async (d: Dispatcher) => { while ((await d.runOnce()) > 0) { /* until empty */ } };
    await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
    expect(sender.calls).toHaveLength(200);
    expect([...sender.countsByKey().values()].every((n) => n === 1)).toBe(true);
    expect(await t.ctx.db.messageIntent.count({ where: { state: 'SENT' } })).toBe(200);
  });

  it('hands a message for a customer no channel reaches to their consultant as a task', async () => {
    const consultant = await t.ctx.db.staff.create({ data: { storeId, name: '李顾问', role: 'CONSULTANT' } });
    const loner = await t.ctx.db.customer.create({ data: { name: '王芳', phone: '+8613700000000' } });
    await t.ctx.db.visit.create({ data: { customerId: loner.id, storeId, consultantId: consultant.id, channel: 'WEB', visitedAt: clock.now(), heardFrom: 'walk_in' } });
    await t.ctx.db.consentRecord.create({ data: { customerId: loner.id, purpose: 'SERVICE', granted: true, source: 'api', noticeVersion: 'v', recordedAt: clock.now() } });
    await queueText(t.ctx.db, storeId, 'nowhere', clock.now(), { customerId: loner.id });
    await dispatcher().runOnce();
    const task = await t.ctx.db.staffTask.findFirstOrThrow();
    expect(task).toMatchObject({ staffId: consultant.id, customerId: loner.id, kind: 'forward:test', doneAt: null });
    expect(task.text).toContain('王芳（137****0000）');
    expect(task.text).toContain('nowhere');
    expect(await intent('nowhere')).toMatchObject({ state: 'SENT', providerMessageId: `staff-task:${task.id}` });
    expect(sender.calls).toHaveLength(0);
  });

  it('gives the task to the consultant who owns the lead now, not the one of the first visit', async () => {
    const first = await t.ctx.db.staff.create({ data: { storeId, name: '李顾问', role: 'CONSULTANT' } });
    const now = await t.ctx.db.staff.create({ data: { storeId, name: '赵顾问', role: 'CONSULTANT' } });
    const loner = await t.ctx.db.customer.create({ data: { name: '王芳', phone: '+8613700000001' } });
    await t.ctx.db.visit.create({ data: { customerId: loner.id, storeId, consultantId: first.id, channel: 'WEB', visitedAt: clock.now(), heardFrom: 'walk_in' } });
    await t.ctx.db.lead.create({ data: { storeId, customerId: loner.id, ownerStaffId: now.id, source: 'test', firstVisitAt: clock.now() } });
    await t.ctx.db.consentRecord.create({ data: { customerId: loner.id, purpose: 'SERVICE', granted: true, source: 'api', noticeVersion: 'v', recordedAt: clock.now() } });
    await queueText(t.ctx.db, storeId, 'reassigned', clock.now(), { customerId: loner.id });
    await dispatcher().runOnce();
    expect(await t.ctx.db.staffTask.findFirstOrThrow({ where: { customerId: loner.id } })).toMatchObject({ staffId: now.id });
  });

  it('hands over when the customer\'s channel cannot push without an employee', async () => {
    const employeeOnly = new FakeSender(clock, 'WEB', false, false);
    await queueText(t.ctx.db, storeId, 'wecom-like', clock.now(), { customerId });
    await dispatcher({ senders: [employeeOnly] }).runOnce();
    expect(employeeOnly.calls).toHaveLength(0);
    expect(await t.ctx.db.staffTask.count()).toBe(1);
  });

  it('marks a staff message no channel can reach as dead, with an alert', async () => {
    await queueText(t.ctx.db, storeId, 'staff-nowhere', clock.now(), { purpose: 'STAFF' });
    await dispatcher().runOnce();
    expect((await intent('staff-nowhere')).state).toBe('DEAD');
    expect(await t.ctx.db.alert.count()).toBe(1);
  });

  it('sends one marketing message a day per customer, the highest priority first', async () => {
    await queueText(t.ctx.db, storeId, 'holiday', clock.now(), { customerId, purpose: 'MARKETING', priority: 10, expiresAt: new Date('2026-11-26T00:00:00Z') });
    await queueText(t.ctx.db, storeId, 'birthday', new Date(clock.now().getTime() + 2 * 3600_000), { customerId, purpose: 'MARKETING', priority: 20 });
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(0); // the birthday (later today, higher priority) goes first
    expect((await intent('holiday')).nextAttemptAt?.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    clock.advance(2 * 3600_000);
    await dispatcher().runOnce();
    expect(sender.calls.map((c) => c.envelope.dedupeKey)).toEqual(['birthday']);
    await queueText(t.ctx.db, storeId, 'promo', clock.now(), { customerId, purpose: 'MARKETING', priority: 50, expiresAt: new Date('2026-11-26T00:00:00Z') });
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(1); // today's one is spent
    clock.set('2026-11-23T00:00:00Z');
    await dispatcher().runOnce();
    expect(sender.calls.map((c) => c.envelope.dedupeKey)).toEqual(['birthday', 'promo']);
    clock.set('2026-11-24T00:00:00Z');
    await dispatcher().runOnce();
    expect(sender.calls.map((c) => c.envelope.dedupeKey)).toEqual(['birthday', 'promo', 'holiday']);
  });

  it('never caps service messages', async () => {
    for (const key of ['s1', 's2', 's3']) await queueText(t.ctx.db, storeId, key, clock.now(), { customerId, channel: 'WEB', address: `c-${key}` });
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(3);
  });

  it('stop() lets the send in flight finish, then claims nothing more', async () => {
    await queueText(t.ctx.db, storeId, 'inflight', clock.now(), { customerId });
    let finishSend: () => void = () => {};
    const started = new Promise<void>((resolveStarted) => {
      sender.send = async (envelope) => {
        sender.calls.push({ envelope, at: clock.now() });
        resolveStarted();
        await new Promise<void>((resolve) => { finishSend = resolve; });
        return { status: 'sent', providerMessageId: 'late' };
      };
    });
    const d = dispatcher({ pollIntervalMs: 5 });
    d.start();
    await started;
    const stopping = d.stop(5_000);
    finishSend();
    await stopping;
    expect(await intent('inflight')).toMatchObject({ state: 'SENT', providerMessageId: 'late' });

    await queueText(t.ctx.db, storeId, 'after-stop', clock.now(), { customerId });
    expect(await d.runOnce()).toBe(1); // claimed, and released at once because it is stopping
    expect(await intent('after-stop')).toMatchObject({ state: 'PENDING', leaseOwner: null, attempts: 0 });
    expect(sender.calls).toHaveLength(1);
  });

  it('holds intents for a channel that is not configured yet', async () => {
    await queueText(t.ctx.db, storeId, 'tg', clock.now(), { channel: 'TELEGRAM', address: '12345', purpose: 'STAFF' });
    await dispatcher().runOnce();
    expect(await intent('tg')).toMatchObject({ state: 'PENDING', attempts: 0, lastError: 'channel TELEGRAM is not configured' });
  });
});

describe('staff messages before staff have a chat channel', () => {
  it('holds them (no dead letter, no second alert) until they expire', async () => {
    await queueText(t.ctx.db, storeId, 'to-manager', clock.now(), { purpose: 'STAFF', staffId: t.setup.adminStaffId, expiresAt: new Date(clock.now().getTime() + 3 * 3600_000) });
    await dispatcher().runOnce();
    expect(await intent('to-manager')).toMatchObject({ state: 'PENDING', attempts: 0, lastError: 'this staff member has no chat channel linked yet' });
    expect(await t.ctx.db.alert.count()).toBe(0);
    clock.advance(3 * 3600_000);
    await dispatcher().runOnce();
    expect((await intent('to-manager')).state).toBe('EXPIRED');
  });
});

describe('staff reach', () => {
  const link = (channel: 'WEB' | 'TELEGRAM', externalId: string, lastSeenAt: Date) =>
    t.ctx.db.staffChannelLink.create({ data: { staffId: t.setup.adminStaffId, channel, externalId, linkedAt: lastSeenAt, lastSeenAt } });

  it('sends a staff message to the chat the staff member linked', async () => {
    await link('WEB', `console:${t.setup.adminStaffId}`, clock.now());
    await queueText(t.ctx.db, storeId, 'digest', clock.now(), { purpose: 'STAFF', staffId: t.setup.adminStaffId });
    await dispatcher().runOnce();
    expect(sender.calls[0]?.envelope).toMatchObject({ channel: 'WEB', address: `console:${t.setup.adminStaffId}` });
    expect((await intent('digest')).state).toBe('SENT');
  });

  it('prefers a linked messenger to the web console, and falls back to the console when the messenger is not configured', async () => {
    await link('TELEGRAM', '777', new Date(clock.now().getTime() - 86_400_000));
    await link('WEB', `console:${t.setup.adminStaffId}`, clock.now());
    const telegram = new FakeSender(clock, 'TELEGRAM');
    await queueText(t.ctx.db, storeId, 'both', clock.now(), { purpose: 'STAFF', staffId: t.setup.adminStaffId });
    await dispatcher({ senders: [sender, telegram] }).runOnce();
    expect(telegram.calls.map((c) => c.envelope.address)).toEqual(['777']);
    await queueText(t.ctx.db, storeId, 'web-only', clock.now(), { purpose: 'STAFF', staffId: t.setup.adminStaffId });
    await dispatcher().runOnce();
    expect(sender.calls.map((c) => c.envelope.address)).toEqual([`console:${t.setup.adminStaffId}`]);
  });

  it('does not reach a staff member who was deactivated', async () => {
    await link('WEB', `console:${t.setup.adminStaffId}`, clock.now());
    await t.ctx.db.staff.update({ where: { id: t.setup.adminStaffId }, data: { active: false } });
    await queueText(t.ctx.db, storeId, 'gone', clock.now(), { purpose: 'STAFF', staffId: t.setup.adminStaffId });
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(0);
    expect((await intent('gone')).state).toBe('PENDING');
  });
});

describe('replies', () => {
  it('answers at once at night: a reply is not held by quiet hours or consent', async () => {
    clock.set('2026-11-22T15:30:00Z'); // 23:30 Shanghai
    await queueText(t.ctx.db, storeId, 'reply', clock.now(), { purpose: 'REPLY', channel: 'WEB', address: 'chat-night' });
    await dispatcher().runOnce();
    expect(sender.calls.map((c) => c.envelope.address)).toEqual(['chat-night']);
  });
});

describe('customers whose care was stopped', () => {
  it('cancels service and marketing to a customer whose number a manager confirmed wrong', async () => {
    await t.ctx.db.customer.update({ where: { id: customerId }, data: { careStoppedAt: clock.now(), careStoppedReason: 'wrong number' } });
    await queueText(t.ctx.db, storeId, 'care', clock.now(), { customerId });
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(0);
    expect(await intent('care')).toMatchObject({ state: 'CANCELLED', lastError: expect.stringContaining('wrong or dead') });
  });
});

describe('a recipient who blocked us', () => {
  it('stops receiving: the intent is dead without retries, later messages go to the consultant, writing again re-opens the chat', async () => {
    sender.answer = () => ({ status: 'blocked', error: 'Forbidden: bot was blocked by the user' });
    await queueText(t.ctx.db, storeId, 'first', clock.now(), { customerId });
    await dispatcher().runOnce();
    expect(await intent('first')).toMatchObject({ state: 'DEAD', attempts: 1, nextAttemptAt: null });
    expect((await t.ctx.db.channelIdentity.findFirstOrThrow({ where: { customerId } })).blockedAt).not.toBeNull();

    sender.answer = () => ({ status: 'sent', providerMessageId: 'm' });
    await queueText(t.ctx.db, storeId, 'second', clock.now(), { customerId });
    await dispatcher().runOnce();
    expect(sender.calls).toHaveLength(1);
    expect(await t.ctx.db.staffTask.count()).toBe(1);

    await markChatSeen(t.ctx.db, 'WEB', 'chat-1', clock.now());
    await queueText(t.ctx.db, storeId, 'third', clock.now(), { customerId });
    await dispatcher().runOnce();
    expect(sender.calls.map((c) => c.envelope.dedupeKey)).toEqual(['first', 'third']);
  });
});

describe('alerts reach the admins in chat', () => {
  it('tells each active admin once an hour, however many messages fail, and never alerts about an alert', async () => {
    await t.ctx.db.staffChannelLink.create({ data: { staffId: t.setup.adminStaffId, channel: 'WEB', externalId: 'admin-console', linkedAt: clock.now(), lastSeenAt: clock.now() } });
    for (const key of ['a', 'b', 'c']) await queueText(t.ctx.db, storeId, `nowhere-${key}`, clock.now(), { purpose: 'STAFF' });
    await dispatcher().runOnce();
    expect(await t.ctx.db.alert.count()).toBe(3);
    const notices = await t.ctx.db.messageIntent.findMany({ where: { kind: 'outbox_alert' } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ staffId: t.setup.adminStaffId, purpose: 'STAFF' });

    sender.answer = () => ({ status: 'rejected', error: 'Bad Request: chat not found' });
    await dispatcher().runOnce();
    expect(sender.calls.map((c) => c.envelope.address)).toEqual(['admin-console']);
    expect(await t.ctx.db.alert.count()).toBe(4); // the notice itself failed: an alert row, but no new notice
    expect(await t.ctx.db.messageIntent.count({ where: { kind: 'outbox_alert' } })).toBe(1);
  });
});
