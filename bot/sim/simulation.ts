import { DateTime } from 'luxon';
import { deploymentCalendarJobs, storeCalendarJobs } from '../scheduler/calendar-jobs.ts';
import { FixedClock } from '../../core/clock.ts';
import type { Config } from '../../core/config.ts';
import type { Database } from '../../core/db/open-database.ts';
import { silentLogger } from '../../core/logger.ts';
import { Dispatcher } from '../../core/outbox/dispatcher.ts';
import { RateLimiter } from '../../core/outbox/rate-limiter.ts';
import { sqlOutboxStore } from '../../core/outbox/sql-outbox-store.ts';
import { nextSlot, type CalendarJob } from '../../core/scheduler/calendar-job.ts';
import { fireDueJobs } from '../../core/scheduler/fire-due-jobs.ts';
import { inboundDeps } from '../app-context.ts';
import { ChatDriver } from './chat-driver.ts';
import { CostMeter } from './cost-meter.ts';
import { SimCustomer } from './customers.ts';
import { EventQueue } from './event-queue.ts';
import { DeliveryLog, SimTelegramChannel, SimWebChannel, type ChannelFaults, type Delivery } from './fake-channels.ts';
import { SimRandom } from './random.ts';
import { schedule, SimFacts, type SimContext } from './sim-context.ts';
import { StaffRoutines } from './staff-routines.ts';
import { walkInTimes } from './walk-ins.ts';
import { buildWorld, type SimStore } from './world.ts';

/** Faults a test plants to prove the invariants catch them. */
export interface SimFaults extends ChannelFaults {
  /** Calendar jobs (by name prefix, e.g. `survey-follow-up`) that never run: surveys are left open, recalls never opened. */
  dropJobs?: string[];
}

export interface SimulationOptions {
  /** A migrated, empty database; the simulation measures every statement made through it. */
  db: Database;
  config: Config;
  stores: number;
  days: number;
  seed: number;
  /** The first local day (`yyyy-MM-dd`, Asia/Shanghai). */
  startDate: string;
  consultantsPerStore?: number;
  /** Relative size of the stores' walk-in traffic (1 = an average 4S store). */
  traffic?: number;
  /**
   * How often (simulated minutes) the calendar ticker looks; 1 is what `npm start` does. A
   * coarser look still fires every job whose slot came (missed slots are caught up by the jobs'
   * own rules), only later: the every-minute survey follow-up dominates the cost otherwise.
   */
  tickMinutes?: number;
  faults?: SimFaults;
  /** Called at each simulated midnight (after day `day`), e.g. to check the invariants during the run; a throw stops the run. */
  onDayEnd?: (day: number, run: SimulationRun) => Promise<void>;
}

/** A run in progress or done: everything the invariants and the summary read. */
export interface SimulationRun {
  options: SimulationOptions;
  db: Database;
  clock: FixedClock;
  meter: CostMeter;
  facts: SimFacts;
  log: DeliveryLog;
  stores: SimStore[];
  customers: Map<string, SimCustomer>;
  startMs: number;
  endMs: number;
}

const DAY = 24 * 3600_000;

