/**
 * Reply latency: how long a customer waits, in real time, from the moment their message is
 * stored in the durable inbox (what a webhook or a poll does) to the moment the channel is
 * called with the bot's first reply. Runs the real loops as `npm start` wires them — the inbox
 * worker (woken when an update is stored), core's inbound pipeline, the outbox dispatcher
 * (woken when the handling commits) — on a fresh migrated SQLite file (synchronous=FULL), with
 * a Telegram-shaped channel that answers at once and keeps Telegram's limits (1 s per chat, 30
 * a second overall).
 *
 * BENCH_REPLY_CHATS customers (default 200) each send `/start showroom`, one every
 * BENCH_REPLY_GAP_MS (default 200 ms: 5 a second, twice a busy launch event of 300 in 2 minutes); then each of the first
 * BENCH_REPLY_TWICE (default 50) writes "好的" right after, while their first replies are still
 * paced. Prints p50/p95/p99/max of received → first reply sent, for first messages and for the
 * second ones, and the load average. Fails (exit 1) only if a reply never goes out.
 *
 *   tsx bench/reply-latency.ts
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../core/clock.ts';
import { loadConfig } from '../core/config.ts';
import { applyMigrations } from '../core/db/migrator.ts';
import { openDatabase } from '../core/db/open-database.ts';
import { inboxHandler } from '../core/inbound/inbox-adapter.ts';
import { recordInboundUpdate } from '../core/inbox/record-inbound-update.ts';
import { InboxWorker } from '../core/inbox/inbox-worker.ts';
import { silentLogger } from '../core/logger.ts';
import type { ChannelSender, Envelope, SendOutcome } from '../core/outbox/channel-port.ts';
import { Dispatcher } from '../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../core/outbox/sql-outbox-store.ts';
import { telegramLimits } from '../core/outbox/platform-limits.ts';
import type { RateLimit } from '../core/outbox/rate-limiter.ts';
import { ensureFirstStart } from '../core/setup/first-start.ts';
import { inboundDeps } from '../bot/app-context.ts';
import { telegramInboxAdapter } from '../bot/channels/telegram/telegram-inbox-adapter.ts';

const CHATS = positiveEnv('BENCH_REPLY_CHATS', 200);
const GAP_MS = positiveEnv('BENCH_REPLY_GAP_MS', 200);
const TWICE = Math.min(CHATS, positiveEnv('BENCH_REPLY_TWICE', 50));
const FIRST_CHAT = 700_000_000;

function positiveEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number, at least 1`);
  return value;
}

/** Telegram's limits, answering at once; records when each update's first reply went out. */
class RecordingTelegram implements ChannelSender {
  readonly channel = 'TELEGRAM' as const;
  readonly resendIsSafe = false;
  readonly canPush = true;
  readonly firstReplyAt = new Map<string, number>();
  rateLimits(envelope: Envelope): RateLimit[] {
    return telegramLimits(envelope.address);
  }
  async send(envelope: Envelope): Promise<SendOutcome> {
    const update = /^reply:TELEGRAM:(\d+):0$/.exec(envelope.dedupeKey)?.[1];
    if (update && !this.firstReplyAt.has(update)) this.firstReplyAt.set(update, performance.now());
    return { status: 'sent', providerMessageId: `${envelope.address}:${envelope.intentId}` };
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-reply-'));
try {
  const template = path.join(dir, 'template.db');
  await applyMigrations(`file:${template}`);
  copyFileSync(template, path.join(dir, 'bench.db'));
  const url = `file:${path.join(dir, 'bench.db')}`;
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: url, STORE_CUSTOMER_HOURS: '00:00-00:00' });
  const db = await openDatabase(url);
  const setup = await ensureFirstStart(db, systemClock, config);
  const inbound = inboundDeps({ config, db, clock: systemClock, logger: silentLogger });
  const sender = new RecordingTelegram();
  const dispatcher = new Dispatcher({ store: sqlOutboxStore(db), clock: systemClock, logger: silentLogger, senders: [sender] });
  const acks = { answerCallbackQuery: async () => undefined, removeKeyboard: async () => undefined };
  const inbox = new InboxWorker({
    db, clock: systemClock, logger: silentLogger, alertStoreId: setup.storeId, onHandled: () => dispatcher.poke(),
    handle: inboxHandler(inbound, [telegramInboxAdapter({ db, logger: silentLogger, defaultLocale: 'zh-CN' }, acks)]),
  });
  dispatcher.start();
  inbox.start();

  const receivedAt = new Map<string, number>();
  let updateId = 1;
  const store = async (chat: number, text: string): Promise<string> => {
    const id = String(updateId++);
    const update = { update_id: Number(id), message: { message_id: Number(id), from: { id: chat, is_bot: false, first_name: '王', language_code: 'zh-hans' }, chat: { id: chat, type: 'private' }, date: Math.floor(Date.now() / 1000), text, ...(text.startsWith('/start') ? { entities: [{ type: 'bot_command', offset: 0, length: 6 }] } : {}) } };
    await recordInboundUpdate(db, { channel: 'TELEGRAM', updateId: id, chatId: String(chat), payload: JSON.stringify(update), receivedAt: new Date() });
    receivedAt.set(id, performance.now());
    inbox.wake();
    return id;
  };
  const firsts: string[] = [];
  const seconds: string[] = [];
  for (let i = 0; i < CHATS; i += 1) {
    firsts.push(await store(FIRST_CHAT + i, '/start showroom'));
    if (i < TWICE) seconds.push(await store(FIRST_CHAT + i, '好的'));
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
  }
  const deadline = performance.now() + 120_000;
  while (sender.firstReplyAt.size < firsts.length + seconds.length && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await inbox.stop();
  await dispatcher.stop();
  await db.$disconnect();

  const report = (label: string, ids: string[]) => {
    const waits = ids.map((id) => (sender.firstReplyAt.get(id) ?? Number.NaN) - (receivedAt.get(id) ?? 0)).sort((a, b) => a - b);
    const missing = waits.filter((w) => Number.isNaN(w)).length;
    const ok = waits.filter((w) => !Number.isNaN(w));
    console.log(`${label.padEnd(44)} n=${String(ids.length).padStart(4)}  p50 ${percentile(ok, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(ok, 95).toFixed(0).padStart(5)} ms  p99 ${percentile(ok, 99).toFixed(0).padStart(5)} ms  max ${(ok.at(-1) ?? Number.NaN).toFixed(0).padStart(5)} ms${missing ? `  NEVER ANSWERED: ${missing}` : ''}`);
    return missing;
  };
  console.log(`Reply latency, received → first reply sent (real time; ${CHATS} customers, one every ${GAP_MS} ms; load ${os.loadavg()[0]?.toFixed(2)}):`);
  const missing = report('first message (/start showroom)', firsts) + report('second message, written while replies are paced', seconds);
  if (missing > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
