/**
 * Report speed on a big store: a fresh SQLite file (migrated, first start as `npm start` does)
 * seeded with BENCH_CUSTOMERS customers (default 100,000), each with a visit and a lead spread
 * over a year, BENCH_INTENTS message intents (default 1,000,000), a year of surveys (six in ten
 * visits), follow-ups (20 consultants, 25 a working day between them), orders, tickets and the
 * desk's walk-in counts. Rows are written with better-sqlite3 in large transactions (the seeding
 * is not what is measured).
 *
 * Then, for the store and for one consultant, the report of yesterday, last week, last month
 * and the last 12 months (every figure plus its trend), and the `/admin/reports` page as a
 * manager gets it over HTTP: each timed 3 times, the best and the worst printed, with the
 * headline figures. The target is under 1 s per page on 2 cores.
 *
 *   npm run bench
 *   BENCH_CUSTOMERS=20000 BENCH_INTENTS=200000 npx tsx bench/report-speed.ts
 *   BENCH_DB=/tmp/report-bench.db npx tsx bench/report-speed.ts   # keep the seeded file, reuse it next time
 */
import Sqlite from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppContext } from '../bot/app-context.ts';
import { buildServer } from '../bot/http/server.ts';
import { FixedClock } from '../core/clock.ts';
import { loadConfig } from '../core/config.ts';
import { migrateAndOpenDatabase } from '../core/db/open-database.ts';
import { silentLogger } from '../core/logger.ts';
import { buildReport, buildTrend } from '../core/reports/build-report.ts';
import { currentPeriod, periodOf, previousPeriod, type ReportPeriod } from '../core/reports/report-period.ts';
import { ensureFirstStart } from '../core/setup/first-start.ts';
import { createLoginLink } from '../core/staff/staff-sessions.ts';

const CUSTOMERS = positiveEnv('BENCH_CUSTOMERS', 100_000);
const INTENTS = positiveEnv('BENCH_INTENTS', 1_000_000);
const CONSULTANTS = 20;
const ZONE = 'Asia/Shanghai';
/** "Now": Monday 1 December 2026, 09:00 in Shanghai; the year before it is seeded. */
const NOW = new Date('2026-12-01T01:00:00Z');
const YEAR_MS = 365 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

function positiveEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number, at least 1`);
  return value;
}

/** Prisma's SQLite text form of an instant. */
const stamp = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');
/** A deterministic pseudo-random stream (mulberry32), so every run seeds the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function seed(file: string, storeId: string, sourceId: string, consultants: string[], managerId: string): void {
  const raw = new Sqlite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const rnd = random(17);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const start = NOW.getTime() - YEAR_MS;
  const grades = ['N', 'H', 'A', 'B', 'C', 'C', 'B', 'O', 'D', 'F'] as const;
  const insert = {
    customer: raw.prepare('INSERT INTO "Customer" (id, name, phone, birthdayCalendar, locale, createdAt, updatedAt) VALUES (?, ?, ?, \'GREGORIAN\', \'zh-CN\', ?, ?)'),
    visit: raw.prepare('INSERT INTO "Visit" (id, customerId, storeId, qrSourceId, consultantId, channel, visitedAt, heardFrom, companions, createdAt) VALUES (?, ?, ?, ?, ?, \'WEB\', ?, ?, \'\', ?)'),
    lead: raw.prepare('INSERT INTO "Lead" (id, storeId, customerId, ownerStaffId, grade, gradedAt, source, firstVisitAt, nextFollowUpAt, pool, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    survey: raw.prepare('INSERT INTO "Survey" (id, storeId, customerId, consultantId, kind, subjectId, state, locale, score, scoredAt, factor, unclearCount, sendAt, sentAt, expiresAt, createdAt) VALUES (?, ?, ?, ?, \'VISIT\', ?, ?, \'zh-CN\', ?, ?, ?, 0, ?, ?, ?, ?)'),
    followUp: raw.prepare('INSERT INTO "FollowUp" (id, leadId, staffId, way, note, gradeBefore, gradeAfter, nextFollowUpAt, at) VALUES (?, ?, ?, \'call\', \'电话跟进\', ?, ?, NULL, ?)'),
    order: raw.prepare('INSERT INTO "Order" (id, storeId, customerId, consultantId, model, orderedAt, deliveryAt, status, deliveredAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, \'城市SUV\', ?, ?, ?, ?, ?, ?)'),
    ticket: raw.prepare('INSERT INTO "Ticket" (id, reference, storeId, type, status, customerId, consultantId, description, dueAt, takenAt, closedAt, category, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, \'—\', ?, ?, ?, ?, ?)'),
    party: raw.prepare('INSERT INTO "WalkInParty" (id, storeId, staffId, requestKey, at) VALUES (?, ?, ?, ?, ?)'),
    intent: raw.prepare('INSERT INTO "MessageIntent" (id, dedupeKey, storeId, customerId, purpose, kind, payload, sendAt, enqueueSeq, expiresAt, state, attempts, paceWaits, priority, sentAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, \'SERVICE\', ?, \'{}\', ?, 0, ?, ?, 1, 0, 0, ?, ?, ?)'),
  };
  const customers = raw.transaction(() => {
    for (let i = 0; i < CUSTOMERS; i += 1) {
      const at = start + Math.floor(rnd() * YEAR_MS);
      const id = `cu${i}`;
      const consultant = pick(consultants);
      const grade = pick(grades);
      insert.customer.run(id, `客户${i}`, `+86139${String(i).padStart(8, '0')}`, stamp(at), stamp(at));
      insert.visit.run(`vi${i}`, id, storeId, rnd() < 0.7 ? sourceId : null, consultant, stamp(at), pick(['walk_in', 'online', 'phone', 'referral', 'other']), stamp(at));
      // As the store's jobs keep it: leads first seen over 6 months ago are in the marketing pool; one open lead in ten is overdue.
      const open = 'NHABC'.includes(grade);
      const next = open ? stamp(rnd() < 0.1 ? NOW.getTime() - Math.floor(rnd() * 10 * DAY_MS) : NOW.getTime() + Math.floor(rnd() * 15 * DAY_MS)) : null;
      insert.lead.run(`le${i}`, storeId, id, consultant, grade, grade === 'N' ? null : stamp(at), pick(['walk_in', 'online', 'phone', 'referral']), stamp(at), next, NOW.getTime() - at > 182 * DAY_MS ? 'MARKETING' : 'ACTIVE', stamp(at), stamp(at));
      if (rnd() < 0.6) {
        const sent = at + DAY_MS;
        const score = rnd() < 0.75 ? 1 + Math.floor(rnd() ** 0.3 * 10) : null;
        insert.survey.run(`su${i}`, storeId, id, consultant, `vi${i}`, score === null ? pick(['SENT', 'EXPIRED']) : 'COMPLETED', score, score === null ? null : stamp(sent + 3600_000), score !== null && score < 8 ? pick(['reception_wait', 'test_drive', 'price_transparency']) : null, stamp(sent), stamp(sent), stamp(sent + 2 * DAY_MS), stamp(at));
        if (score !== null && score < 8) insert.ticket.run(`tr${i}`, `R-${i}`, storeId, 'RECALL', rnd() < 0.8 ? 'CLOSED' : 'OPEN', id, consultant, stamp(sent + 2 * DAY_MS), null, rnd() < 0.8 ? stamp(sent + DAY_MS) : null, null, stamp(sent));
      }
      if (grade === 'O' || grade === 'D') {
        const ordered = at + 5 * DAY_MS;
        insert.order.run(`or${i}`, storeId, id, consultant, stamp(ordered), stamp(ordered + 14 * DAY_MS), grade === 'D' ? 'DELIVERED' : 'ORDERED', grade === 'D' ? stamp(ordered + 14 * DAY_MS) : null, stamp(ordered), stamp(ordered));
      }
      if (i % 40 === 0) insert.ticket.run(`tc${i}`, `C-${i}`, storeId, 'COMPLAINT', 'CLOSED', id, consultant, stamp(at + 1800_000), stamp(at + 600_000), stamp(at + DAY_MS), pick(['product', 'service', 'purchase_terms', 'expectations', 'other']), stamp(at));
      insert.party.run(`pa${i}`, storeId, managerId, `bench-party-key-${i}`, stamp(at - 60_000));
      for (let k = 0; k < 2; k += 1) {
        const followed = at + (k + 1) * 3 * DAY_MS;
        if (followed < NOW.getTime()) insert.followUp.run(`fu${i}-${k}`, `le${i}`, consultant, grade, grade, stamp(followed));
      }
    }
  });
  const intents = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const at = start + Math.floor(rnd() * YEAR_MS);
      const state = rnd() < 0.95 ? 'SENT' : pick(['DEAD', 'UNKNOWN', 'EXPIRED', 'CANCELLED']);
      insert.intent.run(`in${i}`, `bench:${i}`, storeId, `cu${i % CUSTOMERS}`, pick(['visit_thanks', 'survey', 'delivery_reminder_24h', 'birthday']), stamp(at), stamp(at + DAY_MS), state, state === 'SENT' ? stamp(at + 60_000) : null, stamp(at), stamp(at));
    }
  });
  customers();
  for (let from = 0; from < INTENTS; from += 100_000) intents(from, Math.min(INTENTS, from + 100_000));
  raw.close();
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; best: number; worst: number }> {
  let best = Infinity;
  let worst = 0;
  let result: T | undefined;
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    result = await run();
    const took = performance.now() - started;
    best = Math.min(best, took);
    worst = Math.max(worst, took);
  }
  return { result: result as T, best, worst };
}

/** A seeded database: a fresh one, or the kept BENCH_DB file of an earlier run. */
async function seededDatabase(file: string, clock: FixedClock) {
  const config = loadConfig({ DATABASE_URL: `file:${file}`, PUBLIC_BASE_URL: 'http://bench.test', LOG_LEVEL: 'silent' });
  const reused = existsSync(file);
  const { db } = await migrateAndOpenDatabase(config.DATABASE_URL);
  const setup = await ensureFirstStart(db, clock, config);
  if (!reused) {
    const store = await db.store.findUniqueOrThrow({ where: { id: setup.storeId }, include: { qrSources: true } });
    const consultants = await Promise.all(Array.from({ length: CONSULTANTS }, (_, i) => db.staff.create({ data: { storeId: store.id, name: `顾问${i + 1}`, role: 'CONSULTANT' } }).then((s) => s.id)));
    const manager = await db.staff.create({ data: { storeId: store.id, name: '销售经理', role: 'MANAGER' } });
    await db.$disconnect();
    const started = performance.now();
    seed(file, store.id, store.qrSources[0]?.id ?? '', consultants, manager.id);
    console.log(`seeded ${CUSTOMERS.toLocaleString()} customers (visits, leads), ${INTENTS.toLocaleString()} intents, a year of surveys, follow-ups, orders, tickets in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } else {
    await db.$disconnect();
    console.log(`reusing the seeded database ${file}`);
  }
  const { db: reopened } = await migrateAndOpenDatabase(config.DATABASE_URL);
  const consultants = (await reopened.staff.findMany({ where: { role: 'CONSULTANT' }, orderBy: { name: 'asc' }, select: { id: true } })).map((s) => s.id);
  const manager = await reopened.staff.findFirstOrThrow({ where: { role: 'MANAGER' } });
  return { config, db: reopened, storeId: setup.storeId, consultants, manager };
}

