/**
 * The outbox crash scenario, shared by the crash test (test/core/outbox/dispatcher-crash.test.ts)
 * and the soak benchmark (bench/outbox-crash-soak.ts).
 *
 * Dispatchers run as child processes (test/fakes/dispatcher-child.ts) against a fake HTTP
 * channel on 127.0.0.1 and are SIGKILLed at random points: at one of the dispatcher's four
 * points (after the claim, after `SENDING` is committed, during the call, after the answer), or
 * by the parent's timer anywhere (mid-transaction included). Sometimes two dispatchers run at
 * once on the same database. The outbox is topped up before every round, so every child has
 * work. At the end one child without a crash point drains the outbox, and the outcome is
 * checked against the outbox's promise: every intent final, no key delivered twice, and every
 * intent that may or may not have gone out (the declared ambiguous window) `UNKNOWN`, counted
 * and alerted.
 *
 * Children are started ahead of time and wait on stdin for "go", so the ~0.3 s start-up of
 * `node --import tsx` overlaps with the previous round.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { systemClock } from '../../core/clock.ts';
import { loadConfig } from '../../core/config.ts';
import type { Database } from '../../core/db/open-database.ts';
import type { DispatchPoint } from '../../core/outbox/dispatcher.ts';
import { ALERT_NOTICE_KIND } from '../../core/outbox/alerts.ts';
import { countClaimable } from '../../core/outbox/claim-intents.ts';
import { ensureFirstStart } from '../../core/setup/first-start.ts';
import { createReachableCustomer } from '../helpers/intents.ts';
import { startFakeChannelServer, type FakeChannelAnswer, type FakeChannelServer } from './fake-channel-server.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'dispatcher-child.ts');
const REPO_ROOT = path.resolve(HERE, '../..');
/** tsx's ESM loader as a URL, so `node --import <it>` works from any directory (as spawn-bot.ts). */
const TSX_LOADER = pathToFileURL(createRequire(path.join(REPO_ROOT, 'package.json')).resolve('tsx')).href;
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'LANG', 'LC_ALL'];

export const CRASH_POINTS = ['after-claim', 'after-sending', 'during-call', 'after-answer'] as const satisfies readonly DispatchPoint[];
/** Where a child dies: at a dispatcher point (it kills itself there) or when the parent's timer fires. */
export type KillPoint = DispatchPoint | 'timer';
export const KILL_POINTS: readonly KillPoint[] = [...CRASH_POINTS, 'timer'];
const TERMINAL = new Set(['SENT', 'UNKNOWN', 'DEAD', 'EXPIRED', 'CANCELLED']);

export interface CrashScenarioOptions {
  /** A migrated, otherwise empty database, and its URL for the children. */
  db: Database;
  databaseUrl: string;
  /** How many SIGKILLs to land (the run goes on until this many children died by one). */
  kills: number;
  seed: number;
  batchSize?: number;
  leaseMs?: number;
  /** Share of rounds that start two dispatchers at once (default 0.3). */
  pairShare?: number;
  /** Claimable intents to have before each round (default 6 × batch size). */
  topUpTo?: number;
  /** Children started ahead of time (default 3). */
  warm?: number;
  /** Progress lines (every `progressEvery` kills). */
  log?: (line: string) => void;
  progressEvery?: number;
}

export interface CrashScenarioResult {
  seed: number;
  batchSize: number;
  /** Children started with a crash plan (the draining child not included). */
  runs: number;
  kills: Record<KillPoint, number>;
  totalKills: number;
  /** Children whose crash point never came (they ran out of work) and exited cleanly. */
  cleanExits: number;
  /** Rounds with two dispatchers at once. */
  pairedRounds: number;
  rounds: number;
  intents: number;
  states: Record<string, number>;
  sent: number;
  unknown: number;
  /** UNKNOWN intents the fake channel did receive (the request left before the crash). */
  unknownDelivered: number;
  /** Keys the fake channel received more than once: must be 0. */
  duplicates: number;
  /** Requests the fake channel refused with 429 or 5xx (then retried). */
  refusedRequests: number;
  durationMs: number;
  /** Every broken promise, described; empty when the outbox kept its word. */
  violations: string[];
}

