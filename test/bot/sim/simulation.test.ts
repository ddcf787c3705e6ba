/**
 * The time-lapse simulator as a test: five seeded days of one store through the real core (web and
 * Telegram registration, surveys, staff commands, calendar jobs, the outbox), every invariant
 * checked; and a run with planted faults — a channel that delivers one message twice, the survey
 * follow-up job switched off so surveys are left open and low scores get no recall — that the
 * invariants must catch, printing the seed and the events involved. The days end on the eve of the
 * Spring Festival, so its greeting (marketing) is among the messages checked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkInvariants, formatInvariants, type InvariantResult } from '../../../bot/sim/invariants.ts';
import { runSimulation, type SimFaults } from '../../../bot/sim/simulation.ts';
import { summarize } from '../../../bot/sim/summary.ts';
import { simulationConfig } from '../../../bot/sim/world.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.ts';

let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

async function simulate(days: number, seed: number, faults?: SimFaults) {
  database = await createTestDatabase();
  const run = await runSimulation({
    db: database.db, config: simulationConfig(database.url), stores: 1, days, seed, startDate: '2026-02-12', tickMinutes: 60, traffic: 1.2, ...(faults ? { faults } : {}),
  });
  return { run, results: await checkInvariants(run, run.endMs) };
}

const byName = (results: InvariantResult[], start: string) => {
  const found = results.find((r) => r.name.startsWith(start));
  if (!found) throw new Error(`no invariant "${start}"`);
  return found;
};

describe('simulator', () => {
  it('keeps every invariant through five seeded days of one store', async () => {
    const { run, results } = await simulate(5, 7);
    expect(results.filter((r) => r.violations.length > 0).map((r) => formatInvariants([r], run))).toEqual([]);
    for (const name of ['no message delivered twice', 'no customer message in quiet hours', 'no marketing without consent', 'every answered score below 8', 'every due message', 'no survey left open', 'no platform limit']) {
      expect(byName(results, name).checked, name).toBeGreaterThan(0);
    }
    const summary = await summarize(run);
    expect(summary).toMatch(/registrations\s+[1-9]\d*/);
    expect(summary).toContain('holiday_greeting');
  }, 240_000);

  it('catches a message delivered twice and surveys left open, with the seed and the events involved', async () => {
    const { run, results } = await simulate(4, 11, { deliverTwice: 20, dropJobs: ['survey-follow-up'] });
    expect(byName(results, 'no message delivered twice').violations).toHaveLength(2);
    expect(byName(results, 'no survey left open').violations.length).toBeGreaterThan(0);
    expect(byName(results, 'every answered score below 8').violations.length).toBeGreaterThan(0);
    expect(byName(results, 'no platform limit').violations).toEqual([]);
    const printed = formatInvariants(results, run);
    expect(printed).toContain('FAILED: no message delivered twice (seed 11;');
    expect(printed).toMatch(/customer:\d{11} \S+ scores \d+/);
  }, 240_000);
});
