/**
 * The outbox crash test as a soak: the scenario of test/core/outbox/dispatcher-crash.test.ts
 * (shared in test/fakes/crash-scenario.ts), with 2,000 SIGKILLs instead of 200. Dispatchers run
 * as child processes against a fake HTTP channel on 127.0.0.1 and die after the claim, after
 * `SENDING`, during the call, after the answer, or at a random moment; sometimes two run at
 * once. At the end every intent must be final, no key delivered twice, and every ambiguous
 * intent UNKNOWN with an alert. Prints progress, the summary line and timings; exit 1 on any
 * broken promise.
 *
 *   npx tsx bench/outbox-crash-soak.ts
 *   CRASH_RUNS=300 CRASH_SEED=12345 npx tsx bench/outbox-crash-soak.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateAndOpenDatabase } from '../core/db/open-database.ts';
import { KILL_POINTS, positiveIntFromEnv, runCrashScenario, seedFromEnv, summarize } from '../test/fakes/crash-scenario.ts';

const KILLS = positiveIntFromEnv('CRASH_RUNS', 2000);
const SEED = seedFromEnv();

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-crash-soak-'));
  const url = `file:${path.join(dir, 'soak.db')}`;
  const { db } = await migrateAndOpenDatabase(url);
  try {
    const cpus = os.cpus();
    console.log(`Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${os.platform()} ${os.release()}`);
    console.log(`${KILLS} SIGKILLs, seed ${SEED} (replay with CRASH_SEED=${SEED}); database in ${dir}`);
    const cpuBefore = process.cpuUsage();
    const result = await runCrashScenario({
      db, databaseUrl: url, kills: KILLS, seed: SEED, batchSize: 5, leaseMs: 400,
      log: (line) => console.log(line), progressEvery: Math.max(10, Math.round(KILLS / 20)),
    });
    const cpu = process.cpuUsage(cpuBefore);
    console.log(`\n${summarize(result)}`);
    console.log(`  intent states  ${Object.entries(result.states).map(([state, n]) => `${state} ${n}`).join(', ')}`);
    console.log(`  kill plans     ${KILL_POINTS.map((p) => `${p} ${result.kills[p]}`).join(', ')}`);
    console.log(`  wall time      ${(result.durationMs / 1000).toFixed(1)} s, ${(result.durationMs / result.totalKills).toFixed(0)} ms per kill`);
    console.log(`  this process   ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (the fake channel, the checks; children not included)`);
    if (result.violations.length > 0) {
      console.log(`\nFAILED (seed ${SEED}):\n${result.violations.map((v) => `  - ${v}`).join('\n')}`);
      return 1;
    }
    console.log('\nOK: every intent final, no key delivered twice, every UNKNOWN alerted');
    return 0;
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
