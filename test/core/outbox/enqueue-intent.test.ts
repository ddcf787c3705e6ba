import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Prisma } from '../../../core/db/generated/client.ts';
import { queryRows } from '../../../core/db/raw-sql.ts';
import { claimDueIntents } from '../../../core/outbox/claim-intents.ts';
import { enqueueIntent, enqueueIntents, type NewIntent } from '../../../core/outbox/enqueue-intent.ts';
import { cancelWaitingIntents } from '../../../core/outbox/intent-transitions.ts';
import { messageIntentFrom, storeFrom } from '../../../core/outbox/intent-rows.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const SEND_AT = new Date('2026-12-01T02:00:00.250Z');
const text = (key: string, extra: Partial<NewIntent> = {}): NewIntent => ({
  dedupeKey: key, storeId: t.setup.storeId, purpose: 'SERVICE', kind: 'test', message: { kind: 'text', text: `内容 ${key}` },
  sendAt: SEND_AT, expiresAt: new Date(SEND_AT.getTime() + 3600_000), ...extra,
});
const row = (key: string) => t.ctx.db.messageIntent.findUniqueOrThrow({ where: { dedupeKey: key } });

describe('enqueueIntent', () => {
  it('writes the row Prisma would, joining a known chat\'s line at once', async () => {
    const db = t.ctx.db;
    expect(await enqueueIntent(db, text('chat', { channel: 'TELEGRAM', address: '42', priority: 3, variables: { storeName: '一号店' } }))).toBe(true);
    expect(await enqueueIntent(db, text('unrouted', { staffId: t.setup.adminStaffId, purpose: 'STAFF' }))).toBe(true);
    const chat = await row('chat');
    expect(chat).toMatchObject({
      storeId: t.setup.storeId, channel: 'TELEGRAM', address: '42', lane: 'TELEGRAM:42', purpose: 'SERVICE', kind: 'test', state: 'PENDING', attempts: 0,
      paceWaits: 0, priority: 3, sendAt: SEND_AT, nextAttemptAt: SEND_AT, leaseOwner: null, payload: JSON.stringify({ kind: 'text', text: '内容 chat' }),
      variables: JSON.stringify({ storeName: '一号店' }), customerId: null, staffId: null,
    });
    expect(chat.id).toMatch(/^c[0-9a-z]{24}$/); // like Prisma's ids; doubles as WeCom kf's msgid (at most 32 of [0-9A-Za-z_-])
    expect((await row('unrouted')).id > chat.id).toBe(true); // time first: new rows go to the end of the id index
    expect(chat.createdAt.getTime()).toBe(chat.updatedAt.getTime());
    expect(await row('unrouted')).toMatchObject({ channel: null, address: null, lane: null, staffId: t.setup.adminStaffId, purpose: 'STAFF' });
    expect((await row('unrouted')).enqueueSeq).toBeGreaterThan(chat.enqueueSeq);
  });

  it('leaves an existing key as it is, whatever its state', async () => {
    const db = t.ctx.db;
    expect(await enqueueIntent(db, text('k'))).toBe(true);
    const before = await row('k');
    expect(await enqueueIntent(db, text('k', { message: { kind: 'text', text: '别的' } }))).toBe(false);
    expect(await enqueueIntent(db, text('k', { reviveCancelled: true, message: { kind: 'text', text: '别的' } }))).toBe(false); // not cancelled
    expect(await row('k')).toEqual(before);
    expect(await db.messageIntent.count()).toBe(1);
  });

  it('re-arms a cancelled key with the new content when asked, at the back of its line', async () => {
    const db = t.ctx.db;
    await enqueueIntent(db, text('k', { channel: 'WEB', address: 'a' }));
    await enqueueIntent(db, text('later', { channel: 'WEB', address: 'a' }));
    await db.$transaction((tx) => cancelWaitingIntents(tx, { dedupeKey: 'k' }, 'moved'));
    expect(await enqueueIntent(db, text('k', { channel: 'WEB', address: 'a', message: { kind: 'text', text: '新的' } }))).toBe(false);
    expect((await row('k')).state).toBe('CANCELLED');
    const newSendAt = new Date(SEND_AT.getTime() + 60_000);
    expect(await enqueueIntent(db, text('k', { channel: 'WEB', address: 'a', reviveCancelled: true, sendAt: newSendAt, priority: 2, message: { kind: 'text', text: '新的' } }))).toBe(true);
    const revived = await row('k');
    expect(revived).toMatchObject({ state: 'PENDING', sendAt: newSendAt, nextAttemptAt: newSendAt, lane: 'WEB:a', attempts: 0, paceWaits: 0, lastError: null, priority: 2 });
    expect(JSON.parse(revived.payload)).toEqual({ kind: 'text', text: '新的' });
    expect(revived.enqueueSeq).toBeGreaterThan((await row('later')).enqueueSeq);
    expect(await db.messageIntent.count()).toBe(2);
  });

  it('commits with the caller\'s transaction, or not at all', async () => {
    const db = t.ctx.db;
    await expect(db.$transaction(async (tx) => {
      await enqueueIntent(tx, text('rolled-back'));
      throw new Error('the domain change failed');
    })).rejects.toThrow('the domain change failed');
    expect(await db.messageIntent.count()).toBe(0);
    await db.$transaction(async (tx) => {
      expect(await enqueueIntents(tx, [text('a'), text('b')])).toEqual([true, true]);
    });
    expect(await db.messageIntent.count()).toBe(2);
  });
});

