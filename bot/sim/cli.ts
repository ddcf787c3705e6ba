/**
 * `npm run simulate -- --stores 3 --days 90 --seed 7 [--db FILE]`: a dealer group's days through
 * the real core on a simulated clock; prints the summary, the invariants and the cost. Exits 1
 * when an invariant is broken.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { migrateAndOpenDatabase } from '../../core/db/open-database.ts';
import { formatCost } from './cost-report.ts';
import { checkInvariants, formatInvariants } from './invariants.ts';
import { runSimulation, type SimulationRun } from './simulation.ts';
import { summarize } from './summary.ts';
import { simulationConfig } from './world.ts';

const USAGE = 'usage: npm run simulate -- [--stores N] [--days N] [--seed N] [--start YYYY-MM-DD] [--db FILE] [--tick-minutes N] [--traffic X] [--check-every-days N]';

function whole(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${value}")\n${USAGE}`);
  return n;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      stores: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, start: { type: 'string' }, db: { type: 'string' },
      'tick-minutes': { type: 'string' }, traffic: { type: 'string' }, 'check-every-days': { type: 'string' },
    },
    strict: true,
  });
  const traffic = values.traffic === undefined ? 1 : Number(values.traffic);
  if (!(traffic > 0 && traffic <= 20)) throw new Error(`--traffic must be a number above 0 and at most 20 (got "${values.traffic}")\n${USAGE}`);
  const start = values.start ?? '2026-01-05';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) throw new Error(`--start must be a date like 2026-01-05 (got "${start}")\n${USAGE}`);
  if (values.db && existsSync(values.db)) throw new Error(`--db ${values.db} exists already: the simulation writes a new database; name a new file or remove it`);
  return {
    stores: whole('stores', values.stores, 1, 1, 1000), days: whole('days', values.days, 30, 1, 3660), seed: whole('seed', values.seed, 1, 0, 2 ** 31 - 1),
    tickMinutes: whole('tick-minutes', values['tick-minutes'], 1, 1, 60), checkEveryDays: whole('check-every-days', values['check-every-days'], 0, 0, 3660),
    traffic, start, db: values.db,
  };
}

async function main(): Promise<void> {
  const options = readOptions();
  const dir = options.db ? null : mkdtempSync(path.join(os.tmpdir(), 'showroom-sim-'));
  const file = options.db ?? path.join(dir as string, 'sim.db');
  const url = `file:${file}`;
  const started = performance.now();
  const { db } = await migrateAndOpenDatabase(url);
  const migrated = performance.now() - started;
  let failed = false;
  const checkDuringRun = async (day: number, run: SimulationRun) => {
    if (day % options.checkEveryDays !== 0) return;
    const results = await run.meter.phase('invariants', () => checkInvariants(run, run.clock.now().getTime()));
    if (results.some((r) => r.violations.length > 0)) throw new InvariantFailure(`Stopped after day ${day}:\n${formatInvariants(results, run)}`);
  };
  try {
    const run = await runSimulation({
      db, config: simulationConfig(url), stores: options.stores, days: options.days, seed: options.seed, startDate: options.start,
      tickMinutes: options.tickMinutes, traffic: options.traffic, ...(options.checkEveryDays > 0 ? { onDayEnd: checkDuringRun } : {}),
    });
    const results = await run.meter.phase('invariants', () => checkInvariants(run, run.endMs));
    failed = results.some((r) => r.violations.length > 0);
    console.log(await run.meter.phase('summary', () => summarize(run)));
    console.log(`\nInvariants\n${formatInvariants(results, run)}`);
    run.meter.phases.set('migrations', migrated);
    console.log(`\n${formatCost(run.meter, options.stores * options.days)}`);
    if (options.db) console.log(`\nThe database is kept: DATABASE_URL=file:${options.db} npm start`);
  } catch (error) {
    if (!(error instanceof InvariantFailure)) throw error;
    failed = true;
    console.log(error.message);
  } finally {
    await db.$disconnect();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

class InvariantFailure extends Error {}

main().catch((error: unknown) => {
  console.error(error instanceof Error && error.message.includes(USAGE) ? error.message : error);
  process.exitCode = 1;
});
