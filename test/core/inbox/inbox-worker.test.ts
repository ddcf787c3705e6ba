// The durable inbox: duplicates ignored, one chat's updates handled in order and one at a time
// while chats run in parallel, a failing update retried then set aside with an alert, and
// updates left unhandled by a stop picked up by the next worker.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InboxWorker, type InboxRow } from '../../../core/inbox/inbox-worker.ts';
import { markInboundHandled } from '../../../core/inbox/mark-inbound-handled.ts';
import { recordInboundUpdate } from '../../../core/inbox/record-inbound-update.ts';
import { silentLogger } from '../../../core/logger.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

let t: TestCore;
beforeEach(async () => {
  t = await createTestCore();
});
afterEach(async () => {
  await t.close();
});

const store = (updateId: number, chatId: string) =>
  recordInboundUpdate(t.ctx.db, { channel: 'TELEGRAM', updateId: String(updateId), chatId, payload: JSON.stringify({ update_id: updateId }), receivedAt: t.clock.now() });
const worker = (handle: (row: InboxRow) => Promise<void>) =>
  new InboxWorker({ db: t.ctx.db, clock: t.clock, logger: silentLogger, alertStoreId: t.setup.storeId, handle, concurrency: 3 });
const markHandled = (row: InboxRow) => t.ctx.db.$transaction((tx) => markInboundHandled(tx, row.id, t.clock.now())).then(() => undefined);

describe('inbox', () => {
  it('stores an update once, however often the platform delivers it', async () => {
    expect(await store(1, 'a')).toBe(true);
    expect(await store(1, 'a')).toBe(false);
    expect(await t.ctx.db.inboundUpdate.count()).toBe(1);
  });

  it('handles each chat in order, one at a time, and different chats side by side', async () => {
    for (let i = 0; i < 12; i += 1) await store(i, `chat-${i % 3}`);
    const seen: string[] = [];
    const busy = new Set<string>();
    let overlapping = 0;
    let parallel = 0;
    await worker(async (row) => {
      if (busy.has(row.chatId)) overlapping += 1;
      busy.add(row.chatId);
      parallel = Math.max(parallel, busy.size);
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(`${row.chatId}:${row.updateId}`);
      busy.delete(row.chatId);
      await markHandled(row);
    }).runOnce();
    expect(overlapping).toBe(0);
    expect(parallel).toBeGreaterThan(1);
    for (const chat of ['chat-0', 'chat-1', 'chat-2']) {
      const ids = seen.filter((s) => s.startsWith(chat)).map((s) => Number(s.split(':')[1]));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(ids).toHaveLength(4);
    }
  });

  it('retries a failing update with backoff, holding the chat\'s later ones back, then sets it aside with an alert', async () => {
    await store(1, 'a');
    await store(2, 'a');
    const handled: string[] = [];
    const w = worker(async (row) => {
      if (row.updateId === '1') throw new Error('boom');
      handled.push(row.updateId);
      await markHandled(row);
    });
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await w.runOnce();
      expect(handled).toEqual([]);
      t.clock.advance(60_000);
    }
    expect(await t.ctx.db.inboundUpdate.findFirstOrThrow({ where: { updateId: '1' } })).toMatchObject({ attempts: 5, lastError: 'boom', handledAt: expect.any(Date) });
    expect(await t.ctx.db.alert.count({ where: { kind: 'inbound_failed' } })).toBe(1);
    await w.runOnce();
    expect(handled).toEqual(['2']);
  });

  it('leaves what it did not finish to the next worker (after a stop or a crash)', async () => {
    await store(1, 'a');
    await store(2, 'a');
    await worker(async (row) => { if (row.updateId === '1') await markHandled(row); else throw new Error('crash'); }).runOnce();
    const handled: string[] = [];
    await worker(async (row) => { handled.push(row.updateId); await markHandled(row); }).runOnce();
    expect(handled).toEqual(['2']);
  });
});
