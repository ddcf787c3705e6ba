/**
 * Dispatch throughput on PostgreSQL with one and with three running instances of the bot, beside
 * pg-boss's processing rate on the same server in the same run (issue #15's yardstick).
 *
 * Each measurement gets a fresh database on the server of TEST_POSTGRES_URL (default: the local
 * server), dropped at the end.
 * - The bot: 1, then 3 instances of `bot/main.ts` (child processes, the embedded web channel,
 *   OUTBOX_POLL_MS=100), the first one started alone (it migrates), ready by `/readyz`. Then
 *   BENCH_INTENTS replies are queued in one transaction, each to its own web chat (the web chat
 *   has no overall rate limit and one message per chat meets no per-chat limit), and the clock
 *   runs until every one is SENT (counted every 50 ms).
 * - pg-boss 10.4.2: the same number of jobs inserted into a queue, then fetched 50 at a time (the
 *   dispatcher's batch size) and completed, back to back, until every job completed.
 *
 * The bot's three instances elect one outbox dispatcher between them (a lease), so the platforms'
 * rate limits are kept in one place: the other two stand by. Prints figures and ratios, the
 * load average beside each (a shared 2-core machine), and the server's autovacuum setting; never
 * fails on timing; exits 1 when a result is wrong (a message not sent, a job not completed).
 *
 *   npm run bench
 *   BENCH_INTENTS=20000 tsx bench/multi-instance-throughput.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { createDatabase, dropDatabase, testPostgresUrl } from '../core/db/postgres-databases.ts';
import { insertIntents } from '../test/helpers/bulk-intents.ts';

const INTENTS = Number(process.env.BENCH_INTENTS ?? 10_000);
if (!Number.isInteger(INTENTS) || INTENTS < 1) throw new Error('BENCH_INTENTS must be a whole number, at least 1');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX_LOADER = pathToFileURL(createRequire(path.join(ROOT, 'package.json')).resolve('tsx')).href;
const READY_LIMIT_MS = 120_000;
const RUN_LIMIT_MS = 600_000;

const server = testPostgresUrl(process.env);
const databases: string[] = [];
const children: ChildProcess[] = [];
const workDir = mkdtempSync(path.join(os.tmpdir(), 'showroom-bench-'));
const load1 = () => (os.loadavg()[0] ?? NaN).toFixed(2);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freshDatabase(label: string): Promise<string> {
  const name = `showroom_bench_${label}_${randomBytes(4).toString('hex')}`;
  databases.push(name);
  return createDatabase(server, name);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts an instance of the bot on `url` and waits until `/readyz` answers 200. */
async function startInstance(url: string, name: string): Promise<ChildProcess> {
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'silent', INSTANCE_NAME: name, OUTBOX_POLL_MS: '100' };
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'bot/main.ts')], { cwd: workDir, env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  for (const deadline = Date.now() + READY_LIMIT_MS; Date.now() < deadline; await sleep(200)) {
    if (child.exitCode !== null) throw new Error(`instance ${name} exited with ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ready) return child;
  }
  throw new Error(`instance ${name} was not ready within ${READY_LIMIT_MS} ms`);
}

async function stopInstances(instances: ChildProcess[]): Promise<void> {
  await Promise.all(instances.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  })));
}

/** Queues the replies, each to its own web chat, in one transaction; returns when they are committed. */
async function queueReplies(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ id: string }>('SELECT "id" FROM "Store" LIMIT 1');
  const storeId = rows[0]?.id;
  if (!storeId) throw new Error('no store: the first instance did not set up the database');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 3_600_000);
  await insertIntents(client, storeId, Array.from({ length: INTENTS }, (_, i) => ({
    dedupeKey: `bench:${i}`, channel: 'WEB', address: `bench-${i}`, purpose: 'REPLY', kind: 'bench', text: `您好 ${i}`, sendAt: now, expiresAt,
  })));
}

/** Dispatch with `count` instances: messages a second from the commit of the queue to the last SENT. */
async function botRate(count: number): Promise<number> {
  const url = await freshDatabase(`bot${count}`);
  const instances = [await startInstance(url, 'bench-1')];
  instances.push(...(await Promise.all(Array.from({ length: count - 1 }, (_, i) => startInstance(url, `bench-${i + 2}`)))));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await queueReplies(client);
    const started = performance.now();
    for (const deadline = Date.now() + RUN_LIMIT_MS; ; await sleep(50)) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "MessageIntent" WHERE "kind" = 'bench' AND "state" = 'SENT'`);
      if (Number(rows[0]?.n) === INTENTS) break;
      if (Date.now() > deadline) throw new Error(`${count} instance(s): only ${rows[0]?.n} of ${INTENTS} sent within ${RUN_LIMIT_MS} ms`);
    }
    return (INTENTS / (performance.now() - started)) * 1000;
  } finally {
    await client.end();
    await stopInstances(instances);
  }
}

