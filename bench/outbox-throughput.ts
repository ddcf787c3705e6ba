/**
 * Outbox throughput: how fast intents go in, how fast the real dispatcher drains them, how a
 * claim scales with the backlog, and the same workload on plainjob (a SQLite job queue for
 * better-sqlite3) in the same run, for comparison. Every database is a fresh copy of one
 * migrated SQLite file in a temp dir (removed at the end), opened as the app opens it (WAL,
 * synchronous=FULL), with a store open round the clock (00:00–00:00) so quiet hours never
 * hold a message, and 500 customers with consent and a web chat.
 *
 * 1. Enqueue: `enqueueIntent` one intent per call, each on its own commit (as plainjob's `add`);
 *    one per `$transaction` (the app enqueues inside the transaction of the change that causes
 *    the message, and that transaction is the caller's cost); `enqueueIntents` 100 per
 *    transaction (as plainjob's `addMany`).
 * 2. Dispatch: `Dispatcher.runOnce` in a loop until every intent is sent, to a no-op channel
 *    (answers `sent` at once, no rate limits), batch sizes 50 (the default) and 200, after a
 *    warm-up that is not measured. Half the intents are STAFF messages with channel and
 *    address set, half SERVICE messages to customers whose reach is planned at send time;
 *    consecutive intents go to different chats (a batch sends one message per chat).
 * 3. Claim: one `claimDueIntents` of 50 on a database of BENCH_PENDING_SMALL due intents and
 *    on one of BENCH_PENDING_LARGE (rows inserted with raw SQL, shaped like the app's: ISO
 *    timestamps, nextAttemptAt set, the migrations' indexes), alternately so both see the same
 *    disturbances: due times spread over a day, then all due at one instant (a campaign
 *    blast). Median of 41 claims each after 5 warm-up claims; prints the claim's query plan.
 * 4. plainjob 0.0.14 on its own file with synchronous=FULL set on its connection after
 *    `defineQueue` (which sets NORMAL): `add` one job per call, `addMany` 100 per transaction,
 *    and a worker with a no-op handler; its processing at its default (NORMAL) for reference.
 *
 * Enqueue, dispatch and plainjob's enqueue and processing alternate for BENCH_ROUNDS rounds and
 * the fastest run of each is reported (the one least disturbed by other work on the machine);
 * the 1-minute load average is printed beside every figure. Prints whether the aims are met
 * (enqueue one per call ≥ plainjob's `add`; dispatch ≥ 2× plainjob's processing rate, both at
 * synchronous=FULL; a claim at the large backlog ≤ 2× a claim at the small one) but never fails
 * on timing; exits 1 only when a result is wrong (an intent not SENT, a plainjob job not done, a
 * row missing).
 *
 *   npm run bench
 *   BENCH_PENDING_LARGE=200000 tsx bench/outbox-throughput.ts
 *
 * Knobs (defaults): BENCH_ENQUEUE_SINGLE (1000), BENCH_ENQUEUE_BATCHED (10000),
 * BENCH_DISPATCH_INTENTS (5000), BENCH_ROUNDS (3), BENCH_PENDING_SMALL (10000),
 * BENCH_PENDING_LARGE (1000000).
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { better, defineQueue, defineWorker, JobStatus, type Logger as PlainjobLogger } from 'plainjob';
import { systemClock } from '../core/clock.ts';
import { loadConfig } from '../core/config.ts';
import { applyMigrations } from '../core/db/migrator.ts';
import { openDatabase, type Database } from '../core/db/open-database.ts';
import { silentLogger } from '../core/logger.ts';
import type { ChannelSender, Envelope, SendOutcome } from '../core/outbox/channel-port.ts';
import { claimDueIntents } from '../core/outbox/claim-intents.ts';
import { Dispatcher } from '../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../core/outbox/sql-outbox-store.ts';
import { enqueueIntent, enqueueIntents, type NewIntent } from '../core/outbox/enqueue-intent.ts';
import type { RateLimit } from '../core/outbox/rate-limiter.ts';
import { ensureFirstStart } from '../core/setup/first-start.ts';
import { createReachableCustomer } from '../test/helpers/intents.ts';

const ENQUEUE_SINGLE = positiveEnv('BENCH_ENQUEUE_SINGLE', 1000);
const ENQUEUE_BATCHED = positiveEnv('BENCH_ENQUEUE_BATCHED', 10_000);
const DISPATCH_INTENTS = positiveEnv('BENCH_DISPATCH_INTENTS', 5000);
const PENDING_SMALL = positiveEnv('BENCH_PENDING_SMALL', 10_000);
const PENDING_LARGE = positiveEnv('BENCH_PENDING_LARGE', 1_000_000);
const ROUNDS = positiveEnv('BENCH_ROUNDS', 3);
const PER_TRANSACTION = 100;
const BATCH_SIZES = [50, 200] as const;
/** Dispatched before the measured run; a multiple of every batch size, so no batch straddles. */
const WARMUP = 400;
/** Enough that no batch holds two messages to one chat (the dispatcher sends one per chat per batch). */
const CUSTOMERS = 500;
const STAFF_CHATS = 1000;
const CLAIM_BATCH = 50;
const CLAIM_WARMUP = 5;
const CLAIMS = 41;
const LOAD_CHUNK = 50_000;
const DAY_MS = 24 * 3600_000;
const AIM_RATIO = 2;

function positiveEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number, at least 1`);
  return value;
}

if (PENDING_LARGE < PENDING_SMALL) throw new Error('BENCH_PENDING_LARGE must be at least BENCH_PENDING_SMALL');

/** The app's settings with the store open round the clock, so quiet hours never snooze a bench message. */
const config = loadConfig({ STORE_CUSTOMER_HOURS: '00:00-00:00', STORE_STAFF_HOURS: '00:00-00:00', LOG_LEVEL: 'silent' });

/** A channel that accepts every message at once and has no rate limits. */
class NoopSender implements ChannelSender {
  readonly channel = 'WEB' as const;
  readonly resendIsSafe = true;
  readonly canPush = true;
  sent = 0;
  rateLimits(): RateLimit[] {
    return [];
  }
  async send(envelope: Envelope): Promise<SendOutcome> {
    this.sent += 1;
    return { status: 'sent', providerMessageId: `noop-${envelope.intentId}` };
  }
}

const silentPlainjobLogger: PlainjobLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

// ---------------------------------------------------------------- results and printing

interface RateRow { label: string; count: number; ms: number; load: number }
/** Every measured run, by operation, in the order first seen. */
const rates = new Map<string, RateRow[]>();
const record = (row: RateRow): RateRow => {
  rates.set(row.label, [...(rates.get(row.label) ?? []), row]);
  return row;
};
/** The fastest run of an operation: the one least disturbed by whatever else the machine did. */
const best = (label: string): RateRow => {
  const runs = rates.get(label) ?? [];
  if (runs.length === 0) throw new Error(`no runs of ${label}`);
  return runs.reduce((a, b) => (perSecond(b) > perSecond(a) ? b : a));
};
const failures: string[] = [];

const load1 = (): number => os.loadavg()[0] ?? NaN;
const perSecond = (row: { count: number; ms: number }): number => (row.count / row.ms) * 1000;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const fmt = (value: number, digits = 0): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function check(ok: boolean, what: string): void {
  console.log(`  check: ${what}: ${ok ? 'OK' : 'FAILED'}`);
  if (!ok) failures.push(what);
}

async function timed(label: string, count: number, work: () => Promise<unknown>): Promise<RateRow> {
  const load = load1();
  const started = performance.now();
  await work();
  const row = record({ label, count, ms: performance.now() - started, load });
  console.log(`  ${label}: ${fmt(count)} in ${(row.ms / 1000).toFixed(2)} s = ${fmt(perSecond(row))}/s`);
  return row;
}

function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

// ---------------------------------------------------------------- our side: databases and intents

interface Template { file: string; storeId: string; staffId: string; customerIds: string[] }
interface Bench extends Template { db: Database }

/** Migrates a database and gives it a store (open round the clock), an admin and reachable customers with consent. */
async function prepareTemplate(dir: string): Promise<Template> {
  const file = path.join(dir, 'template.db');
  await applyMigrations(`file:${file}`);
  const db = await openDatabase(`file:${file}`);
  try {
    const setup = await ensureFirstStart(db, systemClock, config);
    const customerIds: string[] = [];
    for (let n = 0; n < CUSTOMERS; n += 1) customerIds.push(await createReachableCustomer(db, n, systemClock.now()));
    await db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
    return { file, storeId: setup.storeId, staffId: setup.adminStaffId, customerIds };
  } finally {
    await db.$disconnect();
  }
}

/** A fresh copy of the template, opened as the app opens it. */
async function freshDatabase(dir: string, template: Template, name: string): Promise<Bench> {
  const file = path.join(dir, `${name}.db`);
  copyFileSync(template.file, file);
  return { ...template, file, db: await openDatabase(`file:${file}`) };
}

/** Where intent `i` goes: even, a staff chat; odd, a customer. Consecutive intents go to different chats. */
const staffChat = (i: number): string => `staff-chat-${i % STAFF_CHATS}`;
const customerOf = (t: Template, i: number): string => t.customerIds[Math.floor(i / 2) % t.customerIds.length] as string;

/** Even: a STAFF message with its channel and address; odd: a SERVICE message to a customer with consent, reach planned at send time. */
function intent(b: Bench, key: string, i: number, sendAt: Date): NewIntent {
  const common = { dedupeKey: key, storeId: b.storeId, message: { kind: 'text' as const, text: `Bench message ${i}: 您好，感谢您到店参观。` }, sendAt, expiresAt: new Date(sendAt.getTime() + DAY_MS) };
  return i % 2 === 0
    ? { ...common, staffId: b.staffId, channel: 'WEB', address: staffChat(i), purpose: 'STAFF', kind: 'bench_staff' }
    : { ...common, customerId: customerOf(b, i), purpose: 'SERVICE', kind: 'bench_service' };
}

async function enqueueBatched(b: Bench, prefix: string, count: number, sendAt: Date): Promise<void> {
  for (let start = 0; start < count; start += PER_TRANSACTION) {
    const batch = Array.from({ length: Math.min(PER_TRANSACTION, count - start) }, (_, k) => intent(b, `${prefix}:${start + k}`, start + k, sendAt));
    await b.db.$transaction((tx) => enqueueIntents(tx, batch));
  }
}

const ENQUEUE_ONE = 'enqueue, 1 per call (own commit)';
const ENQUEUE_ONE_TX = 'enqueue, 1 per $transaction';
const ENQUEUE_MANY = `enqueueIntents, ${PER_TRANSACTION} per transaction`;
const PLAIN_ADD = 'plainjob add, 1 per call';
const PLAIN_ADD_MANY = `plainjob addMany, ${PER_TRANSACTION} per transaction`;

async function enqueuePhase(dir: string, template: Template, round: number): Promise<void> {
  const b = await freshDatabase(dir, template, `enqueue-${round}`);
  try {
    const now = systemClock.now();
    let added = 0;
    await timed(ENQUEUE_ONE, ENQUEUE_SINGLE, async () => {
      for (let i = 0; i < ENQUEUE_SINGLE; i += 1) if (await enqueueIntent(b.db, intent(b, `single:${i}`, i, now))) added += 1;
    });
    await timed(ENQUEUE_ONE_TX, ENQUEUE_SINGLE, async () => {
      for (let i = 0; i < ENQUEUE_SINGLE; i += 1) if (await b.db.$transaction((tx) => enqueueIntent(tx, intent(b, `in-tx:${i}`, i, now)))) added += 1;
    });
    await timed(ENQUEUE_MANY, ENQUEUE_BATCHED, () => enqueueBatched(b, 'batched', ENQUEUE_BATCHED, now));
    const rows = await b.db.messageIntent.count({ where: { state: 'PENDING' } });
    const expected = 2 * ENQUEUE_SINGLE + ENQUEUE_BATCHED;
    check(added === 2 * ENQUEUE_SINGLE && rows === expected, `${fmt(rows)} PENDING intents, expected ${fmt(expected)}`);
  } finally {
    await b.db.$disconnect();
  }
}

const dispatchLabel = (batchSize: number): string => `dispatch, batchSize ${batchSize}`;
const PLAIN_FULL = 'plainjob process (synchronous=FULL)';
const PLAIN_DEFAULT = 'plainjob process (its default)';

const sleep = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); });

/** Calls `runOnce` until `sender` has sent `target` messages, pausing 1 ms when nothing is due; returns the intents claimed. */
async function dispatchUntil(dispatcher: Dispatcher, sender: NoopSender, target: number): Promise<number> {
  const deadline = performance.now() + 300_000;
  let claimed = 0;
  while (sender.sent < target && performance.now() < deadline) {
    const n = await dispatcher.runOnce();
    claimed += n;
    if (n === 0) await sleep(1); // something is held for a moment; the app's loop would poll
  }
  return claimed;
}

async function dispatchPhase(dir: string, template: Template, batchSize: number, round: number): Promise<void> {
  const b = await freshDatabase(dir, template, `dispatch-${batchSize}-${round}`);
  try {
    const now = systemClock.now();
    await enqueueBatched(b, 'warmup', WARMUP, new Date(now.getTime() - 60_000));
    await enqueueBatched(b, 'measured', DISPATCH_INTENTS, now);
    const sender = new NoopSender();
    const dispatcher = new Dispatcher({ store: sqlOutboxStore(b.db), clock: systemClock, logger: silentLogger, senders: [sender], batchSize, owner: `bench-${batchSize}` });
    const total = WARMUP + DISPATCH_INTENTS;
    await dispatchUntil(dispatcher, sender, WARMUP);
    let claimed = 0;
    await timed(dispatchLabel(batchSize), DISPATCH_INTENTS, async () => {
      claimed = await dispatchUntil(dispatcher, sender, total);
    });
    if (claimed > DISPATCH_INTENTS) console.log(`  (${fmt(claimed)} claims for ${fmt(DISPATCH_INTENTS)} intents: some were held and claimed again)`);
    const states = await b.db.messageIntent.groupBy({ by: ['state'], _count: { _all: true } });
    const sent = states.find((s) => s.state === 'SENT')?._count._all ?? 0;
    check(
      sent === total && sender.sent === total,
      `batchSize ${batchSize}: ${fmt(sent)} intents SENT and ${fmt(sender.sent)} sends, expected ${fmt(total)} each` +
        (sent === total ? '' : ` (states: ${states.map((s) => `${s.state} ${s._count._all}`).join(', ')})`),
    );
  } finally {
    await b.db.$disconnect();
  }
}

// ---------------------------------------------------------------- claims against a large backlog

/**
 * Runs `work` while recording the SQL text that better-sqlite3 prepares (the Prisma adapter
 * prepares every statement), so the claim's real query plan can be shown.
 */
async function recordingSql<T>(work: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const sql: string[] = [];
  const prototype = BetterSqlite3.prototype as unknown as { prepare: (this: BetterSqlite3.Database, source: string) => BetterSqlite3.Statement };
  const original = prototype.prepare;
  prototype.prepare = function prepare(source) {
    sql.push(source);
    return original.call(this, source);
  };
  try {
    return { result: await work(), sql };
  } finally {
    prototype.prepare = original;
  }
}

/** A cuid-like id (25 characters, time-ordered like Prisma's cuid v1), unique per `i`. */
const benchId = (stamp: string, i: number): string => `c${stamp}${i.toString(36).padStart(8, '0')}bnchxxxx`.slice(0, 25);
/** How Prisma's better-sqlite3 adapter stores a DateTime. */
const sqliteTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

/** A database of `count` due intents inserted with raw SQL, and the connection that loaded them. */
interface Backlog { b: Bench; loader: BetterSqlite3.Database; insertMs: number }

/**
 * Copies the template and inserts `count` PENDING intents, due over the last day (oldest
 * first, as they would have been created), in transactions of LOAD_CHUNK rows.
 */
async function backlog(dir: string, template: Template, name: string, count: number): Promise<Backlog> {
  const b = await freshDatabase(dir, template, name);
  const loader = new BetterSqlite3(b.file);
  loader.pragma('synchronous = OFF'); // set-up only; the claims run on the app's connection (FULL)
  loader.pragma('cache_size = -262144');
  const insert = loader.prepare(`
    INSERT INTO "MessageIntent" ("id", "dedupeKey", "storeId", "customerId", "staffId", "channel", "address", "purpose", "kind", "payload",
      "sendAt", "expiresAt", "state", "attempts", "nextAttemptAt", "createdAt", "updatedAt")
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)`);
  const stamp = Date.now().toString(36).padStart(8, '0');
  const startMs = Date.now();
  const insertRange = loader.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const due = startMs - DAY_MS + Math.floor((i / count) * (DAY_MS - 60_000));
      const staff = i % 2 === 0;
      const created = sqliteTime(due - 3600_000);
      insert.run(
        benchId(stamp, i), `bench:${String(i).padStart(8, '0')}`, b.storeId, staff ? null : customerOf(b, i), staff ? b.staffId : null,
        staff ? 'WEB' : null, staff ? staffChat(i) : null, staff ? 'STAFF' : 'SERVICE', staff ? 'bench_staff' : 'bench_service',
        JSON.stringify({ kind: 'text', text: `Bench message ${i}: 您好，感谢您到店参观。` }),
        sqliteTime(due), sqliteTime(due + DAY_MS), sqliteTime(due), created, created,
      );
    }
  });
  const started = performance.now();
  for (let from = 0; from < count; from += LOAD_CHUNK) insertRange(from, Math.min(count, from + LOAD_CHUNK));
  loader.pragma('wal_checkpoint(TRUNCATE)');
  const insertMs = performance.now() - started;
  const due = (loader.prepare('SELECT COUNT(*) AS n FROM "MessageIntent" WHERE "nextAttemptAt" IS NOT NULL').get() as { n: number }).n;
  check(due === count, `${name}: ${fmt(due)} due intents, expected ${fmt(count)}`);
  console.log(`  ${name}: inserted ${fmt(count)} rows in ${(insertMs / 1000).toFixed(1)} s, file ${fmt(statSync(b.file).size / 1024 / 1024)} MB`);
  return { b, loader, insertMs };
}

/**
 * Claims of CLAIM_BATCH on two databases, alternately, so that both see the same disturbances;
 * returns the times after CLAIM_WARMUP claims on each.
 */
async function alternateClaims(x: Bench, y: Bench): Promise<[number[], number[]]> {
  const times: [number[], number[]] = [[], []];
  for (let k = 0; k < CLAIM_WARMUP + CLAIMS; k += 1) {
    for (const [n, b] of [x, y].entries()) {
      const started = performance.now();
      const claimed = await claimDueIntents(b.db, 'bench-claim', systemClock.now(), 60_000, CLAIM_BATCH);
      const took = performance.now() - started;
      if (claimed.length !== CLAIM_BATCH) failures.push(`a claim returned ${claimed.length} intents, expected ${CLAIM_BATCH}`);
      if (k >= CLAIM_WARMUP) times[n]?.push(took);
    }
  }
  return times;
}

async function claimPhase(dir: string, template: Template) {
  console.log(`\nClaims: claimDueIntents(batch ${CLAIM_BATCH}) at ${fmt(PENDING_SMALL)} and ${fmt(PENDING_LARGE)} due intents, alternately`);
  const small = await backlog(dir, template, 'claims-small', PENDING_SMALL);
  const large = await backlog(dir, template, 'claims-large', PENDING_LARGE);
  try {
    const loadAvg = load1();
    const [smallSpread, largeSpread] = await alternateClaims(small.b, large.b);
    console.log(`  spread due times: median ${median(smallSpread).toFixed(2)} ms at ${fmt(PENDING_SMALL)}, ${median(largeSpread).toFixed(2)} ms at ${fmt(PENDING_LARGE)}`);

    // The claim statement as the app sends it, and SQLite's plan for it on the large backlog.
    // A connection of its own, opened while recording: an open one compiled the claim already (statement-cache.ts).
    const { sql } = await recordingSql(async () => {
      const probe = await openDatabase(`file:${large.b.file}`);
      try {
        return await claimDueIntents(probe, 'bench-probe', new Date(0), 60_000, 1);
      } finally {
        await probe.$disconnect();
      }
    });
    const claimSql = sql.find((text) => /UPDATE\s+"MessageIntent"/i.test(text));
    const explain = claimSql ? large.loader.prepare(`EXPLAIN QUERY PLAN ${claimSql}`) : null;
    const plan = claimSql && explain
      ? (explain.all(...Array.from({ length: (claimSql.match(/\?/g) ?? []).length }, () => 1)) as { detail: string }[]).map((r) => r.detail).join('; ')
      : '(claim statement not seen)';

    // A campaign blast: every due intent of both backlogs due at one instant, so nextAttemptAt ties.
    const blastAt = sqliteTime(Date.now() - 3600_000);
    for (const { loader } of [small, large]) {
      loader.prepare('UPDATE "MessageIntent" SET "sendAt" = ?, "nextAttemptAt" = ? WHERE "nextAttemptAt" <= ?').run(blastAt, blastAt, sqliteTime(Date.now()));
      loader.pragma('wal_checkpoint(TRUNCATE)');
    }
    const [smallBlast, largeBlast] = await alternateClaims(small.b, large.b);
    console.log(`  one due time:     median ${median(smallBlast).toFixed(2)} ms at ${fmt(PENDING_SMALL)}, ${median(largeBlast).toFixed(2)} ms at ${fmt(PENDING_LARGE)}`);
    return { smallSpread, largeSpread, smallBlast, largeBlast, loadRate: (PENDING_LARGE / large.insertMs) * 1000, plan, loadAvg };
  } finally {
    for (const { b, loader } of [small, large]) {
      loader.close();
      await b.db.$disconnect();
    }
  }
}

// ---------------------------------------------------------------- plainjob

function openPlainjob(file: string, synchronousFull: boolean) {
  const database = new BetterSqlite3(file);
  const queue = defineQueue({ connection: better(database), logger: silentPlainjobLogger });
  if (synchronousFull) database.pragma('synchronous = FULL'); // defineQueue sets NORMAL (1)
  return { database, queue, synchronous: database.pragma('synchronous', { simple: true }) as number };
}

const payload = (i: number) => ({ kind: 'text', text: `Bench message ${i}: 您好，感谢您到店参观。` });

async function plainjobEnqueue(dir: string, round: number): Promise<number> {
  const { queue, synchronous } = openPlainjob(path.join(dir, `plainjob-enqueue-${round}.db`), true);
  try {
    await timed(PLAIN_ADD, ENQUEUE_SINGLE, async () => {
      for (let i = 0; i < ENQUEUE_SINGLE; i += 1) queue.add('bench', payload(i));
    });
    await timed(PLAIN_ADD_MANY, ENQUEUE_BATCHED, async () => {
      for (let start = 0; start < ENQUEUE_BATCHED; start += PER_TRANSACTION) {
        queue.addMany('bench', Array.from({ length: Math.min(PER_TRANSACTION, ENQUEUE_BATCHED - start) }, (_, k) => payload(start + k)));
      }
    });
    const jobs = queue.countJobs({ status: JobStatus.Pending });
    check(jobs === ENQUEUE_SINGLE + ENQUEUE_BATCHED, `plainjob holds ${fmt(jobs)} pending jobs, expected ${fmt(ENQUEUE_SINGLE + ENQUEUE_BATCHED)}`);
    return synchronous;
  } finally {
    queue.close();
  }
}

/** Processes the jobs with a no-op handler; returns the connection's `synchronous` setting. */
async function plainjobProcess(dir: string, synchronousFull: boolean, round: number): Promise<number> {
  const label = synchronousFull ? PLAIN_FULL : PLAIN_DEFAULT;
  const { queue, synchronous } = openPlainjob(path.join(dir, `plainjob-process-${synchronousFull ? 'full' : 'default'}-${round}.db`), synchronousFull);
  try {
    const total = WARMUP + DISPATCH_INTENTS;
    for (let start = 0; start < total; start += PER_TRANSACTION) {
      queue.addMany('bench', Array.from({ length: Math.min(PER_TRANSACTION, total - start) }, (_, k) => payload(start + k)));
    }
    let done = 0;
    let measuredFrom = 0;
    let load = NaN;
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => { finish = resolve; });
    let ended = 0;
    const worker = defineWorker('bench', () => {}, {
      queue,
      logger: silentPlainjobLogger,
      onCompleted: () => {
        done += 1;
        if (done === WARMUP) { measuredFrom = performance.now(); load = load1(); }
        if (done === total) { ended = performance.now(); finish(); }
      },
    });
    const running = worker.start();
    await finished;
    await worker.stop();
    await running;
    const row = record({ label, count: DISPATCH_INTENTS, ms: ended - measuredFrom, load });
    console.log(`  ${label}: ${fmt(row.count)} in ${(row.ms / 1000).toFixed(2)} s = ${fmt(perSecond(row))}/s`);
    const doneJobs = queue.countJobs({ status: JobStatus.Done });
    const left = queue.countJobs({ status: JobStatus.Pending }) + queue.countJobs({ status: JobStatus.Processing }) + queue.countJobs({ status: JobStatus.Failed });
    check(doneJobs === total && left === 0, `plainjob (${synchronousFull ? 'FULL' : 'default'}): ${fmt(doneJobs)} jobs done, ${fmt(left)} not; expected ${fmt(total)} and 0`);
    return synchronous;
  } finally {
    queue.close();
  }
}

// ---------------------------------------------------------------- main

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-outbox-bench-'));
  const startedAt = performance.now();
  try {
    const cpus = os.cpus();
    console.log(`Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${os.platform()} ${os.release()}`);
    console.log(`Load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; databases in ${dir}`);
    const template = await prepareTemplate(dir);

    // Ours and plainjob's alternate, in rounds, so both see the same disturbances.
    let plainjobSync = NaN;
    let plainjobDefaultSync = NaN;
    for (let round = 1; round <= ROUNDS; round += 1) {
      console.log(`\nEnqueue, round ${round} of ${ROUNDS} (synchronous=FULL): ours, then plainjob 0.0.14's`);
      await enqueuePhase(dir, template, round);
      plainjobSync = await plainjobEnqueue(dir, round);
      console.log(`Dispatch, round ${round} of ${ROUNDS}: Dispatcher.runOnce to a no-op channel, ${fmt(DISPATCH_INTENTS)} intents after ${WARMUP} warm-up (synchronous=FULL)`);
      for (const size of BATCH_SIZES) await dispatchPhase(dir, template, size, round);
      console.log(`plainjob processing, round ${round} of ${ROUNDS}: same count, no-op handler`);
      await plainjobProcess(dir, true, round);
      plainjobDefaultSync = await plainjobProcess(dir, false, round);
    }

    const claims = await claimPhase(dir, template);

    // ------------------------------------------------------------ report
    console.log(`\n=== Outbox throughput (Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}) ===\n`);
    printTable(
      ['Operation', 'Count', 'Seconds', 'Per second', 'Each run (/s)', 'Load (1 min)'],
      [...rates.keys()].map((label) => {
        const top = best(label);
        const runs = rates.get(label) ?? [];
        return [label, fmt(top.count), (top.ms / 1000).toFixed(2), fmt(perSecond(top)), runs.map((r) => fmt(perSecond(r))).join(' / '), top.load.toFixed(2)];
      }),
    );
    console.log(`Seconds and per second: the fastest run${ROUNDS > 1 ? ` of ${ROUNDS} rounds` : ''}, with the 1-minute load average when it started.`);
    console.log(`plainjob's connection: synchronous=${SYNCHRONOUS[plainjobSync] ?? plainjobSync} in the comparison; its own default is ${SYNCHRONOUS[plainjobDefaultSync] ?? plainjobDefaultSync}.`);
    console.log(`\nClaim of ${CLAIM_BATCH} (claimDueIntents, synchronous=FULL), ms: ${CLAIMS} claims on each backlog, alternately, after ${CLAIM_WARMUP} warm-up; load ${claims.loadAvg.toFixed(2)}:\n`);
    const claimRow = (what: string, t: number[]) => [what, median(t).toFixed(2), Math.min(...t).toFixed(2), Math.max(...t).toFixed(2)];
    printTable(['Due intents', 'Median', 'Min', 'Max'], [
      claimRow(`${fmt(PENDING_SMALL)}, due times spread over a day`, claims.smallSpread),
      claimRow(`${fmt(PENDING_LARGE)}, due times spread over a day`, claims.largeSpread),
      claimRow(`${fmt(PENDING_SMALL)}, all due at one instant (a blast)`, claims.smallBlast),
      claimRow(`${fmt(PENDING_LARGE)}, all due at one instant (a blast)`, claims.largeBlast),
    ]);
    console.log(`Query plan: ${claims.plan}`);
    console.log(`(Backlog inserted with raw SQL at ${fmt(claims.loadRate)} rows/s.)`);

    console.log('\nAims:');
    const enqueueRatio = perSecond(best(ENQUEUE_ONE)) / perSecond(best(PLAIN_ADD));
    console.log(`  enqueue, 1 per call / plainjob add, 1 per call (both FULL) = ${enqueueRatio.toFixed(2)}× (aim ≥ 1×): ${enqueueRatio >= 1 ? 'MET' : 'NOT MET'}`);
    console.log(`  (for reference: enqueueIntents / plainjob addMany, ${PER_TRANSACTION} per transaction = ${(perSecond(best(ENQUEUE_MANY)) / perSecond(best(PLAIN_ADD_MANY))).toFixed(2)}×)`);
    const plainRate = perSecond(best(PLAIN_FULL));
    for (const size of BATCH_SIZES) {
      const ratio = perSecond(best(dispatchLabel(size))) / plainRate;
      console.log(`  dispatch (batchSize ${size}) / plainjob processing (FULL) = ${ratio.toFixed(2)}× (aim ≥ ${AIM_RATIO}×): ${ratio >= AIM_RATIO ? 'MET' : 'NOT MET'}`);
    }
    const vsDefault = perSecond(best(dispatchLabel(BATCH_SIZES[0]))) / perSecond(best(PLAIN_DEFAULT));
    console.log(`  (for reference: dispatch (batchSize ${BATCH_SIZES[0]}) / plainjob at its default synchronous = ${vsDefault.toFixed(2)}×)`);
    for (const [what, small, large] of [['due times spread', claims.smallSpread, claims.largeSpread], ['all due at one instant', claims.smallBlast, claims.largeBlast]] as const) {
      const claimRatio = median(large) / median(small);
      console.log(`  claim at ${fmt(PENDING_LARGE)} / claim at ${fmt(PENDING_SMALL)}, ${what} = ${claimRatio.toFixed(2)}× (aim ≤ ${AIM_RATIO}×): ${claimRatio <= AIM_RATIO ? 'MET' : 'NOT MET'}`);
    }
    console.log(`\nLoad average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; total ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
    if (failures.length > 0) {
      console.log(`\nCORRECTNESS FAILURES:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
      return 1;
    }
    console.log('All correctness checks passed.');
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