async function main(): Promise<void> {
  const kept = process.env.BENCH_DB;
  const dir = kept ? null : mkdtempSync(path.join(os.tmpdir(), 'showroom-report-bench-'));
  const file = kept ?? path.join(dir ?? '', 'bench.db');
  try {
    const clock = new FixedClock(NOW);
    const { config, db: reopened, storeId, consultants, manager } = await seededDatabase(file, clock);
    const store = { id: storeId };
    const stores = [{ id: store.id, timeZone: ZONE }];
    const yesterday = previousPeriod(currentPeriod('day', NOW, ZONE));
    const periods: Array<[string, ReportPeriod]> = [
      ['yesterday', yesterday], ['last week', previousPeriod(currentPeriod('week', NOW, ZONE))], ['last month', previousPeriod(currentPeriod('month', NOW, ZONE))],
      ['12 months', periodOf('custom', '2025-12-01', '2026-11-30')],
    ];
    console.log('\nfigures + trend (core, best / worst of 3):');
    for (const [consultantId, who] of [[null, 'store'], [consultants[0] ?? null, 'consultant']] as const) {
      for (const [label, period] of periods) {
        const request = { stores, period, consultantId, now: NOW };
        const { result, best, worst } = await timed(async () => ({ report: await buildReport(reopened, request), trend: await buildTrend(reopened, request) }));
        const r = result.report;
        console.log(`  ${who.padEnd(10)} ${label.padEnd(10)} ${best.toFixed(0).padStart(5)} / ${worst.toFixed(0).padStart(5)} ms  registrations ${r.reception.registrations}, surveys ${r.callbacks.sent} (avg ${r.callbacks.scores.average ?? '—'}), follow-ups ${r.consultants.rows.reduce((n, x) => n + x.followUps, 0)}, orders ${r.deliveries.orders}, messages ${r.messages?.made ?? '—'}, trend points ${result.trend.length}`);
      }
    }

    const ctx = createAppContext({ config, db: reopened, clock, logger: silentLogger, publicBaseUrl: 'http://bench.test', channels: [] });
    const app = buildServer(ctx);
    await app.ready();
    const login = await app.inject({ method: 'GET', url: `/admin/login/${await createLoginLink(reopened, clock, manager.id, 24)}` });
    const cookie = login.cookies.find((c) => c.name === 'sc_staff')?.value ?? '';
    console.log('\n/admin/reports page over HTTP as a manager (best / worst of 3):');
    for (const [label, query] of [['yesterday', `period=day&date=${yesterday.start}`], ['last week', 'period=week&date=2026-11-24'], ['last month', 'period=month&date=2026-11-01']] as const) {
      const { result, best, worst } = await timed(() => app.inject({ method: 'GET', url: `/admin/reports?${query}`, cookies: { sc_staff: cookie } }));
      if (result.statusCode !== 200) throw new Error(`page answered ${result.statusCode}`);
      console.log(`  ${label.padEnd(10)} ${best.toFixed(0).padStart(5)} / ${worst.toFixed(0).padStart(5)} ms  (${(result.body.length / 1024).toFixed(0)} KB)`);
    }
    await app.close();
    await reopened.$disconnect();
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