/**
 * Runs a dealer group through `days` days on a simulated clock that jumps from one thing to the
 * next — a person's action, a calendar slot, the outbox's next claimable message — with no real
 * waiting. The real core does the work: registration and every chat flow through
 * `handleInboundMessage` (Telegram through the durable inbox and the InboxWorker), the outbox
 * dispatcher on `sqlOutboxStore`, the store's calendar jobs through `fireDueJobs`, staff
 * commands through the staff console.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationRun> {
  const meter = new CostMeter();
  const db = meter.timedDatabase(options.db);
  const zone = 'Asia/Shanghai';
  const startMs = DateTime.fromISO(options.startDate, { zone }).toMillis();
  if (Number.isNaN(startMs)) throw new Error(`--start must be a date like 2026-01-05 (got "${options.startDate}")`);
  const clock = new FixedClock(new Date(startMs - 3600_000));
  const random = new SimRandom(options.seed);
  const stores = await meter.phase('set-up', () => buildWorld(db, clock, options.config, options.stores, options.consultantsPerStore ?? 6));
  const facts = new SimFacts();
  const log = new DeliveryLog(options.faults);
  const inbound = inboundDeps({ config: options.config, db, clock, logger: silentLogger });
  const driver = new ChatDriver(inbound, clock, stores[0]!.id);
  const queue = new EventQueue();
  const ctx: SimContext = { db, clock, driver, meter, facts, queue };
  const run: SimulationRun = { options, db, clock, meter, facts, log, stores, customers: new Map(), startMs, endMs: startMs + options.days * DAY };
  const chats = new Map<string, SimCustomer>();
  log.onDelivery((delivery: Delivery) => chats.get(`${delivery.channel}:${delivery.address}`)?.receive(delivery, delivery.at));

  const senders = [new SimWebChannel(db, clock, log, meter), new SimTelegramChannel(clock, log, meter)];
  const jitter = random.fork('dispatcher');
  const limiter = new RateLimiter({ startedAtMs: clock.now().getTime() });
  const dispatcher = new Dispatcher({ store: sqlOutboxStore(db), clock, logger: silentLogger, senders, limiter, random: () => jitter.next() });
  const schedules = bySchedule(calendarJobs(db, clock, options, stores), clock.now());
  const tickMs = (options.tickMinutes ?? 1) * 60_000;
  let customerCount = 0;

  for (const store of stores) {
    const storeRandom = random.fork(`store:${store.index}`);
    const routines = new StaffRoutines(ctx, storeRandom.fork('staff'), store, run.customers);
    for (let day = 0; day < options.days; day += 1) {
      const date = DateTime.fromMillis(startMs, { zone }).plus({ days: day }).toFormat('yyyy-MM-dd');
      schedule(ctx, startMs + day * DAY, `store:${store.index}`, `opens on ${date}`, async () => {
        routines.planDay(date);
        for (const at of walkInTimes(storeRandom, date, store.timeZone, options.traffic ?? 1)) {
          facts.walkIns[store.index] = (facts.walkIns[store.index] ?? 0) + 1;
          const customer = new SimCustomer(ctx, storeRandom.fork(`customer:${(customerCount += 1)}`), store, customerCount);
          run.customers.set(customer.phone, customer);
          chats.set(`${customer.channel}:${customer.chatId}`, customer);
          schedule(ctx, at, customer.actor, 'walks in', async () => {
            customer.walkIn(at);
            customer.maybeComplainUnprompted(at);
          });
        }
      });
    }
  }
  for (let day = 1; day <= options.days && options.onDayEnd; day += 1) {
    schedule(ctx, startMs + day * DAY - 1, 'simulation', `checks day ${day}`, () => options.onDayEnd!(day, run));
  }

  let nextClaimable = Number.POSITIVE_INFINITY;
  for (;;) {
    const nextJob = Math.min(...schedules.map((s) => s.next));
    const at = Math.min(queue.nextAt(), nextJob, nextClaimable);
    if (at >= run.endMs) break;
    clock.set(new Date(Math.max(at, clock.now().getTime())));
    const now = clock.now().getTime();
    await meter.phase('people and staff', async () => {
      for (let event = queue.popDue(now); event; event = queue.popDue(now)) {
        facts.remember(event.actor, now, event.what);
        await event.run();
      }
    });
    await meter.phase('inbox', () => driver.drainInbox());
    for (const schedule of schedules) {
      if (schedule.next > now) continue;
      for (const job of schedule.jobs) {
        await meter.phase(`job ${job.name.split(':')[0]}`, () => fireDueJobs(db, clock, silentLogger, [job], { alertStoreId: stores[0]!.id }));
      }
      schedule.next = Math.max(nextSlot(schedule, clock.now()).getTime(), now + tickMs);
    }
    nextClaimable = await meter.phase('outbox', async () => {
      while ((await dispatcher.runOnce()) > 0) { /* until nothing is claimable now */ }
      const next = await dispatcher.nextClaimableAt();
      return next ? Math.max(next.getTime(), clock.now().getTime() + 1) : Number.POSITIVE_INFINITY;
    });
  }
  clock.set(new Date(run.endMs));
  return run;
}

/** Jobs that share a schedule (the same job of every store, mostly), looked at together when their next slot comes. */
interface Schedule {
  cron: string;
  timeZone: string;
  jobs: CalendarJob[];
  next: number;
}

function bySchedule(jobs: CalendarJob[], now: Date): Schedule[] {
  const schedules = new Map<string, Schedule>();
  for (const job of jobs) {
    const key = `${job.timeZone} ${job.cron}`;
    const schedule = schedules.get(key) ?? { cron: job.cron, timeZone: job.timeZone, jobs: [], next: nextSlot(job, now).getTime() };
    schedule.jobs.push(job);
    schedules.set(key, schedule);
  }
  return [...schedules.values()];
}

/** Every store's calendar jobs as the bot runs them; the deployment-wide ones (retention, housekeeping) once. */
function calendarJobs(db: Database, clock: FixedClock, options: SimulationOptions, stores: SimStore[]): CalendarJob[] {
  const rows = stores.map((store) => ({ id: store.id, timeZone: store.timeZone, staffHoursStart: store.staffHours.start, staffHoursEnd: store.staffHours.end }));
  const deps = {
    db, clock, logger: silentLogger, homeStoreId: rows[0]!.id, retentionMonths: options.config.DATA_RETENTION_MONTHS,
    publicBaseUrl: options.config.PUBLIC_BASE_URL ?? 'http://localhost:3000', channels: [],
  };
  const jobs = [...deploymentCalendarJobs(deps, rows[0]!), ...rows.flatMap((row) => storeCalendarJobs(deps, row))];
  const dropped = options.faults?.dropJobs ?? [];
  return jobs.filter((job) => !dropped.some((prefix) => job.name.startsWith(prefix)));
}
