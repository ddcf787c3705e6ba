import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type { Logger } from '../logger.ts';
import { randomUUID } from 'node:crypto';
import { WorkLoop } from './work-loop.ts';

/** The role of sending the outbox: one instance at a time, so the platforms' rate limits are kept in one place. */
export const OUTBOX_DISPATCHER_ROLE = 'outbox-dispatcher';

/** The role of a channel's intake that allows one instance only (Telegram long polling). */
export function intakeRole(channel: string): string {
  return `intake-${channel.toLowerCase()}`;
}

/** A lease owner for this process: the instance's name and a suffix, unique even when two instances were given one name by mistake. */
export function leaseOwnerFor(instance: string): string {
  return `${instance}#${randomUUID().slice(0, 8)}`;
}

/** The instance name in a lease owner (`leaseOwnerFor`). */
export function instanceOfLeaseOwner(owner: string): string {
  return owner.split('#')[0] ?? owner;
}

/**
 * Takes or renews the lease `name` for `owner` until `now + ttlMs`, by compare-and-set: it is
 * taken when free (never taken, or expired) or already `owner`'s. Returns whether `owner` holds it.
 */
export async function acquireLease(db: Database, lease: { name: string; owner: string; ttlMs: number }, now: Date): Promise<boolean> {
  const { name, owner, ttlMs } = lease;
  const expiresAt = new Date(now.getTime() + ttlMs);
  const taken = await db.lease.updateMany({ where: { name, OR: [{ owner }, { expiresAt: { lte: now } }] }, data: { owner, expiresAt } });
  if (taken.count === 1) return true;
  try {
    await db.lease.create({ data: { name, owner, expiresAt } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false; // another instance holds it
    throw error;
  }
}

/** Gives the lease up at once (a clean shutdown), if `owner` holds it. */
export async function releaseLease(db: Database, name: string, owner: string): Promise<void> {
  await db.lease.deleteMany({ where: { name, owner } });
}

export interface LeaderRoleOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** The role, e.g. `outbox-dispatcher`. */
  name: string;
  /** Who holds the lease: this process (its instance name and a suffix of its own); the logger names the instance. */
  owner: string;
  /** How long a holder that stopped renewing keeps the role: the takeover time after a crash. */
  ttlMs?: number;
  /** Called when this instance takes the role. */
  lead(): Promise<void> | void;
  /** Called when it gives the role up (lease lost, database unreachable, shutdown); must stop the work. */
  stepDown(): Promise<void>;
}

/**
 * A role one instance holds at a time among several on one database: each instance tries to
 * take the lease every third of its time to live and renews it while it holds it; whoever holds
 * it does the work. A holder that cannot renew (the database is unreachable, another instance
 * took an expired lease) steps down at once, so two instances never work at the same time for
 * longer than one renewal round; a holder that dies is replaced once its lease expires.
 */
export class LeaderRole {
  readonly #o: Required<Omit<LeaderRoleOptions, 'lead' | 'stepDown'>> & Pick<LeaderRoleOptions, 'lead' | 'stepDown'>;
  readonly #loop: WorkLoop;
  #leading = false;

  constructor(options: LeaderRoleOptions) {
    this.#o = { ttlMs: 15_000, ...options };
    const every = Math.floor(this.#o.ttlMs / 3);
    this.#loop = new WorkLoop({ round: async () => { await this.check(); return every; }, idleMs: every, logger: options.logger, failure: `role ${options.name}: check failed` });
  }

  get leading(): boolean {
    return this.#leading;
  }

  start(): void {
    this.#loop.start();
  }

  /** One look: take or renew the lease, and start or stop the work accordingly. */
  async check(): Promise<void> {
    const { db, clock, logger, name, owner, ttlMs } = this.#o;
    let holds = false;
    try {
      holds = await acquireLease(db, { name, owner, ttlMs }, clock.now());
    } catch (error) {
      logger.warn({ err: error, role: name }, 'could not renew a lease: stepping down');
    }
    if (holds && !this.#leading) {
      try {
        await this.#o.lead();
      } catch (error) {
        // The work did not start: give the role up, so this or another instance tries again.
        await releaseLease(db, name, owner).catch(() => undefined);
        throw error;
      }
      this.#leading = true;
      logger.info({ role: name }, 'took the role');
    } else if (!holds && this.#leading) {
      this.#leading = false;
      logger.warn({ role: name }, 'lost the role');
      await this.#o.stepDown();
    }
  }

  /** Stops looking; stops the work and gives the lease up, so another instance takes over at once. */
  async stop(): Promise<void> {
    await this.#loop.stop(5_000);
    if (!this.#leading) return;
    this.#leading = false;
    await this.#o.stepDown();
    await releaseLease(this.#o.db, this.#o.name, this.#o.owner).catch((error: unknown) => this.#o.logger.warn({ err: error }, 'could not release a lease'));
  }
}