/**
 * pg-boss: jobs completed a second by one consumer that fetches 50 (the dispatcher's batch size)
 * and completes them, again and again without pause, doing nothing with them. (pg-boss's own
 * `work()` loop waits its polling interval, 0.5 s at the least, after every batch, so it would
 * measure the interval rather than the queue.)
 */
async function pgBossRate(): Promise<number> {
  const boss = new PgBoss({ connectionString: await freshDatabase('pgboss'), max: 10 });
  boss.on('error', (error: Error) => console.error('pg-boss:', error.message));
  await boss.start();
  try {
    await boss.createQueue('bench');
    for (let start = 0; start < INTENTS; start += 1_000) {
      await boss.insert(Array.from({ length: Math.min(1_000, INTENTS - start) }, (_, i) => ({ name: 'bench', data: { n: start + i } })));
    }
    const started = performance.now();
    for (let done = 0; done < INTENTS;) {
      const jobs = await boss.fetch('bench', { batchSize: 50 });
      if (jobs.length === 0) throw new Error(`pg-boss: ${done} of ${INTENTS} fetched, then none`);
      await boss.complete('bench', jobs.map((job) => job.id));
      done += jobs.length;
    }
    const elapsed = performance.now() - started;
    const left = await boss.getQueueSize('bench', { before: 'completed' });
    if (left > 0) throw new Error(`pg-boss: ${left} jobs not completed`);
    return (INTENTS / elapsed) * 1000;
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

async function main(): Promise<number> {
  const probe = new pg.Client({ connectionString: server });
  await probe.connect();
  const { rows } = await probe.query<{ version: string; autovacuum: string }>(`SELECT split_part(version(), ' on ', 1) AS version, current_setting('autovacuum') AS autovacuum`);
  await probe.end();
  console.log(`${rows[0]?.version} at ${new URL(server).host}, autovacuum ${rows[0]?.autovacuum}; ${INTENTS} messages or jobs per run; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const boss = await pgBossRate();
  console.log(`pg-boss 10.4.2, fetch+complete by 50: ${boss.toFixed(0).padStart(6)} jobs/s      (load ${load1()})`);
  const one = await botRate(1);
  console.log(`dispatch, 1 instance:                   ${one.toFixed(0).padStart(6)} messages/s  (load ${load1()})`);
  const three = await botRate(3);
  console.log(`dispatch, 3 instances:                  ${three.toFixed(0).padStart(6)} messages/s  (load ${load1()})`);
  console.log(`\n1 instance ÷ pg-boss:   ${(one / boss).toFixed(2)}×  (aim ≥ 2×: ${one >= 2 * boss ? 'met' : 'NOT met'})`);
  console.log(`3 instances ÷ pg-boss:  ${(three / boss).toFixed(2)}×`);
  console.log(`3 instances ÷ 1:        ${(three / one).toFixed(2)}×  (aim ≥ 2× where the platforms' limits allow: ${three >= 2 * one ? 'met' : 'NOT met'}; one instance holds the dispatcher role at a time)`);
  return 0;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    return 1;
  })
  .then(async (code) => {
    await stopInstances(children);
    for (const name of databases) await dropDatabase(server, name).catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
    process.exit(code);
  });