describe('enqueueIntents', () => {
  it('queues them in the order given, a key given twice once, across statements and both kinds of insert', async () => {
    const db = t.ctx.db;
    await enqueueIntent(db, text('cancelled'));
    await db.$transaction((tx) => cancelWaitingIntents(tx, { dedupeKey: 'cancelled' }, 'moved'));
    const many = Array.from({ length: 1_203 }, (_, i) => text(`m${i}`, { channel: 'WEB', address: 'one-chat' }));
    const given = [text('first'), text('cancelled', { reviveCancelled: true }), ...many, text('first', { message: { kind: 'text', text: '重复' } }), text('last')];
    const written = await db.$transaction((tx) => enqueueIntents(tx, given));
    expect(written).toEqual([true, true, ...many.map(() => true), false, true]);
    const rows = await db.messageIntent.findMany({ orderBy: { enqueueSeq: 'asc' } });
    expect(rows.map((r) => r.dedupeKey)).toEqual(['first', 'cancelled', ...many.map((i) => i.dedupeKey), 'last']);
    expect(JSON.parse((await row('first')).payload)).toEqual({ kind: 'text', text: '内容 first' });
    // One chat's messages due at one instant are claimed one at a time, in the order they were given.
    const sent: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      const claimed = await claimDueIntents(db, 'o', new Date(SEND_AT.getTime() + 1000), 60_000, 10);
      const inChat = claimed.filter((c) => c.lane === 'WEB:one-chat');
      expect(inChat).toHaveLength(1);
      sent.push(inChat[0]!.dedupeKey);
      await db.messageIntent.update({ where: { id: inChat[0]!.id }, data: { state: 'SENT', lane: null, nextAttemptAt: null, leaseOwner: null } });
      await db.messageIntent.updateMany({ where: { leaseOwner: 'o' }, data: { leaseOwner: null, nextAttemptAt: SEND_AT } });
    }
    expect(sent).toEqual(['m0', 'm1', 'm2']);
  });
});

describe('raw rows (intent-rows.ts)', () => {
  it('read every column as Prisma does', async () => {
    const db = t.ctx.db;
    const customer = await db.customer.create({ data: { name: '客户', phone: '+8613900000001' } });
    await enqueueIntent(db, text('bare'));
    await enqueueIntent(db, text('full', { customerId: customer.id, channel: 'SMS', address: '+8613900000001', variables: { a: '1' }, priority: -1 }));
    await db.messageIntent.update({
      where: { dedupeKey: 'full' },
      data: {
        state: 'SENT', attempts: 2, paceWaits: 1, leaseOwner: 'x', leaseExpiresAt: new Date('2026-12-01T03:00:00.001Z'), providerMessageId: 'p', lastError: 'e',
        sentAt: new Date('2026-12-01T03:00:00.002Z'), deliveryStatus: 'DELIVERED', deliveryCode: 'DELIVRD', deliveryAt: new Date('2026-12-01T03:00:01Z'), nextAttemptAt: null,
      },
    });
    await db.store.update({ where: { id: t.setup.storeId }, data: { giftsPausedUntil: new Date('2026-12-02T00:00:00Z') } });
    const raw = await queryRows(db, Prisma.sql`SELECT * FROM "MessageIntent" ORDER BY "dedupeKey"`);
    expect(raw.map(messageIntentFrom)).toEqual(await db.messageIntent.findMany({ orderBy: { dedupeKey: 'asc' } }));
    const [store] = await queryRows(db, Prisma.sql`SELECT * FROM "Store" WHERE "id" = ${t.setup.storeId}`);
    expect(storeFrom(store!)).toEqual(await db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } }));
  });
});
