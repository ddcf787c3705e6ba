/**
 * A dispatcher in its own process, for the crash test: it sends the outbox's due intents to the
 * fake channel server over HTTP and SIGKILLs itself at a chosen point. Run with
 * `node --import tsx test/fakes/dispatcher-child.ts`.
 *
 * Settings (environment):
 * - DATABASE_URL       the migrated SQLite file (shared with the test and other children)
 * - FAKE_CHANNEL_URL   the fake channel server, e.g. http://127.0.0.1:40123
 * - CRASH_POINT        after-claim | after-sending | during-call | after-answer: kill there;
 *                      timer | none: no self-kill (with `timer` the parent kills it)
 * - CRASH_AFTER        kill at the Nth time the point is reached (default 1)
 * - CRASH_DELAY_MS     during-call only: kill this many ms after the call started, while the
 *                      request is in flight (default 0: at once, before it is written)
 * - LEASE_MS           lease (default 400); BATCH_SIZE (default 5)
 * - DRAIN=1            keep going until every intent is final, waiting out other dispatchers'
 *                      leases and retry back-offs; otherwise exit when nothing is claimable now
 * - WAIT_FOR_GO=1      print `ready` once the database is open, then wait for a line on stdin
 *                      before dispatching (lets the parent start processes ahead of time)
 * - DEADLINE_MS        give up with exit 3 after this long (default 60000)
 * - CRASH_DEBUG=1      print each point reached, with the time, to stderr
 *
 * Prints `ready` (with WAIT_FOR_GO) and, on a clean end, `done {json}`; exits 0.
 */
import { randomUUID } from 'node:crypto';
import { systemClock } from '../../core/clock.ts';
import { openDatabase } from '../../core/db/open-database.ts';
import { silentLogger } from '../../core/logger.ts';
import { ALERT_NOTICE_KIND } from '../../core/outbox/alerts.ts';
import { Dispatcher, type DispatchPoint } from '../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../core/outbox/sql-outbox-store.ts';
import { HttpChannelSender } from './http-channel-sender.ts';

const POINTS: readonly string[] = ['after-claim', 'after-sending', 'during-call', 'after-answer'] satisfies DispatchPoint[];

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

function whole(name: string, fallback: number): number {
  const value = Number(env(name, String(fallback)));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number (got ${process.env[name]})`);
  return value;
}

const crashPoint = env('CRASH_POINT', 'none');
if (!POINTS.includes(crashPoint) && crashPoint !== 'timer' && crashPoint !== 'none') throw new Error(`unknown CRASH_POINT ${crashPoint}`);
const crashAfter = Math.max(1, whole('CRASH_AFTER', 1));
const crashDelayMs = whole('CRASH_DELAY_MS', 0);
const leaseMs = whole('LEASE_MS', 400);
const batchSize = Math.max(1, whole('BATCH_SIZE', 5));
const drain = process.env.DRAIN === '1';
const deadline = Date.now() + whole('DEADLINE_MS', 60_000);

const die = (): void => {
  process.kill(process.pid, 'SIGKILL');
};

let reached = 0;
const onPoint = (point: DispatchPoint): void => {
  if (process.env.CRASH_DEBUG) process.stderr.write(`${performance.now().toFixed(1)} ${point}\n`);
  if (point !== crashPoint) return;
  reached += 1;
  if (reached !== crashAfter) return;
  if (point === 'during-call' && crashDelayMs > 0) setTimeout(die, crashDelayMs);
  else die();
};

const db = await openDatabase(env('DATABASE_URL'));
const dispatcher = new Dispatcher({
  store: sqlOutboxStore(db),
  clock: systemClock,
  logger: silentLogger,
  senders: [new HttpChannelSender(env('FAKE_CHANNEL_URL'), 'WEB')],
  owner: `child-${process.pid}-${randomUUID().slice(0, 8)}`, // unique even if a pid is reused
  batchSize,
  leaseMs,
  sendTimeoutMs: 10_000,
  // Short back-off so that 429s and 5xx resolve within the test; never dead in practice.
  retry: { maxAttempts: 50, baseDelayMs: 10, maxDelayMs: 200 },
  onPoint,
});

if (process.env.WAIT_FOR_GO === '1') {
  await warmUp();
  process.stdout.write('ready\n');
  await new Promise<void>((resolve, reject) => {
    process.stdin.setEncoding('utf8');
    process.stdin.once('data', () => resolve());
    process.stdin.once('end', () => reject(new Error('stdin closed before go')));
  });
  process.stdin.pause();
}

/**
 * Runs the dispatcher's queries and a request once, changing nothing, so that loading Prisma's
 * query compiler and fetch's HTTP client happens before "go" rather than inside the first batch.
 */
async function warmUp(): Promise<void> {
  await db.messageIntent.findMany({ where: { id: { in: [] } }, include: { store: true } });
  await db.channelIdentity.findMany({ where: { customerId: { in: [] } } });
  await db.consentRecord.findMany({ where: { customerId: { in: [] } } });
  await db.$transaction(async (tx) => {
    await tx.messageIntent.updateMany({ where: { id: '', leaseOwner: '' }, data: { leaseOwner: null } });
  });
  await fetch(`${env('FAKE_CHANNEL_URL')}/warm-up`).then((response) => response.arrayBuffer()).catch(() => undefined);
}

let claimed = 0;
let batches = 0;
for (;;) {
  const n = await dispatcher.runOnce();
  if (n > 0) {
    claimed += n;
    batches += 1;
    continue;
  }
  if (!drain) break;
  // Admin alert notices wait for the admin to link a chat: not part of the scenario.
  const next = await db.messageIntent.findFirst({ where: { nextAttemptAt: { not: null }, kind: { not: ALERT_NOTICE_KIND } }, orderBy: { nextAttemptAt: 'asc' }, select: { nextAttemptAt: true } });
  if (!next?.nextAttemptAt) break;
  if (Date.now() > deadline) {
    process.stderr.write(`gave up: intents still not final after DEADLINE_MS (next due ${next.nextAttemptAt.toISOString()})\n`);
    process.exit(3);
  }
  const waitMs = Math.min(50, Math.max(5, next.nextAttemptAt.getTime() - Date.now()));
  await new Promise((resolve) => setTimeout(resolve, waitMs));
}
await db.$disconnect();
process.stdout.write(`done ${JSON.stringify({ claimed, batches })}\n`);
process.exit(0);