/** mulberry32: a small seeded PRNG, so a failing run's crash plans can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from `CRASH_SEED` if set, else a fresh one. */
export function seedFromEnv(): number {
  const given = process.env.CRASH_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0) throw new Error(`CRASH_SEED must be a whole number (got ${given})`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/** A whole number from the environment, at least 1. */
export function positiveIntFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number, at least 1 (got ${process.env[name]})`);
  return value;
}

/** The summary line both the test and the benchmark print. */
export function summarize(r: CrashScenarioResult): string {
  const perPoint = KILL_POINTS.map((p) => `${p} ${r.kills[p]}`).join(', ');
  return `outbox crash test seed=${r.seed}: ${r.totalKills} kills in ${r.runs} runs (${perPoint}; ${r.cleanExits} clean exits; `
    + `${r.pairedRounds}/${r.rounds} rounds with two dispatchers), ${r.intents} intents: sent=${r.sent} unknown=${r.unknown} `
    + `(${r.unknownDelivered} delivered, ${r.unknown - r.unknownDelivered} not) duplicates=${r.duplicates} `
    + `refused-and-retried=${r.refusedRequests}, ${(r.durationMs / 1000).toFixed(1)} s`;
}

interface KillPlan {
  point: KillPoint;
  /** The occurrence of the point to die at. */
  after: number;
  /** during-call: ms from the call's start to the kill; timer: ms from "go" to the parent's kill. */
  delayMs: number;
}

interface Child {
  plan: KillPlan | null;
  process: ChildProcess;
  ready: Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

function startChild(env: Record<string, string>, plan: KillPlan | null): Child {
  const inherited = Object.fromEntries(PASSED_THROUGH.flatMap((key) => (process.env[key] === undefined ? [] : [[key, process.env[key] as string]])));
  // --liftoff-only: V8 compiles Prisma's query-compiler WebAssembly with its baseline compiler
  // only; the optimizing tier would burn ~0.5 s of CPU per short-lived child for nothing.
  const child = spawn(process.execPath, ['--liftoff-only', '--import', TSX_LOADER, CHILD], { cwd: os.tmpdir(), env: { ...inherited, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  child.stdin?.on('error', () => undefined); // writing "go" to a child that already died
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      err += `\n[spawn error] ${error.message}`;
      resolve({ code: null, signal: null });
    });
  });
  const output = () => `child pid ${child.pid} plan ${JSON.stringify(plan)}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`;
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (out.includes('ready\n')) {
        child.stdout?.off('data', check);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exit.then(() => reject(new Error(`child exited before it was ready\n${output()}`)));
  });
  ready.catch(() => undefined); // observed by whoever awaits it
  return { plan, process: child, ready, exit, output };
}

async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(what())), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/** First start, then every hour open (start === end), so the real clock never meets quiet hours. */
async function prepareStore(db: Database): Promise<{ storeId: string; customerIds: string[] }> {
  const { storeId } = await ensureFirstStart(db, systemClock, loadConfig({}));
  await db.store.update({ where: { id: storeId }, data: { customerHoursStart: '00:00', customerHoursEnd: '00:00', staffHoursStart: '00:00', staffHoursEnd: '00:00' } });
  const customerIds: string[] = [];
  for (let n = 1; n <= 10; n += 1) customerIds.push(await createReachableCustomer(db, n, systemClock.now()));
  return { storeId, customerIds };
}

/**
 * Runs the scenario and checks the outcome; never throws for a broken promise (see
 * `violations`), only for a broken harness (a child that failed on its own, a timeout).
 */
export async function runCrashScenario(options: CrashScenarioOptions): Promise<CrashScenarioResult> {
  const { db, databaseUrl, seed } = options;
  const batchSize = options.batchSize ?? 5;
  const leaseMs = options.leaseMs ?? 400;
  const pairShare = options.pairShare ?? 0.3;
  const topUpTo = options.topUpTo ?? 6 * batchSize;
  const warm = Math.max(2, options.warm ?? 3);
  const random = seededRandom(seed);
  const serverRandom = seededRandom(seed ^ 0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const started = performance.now();

  const { storeId, customerIds } = await prepareStore(db);
  // Mostly delivered; some 429s (Telegram style, 0 or 1 s) and 5xx, retried by the dispatcher.
  // Half the answers are held 5–40 ms: the window where a kill leaves a request unanswered.
  const server: FakeChannelServer = await startFakeChannelServer({
    answer: (): FakeChannelAnswer => {
      const r = serverRandom();
      if (r < 0.03) return { kind: 'rate-limited', retryAfterSeconds: serverRandom() < 0.2 ? 1 : 0 };
      if (r < 0.06) return { kind: 'server-error', status: serverRandom() < 0.5 ? 502 : 503 };
      return { kind: 'ok' };
    },
    delayMs: () => (serverRandom() < 0.5 ? 0 : 5 + Math.floor(serverRandom() * 36)),
  });

  const childEnv = (plan: KillPlan | null): Record<string, string> => ({
    DATABASE_URL: databaseUrl,
    FAKE_CHANNEL_URL: server.url,
    LEASE_MS: String(leaseMs),
    BATCH_SIZE: String(batchSize),
    ...(plan
      ? { WAIT_FOR_GO: '1', CRASH_POINT: plan.point, CRASH_AFTER: String(plan.after), CRASH_DELAY_MS: plan.point === 'during-call' ? String(plan.delayMs) : '0' }
      : { CRASH_POINT: 'none', DRAIN: '1', DEADLINE_MS: '60000' }),
  });

  const newPlan = (): KillPlan => {
    const point = pick(KILL_POINTS);
    switch (point) {
      case 'during-call':
        // Up to ~2 batches of calls; half die before the request is written, half while it is out.
        return { point, after: 1 + Math.floor(random() * 2 * batchSize), delayMs: random() < 0.5 ? 0 : 1 + Math.floor(random() * 30) };
      case 'timer':
        return { point, after: 1, delayMs: Math.floor(random() * 150) };
      default:
        return { point, after: 1 + Math.floor(random() * 3), delayMs: 0 };
    }
  };

  let sequence = 0;
  const topUp = async (): Promise<void> => {
    // What a child could claim now: a chat whose send was cut short by a kill waits for its lease.
    const claimable = await countClaimable(db, new Date());
    const missing = topUpTo - claimable;
    if (missing <= 0) return;
    const now = new Date();
    // The rows enqueueIntent writes, in one statement: the parent's share of the CPU stays small.
    await db.messageIntent.createMany({
      data: Array.from({ length: missing }, () => {
        const n = sequence++;
        const key = `crash-${String(n).padStart(6, '0')}`;
        // Half to staff at a fixed address (no consent applies), half to customers, reached on
        // their web chat identity (consent checked at send time; ten customers, so some sends
        // to one chat go in order within a batch).
        const target = n % 2 === 0
          ? { purpose: 'STAFF' as const, channel: 'WEB' as const, address: `staff-${n}` }
          : { purpose: 'SERVICE' as const, customerId: customerIds[n % customerIds.length] as string };
        return {
          dedupeKey: key, storeId, kind: 'crash_test', payload: JSON.stringify({ kind: 'text', text: `message ${key}` }),
          sendAt: now, nextAttemptAt: now, expiresAt: new Date(now.getTime() + 24 * 3600_000), ...target,
        };
      }),
    });
  };

  const kills = Object.fromEntries(KILL_POINTS.map((p) => [p, 0])) as Record<KillPoint, number>;
  let totalKills = 0;
  let runs = 0;
  let cleanExits = 0;
  let rounds = 0;
  let pairedRounds = 0;
  const pool: Child[] = [];
  const all = new Set<Child>();
  const spawnWarm = () => {
    const plan = newPlan();
    const child = startChild(childEnv(plan), plan);
    all.add(child);
    void child.exit.then(() => all.delete(child));
    pool.push(child);
  };
  const maxRuns = options.kills * 3 + 20;

  try {
    for (let i = 0; i < warm; i += 1) spawnWarm();
    while (totalKills < options.kills) {
      if (runs >= maxRuns) throw new Error(`only ${totalKills} kills after ${runs} runs (seed ${seed}): children keep running out of work`);
      await topUp();
      const two = random() < pairShare;
      const group = pool.splice(0, two ? 2 : 1);
      for (let i = 0; i < group.length; i += 1) spawnWarm(); // start the next ones now, while these run
      await within(Promise.all(group.map((c) => c.ready)), 30_000, () => `children not ready within 30 s (seed ${seed})\n${group.map((c) => c.output()).join('\n')}`);
      rounds += 1;
      if (group.length === 2) pairedRounds += 1;
      const timers: NodeJS.Timeout[] = [];
      for (const child of group) {
        runs += 1;
        child.process.stdin?.write('go\n');
        if (child.plan?.point === 'timer') {
          timers.push(setTimeout(() => {
            if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
          }, child.plan.delayMs));
        }
      }
      const exits = await within(Promise.all(group.map((c) => c.exit)), 30_000, () => `children did not end within 30 s (seed ${seed})\n${group.map((c) => c.output()).join('\n')}`);
      for (const timer of timers) clearTimeout(timer);
      exits.forEach((exit, i) => {
        const child = group[i] as Child;
        const point = (child.plan as KillPlan).point;
        if (exit.signal === 'SIGKILL') {
          kills[point] += 1;
          totalKills += 1;
          if (options.log && options.progressEvery && totalKills % options.progressEvery === 0) {
            options.log(`  ${totalKills} kills, ${runs} runs, ${sequence} intents, ${((performance.now() - started) / 1000).toFixed(1)} s`);
          }
        } else if (exit.code === 0) {
          cleanExits += 1;
        } else {
          throw new Error(`a dispatcher failed on its own (exit ${JSON.stringify(exit)}, seed ${seed})\n${child.output()}`);
        }
      });
    }
    for (const child of pool.splice(0)) child.process.kill('SIGKILL');

    // One dispatcher without a crash point finishes everything: expired leases, back-offs.
    const drainer = startChild(childEnv(null), null);
    all.add(drainer);
    const exit = await within(drainer.exit, 90_000, () => `the draining dispatcher did not finish within 90 s (seed ${seed})\n${drainer.output()}`);
    if (exit.code !== 0) throw new Error(`the draining dispatcher failed (exit ${JSON.stringify(exit)}, seed ${seed})\n${drainer.output()}`);

    return { ...(await check(db, server, batchSize, kills)), seed, batchSize, runs, kills, totalKills, cleanExits, pairedRounds, rounds, durationMs: performance.now() - started };
  } finally {
    for (const child of all) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await Promise.all([...all].map((c) => c.exit));
    await server.close();
  }
}

/** Compares the outbox with what the fake channel received. */
async function check(db: Database, server: FakeChannelServer, batchSize: number, kills: Record<KillPoint, number>) {
  const violations: string[] = [];
  const list = (keys: string[]) => `${keys.slice(0, 10).join(', ')}${keys.length > 10 ? `, … (${keys.length})` : ''}`;
  // The admins' alert notices are staff messages of their own, not part of what the scenario sends.
  const intents = await db.messageIntent.findMany({ where: { kind: { not: ALERT_NOTICE_KIND } }, select: { id: true, dedupeKey: true, state: true, lastError: true } });
  const alerts = await db.alert.findMany({ where: { kind: 'intent_unknown' }, select: { intentId: true } });
  const alertsPerIntent = new Map<string, number>();
  for (const alert of alerts) if (alert.intentId) alertsPerIntent.set(alert.intentId, (alertsPerIntent.get(alert.intentId) ?? 0) + 1);

  const states: Record<string, number> = {};
  for (const intent of intents) states[intent.state] = (states[intent.state] ?? 0) + 1;
  const byKey = new Map(intents.map((i) => [i.dedupeKey, i]));

  const notFinal = intents.filter((i) => !TERMINAL.has(i.state));
  if (notFinal.length > 0) violations.push(`not final: ${list(notFinal.map((i) => `${i.dedupeKey}=${i.state}`))}`);
  const unexpected = intents.filter((i) => TERMINAL.has(i.state) && i.state !== 'SENT' && i.state !== 'UNKNOWN');
  if (unexpected.length > 0) violations.push(`final but neither SENT nor UNKNOWN: ${list(unexpected.map((i) => `${i.dedupeKey}=${i.state} (${i.lastError})`))}`);

  const duplicated = [...server.received].filter(([, count]) => count > 1);
  if (duplicated.length > 0) violations.push(`delivered more than once: ${list(duplicated.map(([key, count]) => `${key}×${count}`))}`);
  const strangers = [...server.received.keys()].filter((key) => !byKey.has(key));
  if (strangers.length > 0) violations.push(`delivered keys no intent has: ${list(strangers)}`);
  const deliveredButOpen = [...server.received.keys()].filter((key) => {
    const state = byKey.get(key)?.state;
    return state !== undefined && state !== 'SENT' && state !== 'UNKNOWN';
  });
  if (deliveredButOpen.length > 0) violations.push(`delivered but neither SENT nor UNKNOWN: ${list(deliveredButOpen.map((k) => `${k}=${byKey.get(k)?.state}`))}`);

  const sent = intents.filter((i) => i.state === 'SENT');
  const sentNotOnce = sent.filter((i) => server.received.get(i.dedupeKey) !== 1);
  if (sentNotOnce.length > 0) violations.push(`SENT but not delivered exactly once: ${list(sentNotOnce.map((i) => `${i.dedupeKey}×${server.received.get(i.dedupeKey) ?? 0}`))}`);

  const unknown = intents.filter((i) => i.state === 'UNKNOWN');
  const unalerted = unknown.filter((i) => alertsPerIntent.get(i.id) !== 1);
  if (unalerted.length > 0) violations.push(`UNKNOWN without exactly one intent_unknown alert: ${list(unalerted.map((i) => `${i.dedupeKey} (${alertsPerIntent.get(i.id) ?? 0} alerts)`))}`);
  // Only a kill between SENDING and the committed outcome leaves an intent ambiguous; the
  // parent's timer may land there too. Each such kill strands at most one batch.
  const ambiguousKills = kills['after-sending'] + kills['during-call'] + kills['after-answer'] + kills.timer;
  if (unknown.length > ambiguousKills * batchSize) {
    violations.push(`${unknown.length} UNKNOWN intents, more than ${ambiguousKills} kills in the ambiguous window × batch size ${batchSize}`);
  }
  const notFromCrash = unknown.filter((i) => !i.lastError?.startsWith('the dispatcher stopped while sending'));
  if (notFromCrash.length > 0) violations.push(`UNKNOWN without a crash (a send timed out or failed oddly): ${list(notFromCrash.map((i) => `${i.dedupeKey}: ${i.lastError}`))}`);

  return {
    intents: intents.length,
    states,
    sent: sent.length,
    unknown: unknown.length,
    unknownDelivered: unknown.filter((i) => (server.received.get(i.dedupeKey) ?? 0) > 0).length,
    duplicates: duplicated.length,
    refusedRequests: [...server.requests.values()].reduce((a, b) => a + b, 0) - [...server.received.values()].reduce((a, b) => a + b, 0),
    violations,
  };
}
