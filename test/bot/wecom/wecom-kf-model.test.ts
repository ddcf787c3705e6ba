// Model-based test of 微信客服 intake: random interleavings of customer messages in several chats,
// callbacks and crashes in the middle of sync_msg paging (then a restart) store every message in
// the durable inbox exactly once, in order per chat.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWecomKf } from '../../../bot/channels/wecom/kf/create-wecom-kf.ts';
import type { KfSyncPoint } from '../../../bot/channels/wecom/kf/kf-sync.ts';
import { WecomApiClient } from '../../../bot/channels/wecom/wecom-api-client.ts';
import { silentLogger } from '../../../core/logger.ts';
import { FakeWecomServer } from '../../fakes/fake-wecom-server.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const CORP = 'ww1234567890abcdef';
const SECRET = 'kf-secret-for-tests-only';
const CHATS = ['wmA', 'wmB', 'wmC'];

type Step =
  | { kind: 'say'; chat: number }
  | { kind: 'callback'; crashAt: KfSyncPoint | null; pageSize: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('say' as const), chat: fc.integer({ min: 0, max: CHATS.length - 1 }) }),
  fc.record({ kind: fc.constant('callback' as const), crashAt: fc.constantFrom<KfSyncPoint | null>(null, 'page-stored', 'cursor-moved'), pageSize: fc.integer({ min: 1, max: 4 }) }),
);

let t: TestApp;
let fake: FakeWecomServer;
let api: WecomApiClient;
let run = 0;

beforeAll(async () => {
  t = await createTestApp();
  fake = new FakeWecomServer({ corpId: CORP, secrets: [SECRET], now: () => t.clock.now().getTime() });
  api = new WecomApiClient({ corpId: CORP, secret: SECRET, apiBase: await fake.start(), clock: t.clock });
});
afterAll(async () => {
  await fake.close();
  await t.close();
});

describe('微信客服 intake (model)', () => {
  it('stores every message exactly once, in order per chat, whatever the crashes', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
      run += 1;
      const openKfId = `wkMODEL${run}`; // a fresh account per run: its own log and cursor
      fake.kf.addAccount(openKfId, `模型${run}`);
      const said = new Map<string, string[]>(CHATS.map((c) => [c, []]));
      let token = '';
      let n = 0;
      const pull = async (crashAt: KfSyncPoint | null, pageSize: number) => {
        let armed = crashAt;
        // A new instance each time: a crash loses whatever the process held in memory.
        const kf = createWecomKf({
          api, db: t.ctx.db, clock: t.clock, logger: silentLogger, inbound: t.ctx.inbound, openKfId, onStored: () => undefined, syncPageSize: pageSize,
          onSyncPoint: (point) => {
            if (point !== armed) return;
            armed = null;
            throw new Error('crash');
          },
        });
        await kf.onKfEvent(token, openKfId).catch((error: unknown) => {
          if ((error as Error).message !== 'crash') throw error;
        });
      };
      for (const s of steps) {
        if (s.kind === 'say') {
          const chat = CHATS[s.chat] ?? 'wmA';
          const text = `${run}-${(n += 1)}`;
          said.get(chat)?.push(text);
          token = fake.kf.customerSays(openKfId, `${chat}${run}`, text).token;
        } else if (token) {
          await pull(s.crashAt, s.pageSize);
        }
        t.clock.advance(1_000);
      }
      if (token) await pull(null, 1000); // the process is up at the end: the last callback's pull finishes
      for (const [chat, texts] of said) {
        const rows = await t.ctx.db.inboundUpdate.findMany({ where: { chatId: `kf:${chat}${run}` }, orderBy: { id: 'asc' } });
        expect(rows.map((r) => (JSON.parse(r.payload) as { text: { content: string } }).text.content)).toEqual(texts);
      }
    }), { numRuns: 40 });
    expect(fake.violations).toEqual([]);
  });
});
