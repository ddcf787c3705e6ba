import os from 'node:os';
import type { CostMeter } from './cost-meter.ts';

/** Phases of the simulated time itself, as opposed to the set-up and the checks afterwards. */
const isRunPhase = (name: string) => ['people and staff', 'inbox', 'outbox'].includes(name) || name.startsWith('job ');

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const share = (part: number, whole: number) => `${((100 * part) / Math.max(whole, 1)).toFixed(0)} %`;

/** The run's cost: wall-clock time per phase, store-days per second, and where the time of the simulated days went. */
export function formatCost(meter: CostMeter, storeDays: number): string {
  const total = [...meter.phases].reduce((sum, [name, ms]) => sum + (isRunPhase(name) ? ms : 0), 0);
  const { database, fakes } = meter.parts;
  const core = Math.max(0, total - database - fakes);
  return [
    'Cost (wall clock)',
    ...[...meter.phases].map(([name, ms]) => `  ${(isRunPhase(name) ? `  ${name}` : name).padEnd(30)}${seconds(ms)}`),
    `  ${'store-days per second'.padEnd(30)}${(storeDays / Math.max(total / 1000, 0.001)).toFixed(2)}   (${storeDays} store-days in ${seconds(total)}; process CPU time ${seconds(meter.cpuMs())}, load average ${os.loadavg()[0]!.toFixed(1)})`,
    `  ${'database (Prisma + SQLite)'.padEnd(30)}${seconds(database)}   ${share(database, total)}   ${meter.databaseCalls} statements, ${(database / Math.max(meter.databaseCalls, 1)).toFixed(3)} ms each`,
    `  ${'core logic'.padEnd(30)}${seconds(core)}   ${share(core, total)}`,
    `  ${'fakes (channels, people)'.padEnd(30)}${seconds(fakes)}   ${share(fakes, total)}`,
  ].join('\n');
}
