import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { WorkLoop } from '../../../core/scheduler/work-loop.ts';

describe('WorkLoop', () => {
  it('runs another round at once when woken during a round (a wake-up is never lost)', async () => {
    let rounds = 0;
    let loop: WorkLoop | null = null;
    loop = new WorkLoop({
      idleMs: 60_000, logger: silentLogger, failure: 'failed',
      round: async () => {
        rounds += 1;
        if (rounds === 1) loop?.wake(); // a reply committed while this round was running
        return Number.POSITIVE_INFINITY;
      },
    });
    loop.start();
    await expect.poll(() => rounds, { timeout: 2_000 }).toBe(2);
    await loop.stop(1_000);
  });

  it('sleeps as long as the round asks, capped by idleMs, and goes straight on for 0', async () => {
    const waits = [0, 0, 50, Number.POSITIVE_INFINITY];
    const started: number[] = [];
    const loop = new WorkLoop({ idleMs: 100, logger: silentLogger, failure: 'failed', round: async () => { started.push(Date.now()); return waits[started.length - 1] ?? Number.POSITIVE_INFINITY; } });
    loop.start();
    await expect.poll(() => started.length, { timeout: 2_000 }).toBeGreaterThanOrEqual(5);
    await loop.stop(1_000);
    // The 4th round waited for the 50 ms asked; the 5th for idleMs (100), not for ever.
    expect(started[3]! - started[2]!).toBeGreaterThanOrEqual(45);
    expect(started[4]! - started[3]!).toBeGreaterThanOrEqual(95);
  });
});
