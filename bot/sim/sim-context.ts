import type { FixedClock } from '../../core/clock.ts';
import type { Database } from '../../core/db/open-database.ts';
import type { ChatDriver } from './chat-driver.ts';
import type { CostMeter } from './cost-meter.ts';
import type { EventQueue } from './event-queue.ts';

/** How many recent events of each person are kept to print with a failing invariant. */
const TRAIL_LENGTH = 12;

/** What the simulated people did, as they know it: the invariants hold the core to it. */
export class SimFacts {
  /** Walk-in parties per store index. */
  readonly walkIns: number[] = [];
  /** Registrations begun and abandoned half-way, per store index. */
  readonly registrationsAbandoned: number[] = [];
  /** Every "stop everything" a customer sent: from then on only replies may reach them. */
  readonly optOuts: { phone: string; at: number; text: string }[] = [];
  /** Scores customers meant (the last one, corrections included), by their phone. */
  readonly scoresMeant: { phone: string; score: number; at: number }[] = [];
  readonly complaints: { phone: string; at: number }[] = [];
  /** Each order's delivery times, as the consultants set them: the reminders must follow the latest. */
  readonly deliveryTimes = new Map<string, { at: number; deliveryAt: number }[]>();
  /** The last events of each actor (`customer:<phone>`, `staff:<name>`), oldest first. */
  readonly trails = new Map<string, string[]>();

  remember(actor: string, at: number, what: string): void {
    const trail = this.trails.get(actor) ?? [];
    trail.push(`${new Date(at).toISOString()} ${what}`);
    if (trail.length > TRAIL_LENGTH) trail.shift();
    this.trails.set(actor, trail);
  }
}

/** What simulated people need of the world around them. */
export interface SimContext {
  db: Database;
  clock: FixedClock;
  driver: ChatDriver;
  meter: CostMeter;
  facts: SimFacts;
  queue: EventQueue;
}

/** Schedules something an actor does at `at` (ms), remembered in their trail when it runs. */
export function schedule(ctx: SimContext, at: number, actor: string, what: string, run: () => Promise<void>): void {
  ctx.queue.push({ at: Math.round(at), actor, what, run });
}
