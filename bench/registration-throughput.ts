/**
 * Registration throughput through the HTTP API: `POST /api/registrations` on the real server
 * (same start-up path as `npm start`: migrate a fresh SQLite file, first start, app context,
 * Fastify), called over loopback with Node's built-in fetch (undici, keep-alive).
 *
 * Phases: a warm-up (not measured), then BENCH_REQUESTS new registrations (default 2000), each
 * with a distinct mainland mobile number, then the same people again with their numbers
 * formatted differently (must answer 200), BENCH_CONCURRENCY requests in flight (default 16).
 * Prints requests, errors, wall time, req/s and latency p50/p90/p99/max per phase, then checks
 * the database holds one customer and one voucher per new registration (exit 1 if not).
 * Request logging is off (silent logger), so the figures leave out log output.
 *
 *   npm run bench
 *   BENCH_REQUESTS=5000 BENCH_CONCURRENCY=32 npm run bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppContext } from '../bot/app-context.ts';
import { openWebChannel } from '../bot/channels/web/web-channel.ts';
import { buildServer } from '../bot/http/server.ts';
import { systemClock } from '../core/clock.ts';
import { loadConfig } from '../core/config.ts';
import { normalizePhone } from '../core/customers/phone.ts';
import { migrateAndOpenDatabase } from '../core/db/open-database.ts';
import { silentLogger } from '../core/logger.ts';
import { DEFAULT_SOURCE_CODE, ensureFirstStart } from '../core/setup/first-start.ts';

const WARMUP = 200;
const REQUESTS = positiveEnv('BENCH_REQUESTS', 2000);
const CONCURRENCY = positiveEnv('BENCH_CONCURRENCY', 16);

function positiveEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number, at least 1`);
  return value;
}

/** A distinct valid mainland mobile number per index: `prefix` (e.g. 139) + 8 digits. */
function mobile(prefix: string, index: number): string {
  const phone = `${prefix}${String(index).padStart(8, '0')}`;
  if (normalizePhone(phone) === null) throw new Error(`generated an invalid mobile number: ${phone}`);
  return phone;
}

/** The same number as a person might type it the second time (all normalize to the same E.164). */
function reformat(phone: string, index: number): string {
  const formats = [`+86 ${phone}`, `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, `0086-${phone}`, `86${phone}`];
  const formatted = formats[index % formats.length] ?? phone;
  if (normalizePhone(formatted) !== normalizePhone(phone)) throw new Error(`reformatting changed the number: ${formatted}`);
  return formatted;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (value: number): string => value.toFixed(1);

/** Sends `phones.length` registrations, `CONCURRENCY` at a time; resolves to the per-request latencies and failures. */
async function runPhase(baseUrl: string, phones: string[], expectedStatus: number) {
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < phones.length) {
      const index = next++;
      const body = JSON.stringify({
        source: DEFAULT_SOURCE_CODE, name: `测试客户${index}`, phone: phones[index], modelOfInterest: 'not_sure',
        heardFrom: 'walk_in', companions: ['spouse'], serviceConsent: true, marketingConsent: index % 2 === 0,
      });
      const started = performance.now();
      const response = await fetch(`${baseUrl}/api/registrations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.text();
      latencies.push(performance.now() - started);
      if (response.status !== expectedStatus) errors.push(`${response.status} ${text}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { wallMs: performance.now() - started, latencies, errors };
}

function report(label: string, result: Awaited<ReturnType<typeof runPhase>>): void {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  console.log(`\n${label}`);
  console.log(`  requests    ${sorted.length}, errors ${result.errors.length}${result.errors[0] ? ` (first: ${result.errors[0]})` : ''}`);
  console.log(`  wall time   ${(result.wallMs / 1000).toFixed(2)} s`);
  console.log(`  throughput  ${((sorted.length / result.wallMs) * 1000).toFixed(1)} req/s`);
  console.log(`  latency ms  p50 ${ms(at(50))}  p90 ${ms(at(90))}  p99 ${ms(at(99))}  max ${ms(at(100))}`);
}

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-bench-'));
  const config = loadConfig({ DATABASE_URL: `file:${path.join(dir, 'bench.db')}`, GIFT_STOCK: String(WARMUP + REQUESTS), LOG_LEVEL: 'silent' });
  const { db } = await migrateAndOpenDatabase(config.DATABASE_URL);
  const publicBaseUrl = 'http://127.0.0.1';
  const channels = [openWebChannel({ db, clock: systemClock, publicBaseUrl })];
  const server = buildServer(createAppContext({ config, db, clock: systemClock, logger: silentLogger, publicBaseUrl, channels }));
  try {
    await ensureFirstStart(db, systemClock, config);
    const baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
    const cpus = os.cpus();
    console.log(`Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${os.platform()} ${os.release()}`);
    console.log(`${REQUESTS} registrations, ${CONCURRENCY} in flight, after ${WARMUP} warm-up requests; database in ${dir}`);
    const rssBefore = process.memoryUsage().rss;

    await runPhase(baseUrl, Array.from({ length: WARMUP }, (_, i) => mobile('138', i)), 201);
    const phones = Array.from({ length: REQUESTS }, (_, i) => mobile('139', i));
    report('New registrations (201)', await runPhase(baseUrl, phones, 201));
    report('Repeat registrations, reformatted numbers (200)', await runPhase(baseUrl, phones.map(reformat), 200));

    console.log(`\nResident memory: ${mb(rssBefore)} before, ${mb(process.memoryUsage().rss)} after`);
    const expected = WARMUP + REQUESTS;
    const [customers, vouchers] = await Promise.all([db.customer.count(), db.voucher.count()]);
    const ok = customers === expected && vouchers === expected;
    console.log(`Database check: ${customers} customers, ${vouchers} vouchers; expected ${expected} each (warm-up + new): ${ok ? 'OK' : 'FAILED'}`);
    return ok ? 0 : 1;
  } finally {
    await server.close();
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
