import { DateTime } from 'luxon';
import type { MessageIntent } from '../../core/db/generated/client.ts';
import { isInsideWindow } from '../../core/outbox/send-window.ts';
import type { Delivery } from './fake-channels.ts';
import type { SimulationRun } from './simulation.ts';

/** One broken rule: what happened, when, and whose recent events to show. */
export interface Violation {
  at: number;
  what: string;
  /** `customer:<digits>` or `staff:<name>`, as in the run's trails. */
  actor?: string;
}

/** One invariant over the run so far: how many cases it checked and which broke it. */
export interface InvariantResult {
  name: string;
  checked: number;
  violations: Violation[];
}

const MINUTE = 60_000;
/**
 * How late a due message may go out (or end, with a reason) before it counts as stalled: a chat's
 * line paced at Telegram's 1 a second, a retry's backoff, a calendar tick, with room to spare.
 */
export const STALL_BOUND_MS = 15 * MINUTE;

type IntentFacts = Pick<MessageIntent, 'id' | 'dedupeKey' | 'storeId' | 'customerId' | 'purpose' | 'kind' | 'sendAt' | 'sentAt' | 'state' | 'lastError' | 'providerMessageId' | 'address'>;
const SELECT = { id: true, dedupeKey: true, storeId: true, customerId: true, purpose: true, kind: true, sendAt: true, sentAt: true, state: true, lastError: true, providerMessageId: true, address: true } as const;

/**
 * Checks the run's invariants over what happened up to `upTo` (the end, or a simulated midnight
 * during the run). Each reads what the fake channels recorded against the database and what
 * the simulated people did (the opt-outs they sent, the delivery times consultants set).
 */
export async function checkInvariants(run: SimulationRun, upTo: number): Promise<InvariantResult[]> {
  const { db, log, facts } = run;
  const deliveries = log.deliveries.filter((d) => d.at <= upTo);
  const intents = new Map<string, IntentFacts>();
  const ids = [...new Set(deliveries.map((d) => d.intentId))];
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of await db.messageIntent.findMany({ where: { id: { in: ids.slice(i, i + 500) } }, select: SELECT })) intents.set(row.id, row);
  }
  const stores = new Map((await db.store.findMany()).map((s) => [s.id, s]));
  const phones = new Map((await db.customer.findMany({ select: { id: true, phone: true } })).map((c) => [c.id, c.phone]));
  const customerActor = (customerId: string | null) => (customerId && phones.get(customerId) ? `customer:${phones.get(customerId)!.slice(3)}` : undefined);
  const sent = deliveries.map((d) => ({ d, intent: intents.get(d.intentId) })).filter((x): x is { d: Delivery; intent: IntentFacts } => x.intent !== undefined);
  const toCustomers = sent.filter(({ intent }) => intent.purpose === 'SERVICE' || intent.purpose === 'MARKETING');
  const results: InvariantResult[] = [];

  const counts = new Map<string, number>();
  for (const d of deliveries) counts.set(d.intentId, (counts.get(d.intentId) ?? 0) + 1);
  results.push({
    name: 'no message delivered twice', checked: counts.size,
    violations: sent.filter(({ d }) => (counts.get(d.intentId) ?? 0) > 1).map(({ d, intent }) => ({ at: d.at, what: `${intent.dedupeKey} delivered ${counts.get(d.intentId)} times to ${d.channel}:${d.address}`, actor: customerActor(intent.customerId) })),
  });

  const quiet = sent.filter(({ intent }) => intent.purpose !== 'REPLY');
  results.push({
    name: 'no customer message in quiet hours (staff messages in staff hours) unless a direct reply', checked: quiet.length,
    violations: quiet.flatMap(({ d, intent }) => {
      const store = stores.get(intent.storeId);
      if (!store) return [];
      const window = intent.purpose === 'STAFF' ? { start: store.staffHoursStart, end: store.staffHoursEnd } : { start: store.customerHoursStart, end: store.customerHoursEnd };
      if (isInsideWindow(new Date(d.at), window, store.timeZone)) return [];
      return [{ at: d.at, what: `${intent.dedupeKey} (${intent.purpose}) delivered at ${DateTime.fromMillis(d.at, { zone: store.timeZone }).toFormat('HH:mm')} local, outside ${window.start}–${window.end}`, actor: customerActor(intent.customerId) }];
    }),
  });

  const marketing = toCustomers.filter(({ intent }) => intent.purpose === 'MARKETING');
  const consents = await db.consentRecord.findMany({ where: { purpose: 'MARKETING', customerId: { in: [...new Set(marketing.map(({ intent }) => intent.customerId ?? ''))] } }, orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }] });
  results.push({
    name: 'no marketing without consent in force at send time', checked: marketing.length,
    violations: marketing.flatMap(({ d, intent }) => {
      const inForce = consents.filter((c) => c.customerId === intent.customerId && c.recordedAt.getTime() <= d.at).at(-1);
      return inForce?.granted ? [] : [{ at: d.at, what: `${intent.dedupeKey} delivered without marketing consent in force`, actor: customerActor(intent.customerId) }];
    }),
  });

  results.push(await deliveryReminders(run, sent, customerActor));
  results.push(await recalls(run, upTo, customerActor));
  results.push(await noStall(run, upTo, customerActor));
  results.push(await surveysClosed(run, upTo, customerActor));

  results.push({
    name: 'no platform limit breached', checked: deliveries.filter((d) => d.channel === 'TELEGRAM').length,
    violations: log.limitBreaches.filter((b) => b.at <= upTo).map((b) => ({ at: b.at, what: `${b.channel}: ${b.what}` })),
  });

  const customerOf = new Map([...phones].map(([id, phone]) => [phone, id]));
  const optOuts = facts.optOuts.filter((o) => o.at <= upTo && customerOf.has(o.phone));
  results.push({
    name: 'every opt-out obeyed from the next message on', checked: optOuts.length,
    violations: optOuts.flatMap((o) => toCustomers
      .filter(({ d, intent }) => intent.customerId === customerOf.get(o.phone) && d.at >= o.at)
      .map(({ d, intent }) => ({ at: d.at, what: `${intent.dedupeKey} (${intent.purpose}) delivered after the customer sent "${o.text}" at ${new Date(o.at).toISOString()}`, actor: `customer:${o.phone.slice(3)}` }))),
  });
  return results;
}

type ActorOf = (customerId: string | null) => string | undefined;

/** Each reminder before the handover goes out after the order, before the handover it names, and names the delivery time in force. */
async function deliveryReminders(run: SimulationRun, sent: { d: Delivery; intent: IntentFacts }[], actorOf: ActorOf): Promise<InvariantResult> {
  const reminders = sent.filter(({ intent }) => intent.dedupeKey.startsWith('predelivery'));
  const orders = new Map((await run.db.order.findMany({ where: { id: { in: reminders.map(({ intent }) => intent.dedupeKey.split(':')[1] ?? '') } } })).map((o) => [o.id, o]));
  const violations: Violation[] = [];
  for (const { d, intent } of reminders) {
    const [, orderId = '', ...rest] = intent.dedupeKey.split(':');
    const named = Date.parse(rest.join(':'));
    const order = orders.get(orderId);
    const inForce = run.facts.deliveryTimes.get(orderId)?.filter((t) => t.at <= d.at).at(-1)?.deliveryAt;
    const problem = !order ? 'for an unknown order'
      : d.at <= order.orderedAt.getTime() ? 'before the order was recorded'
        : d.at >= named ? `after the handover it names (${rest.join(':')})`
          : inForce !== undefined && inForce !== named ? `naming ${rest.join(':')} while the delivery was moved to ${new Date(inForce).toISOString()}`
            : order.deliveredAt && order.deliveredAt.getTime() <= d.at ? 'after the car was handed over' : null;
    if (problem) violations.push({ at: d.at, what: `${intent.dedupeKey} delivered ${problem}`, actor: actorOf(intent.customerId) });
  }
  return { name: 'every delivery reminder after its order and before its handover', checked: reminders.length, violations };
}

/** A score below 8 that stands (past the correction grace period and a tick of the job) has its recall ticket. */
async function recalls(run: SimulationRun, upTo: number, actorOf: ActorOf): Promise<InvariantResult> {
  const settled = new Date(upTo - 30 * MINUTE);
  const low = await run.db.survey.findMany({ where: { score: { lt: 8 }, scoredAt: { lte: settled } }, include: { tickets: { where: { type: 'RECALL' }, select: { id: true } } } });
  return {
    name: 'every answered score below 8 has a recall ticket', checked: low.length,
    violations: low.filter((s) => s.tickets.length === 0).map((s) => ({ at: s.scoredAt?.getTime() ?? 0, what: `survey ${s.id} scored ${s.score} at ${s.scoredAt?.toISOString()} has no recall ticket`, actor: actorOf(s.customerId) })),
  };
}

/** Every message due long enough ago is sent (or handed to staff), or ended with a reason, within the bound; every inbound update is handled. */
async function noStall(run: SimulationRun, upTo: number, actorOf: ActorOf): Promise<InvariantResult> {
  const due = await run.db.messageIntent.findMany({ where: { sendAt: { lte: new Date(upTo - STALL_BOUND_MS) } }, select: SELECT });
  const violations: Violation[] = [];
  for (const intent of due) {
    const late = intent.sentAt ? intent.sentAt.getTime() - intent.sendAt.getTime() : null;
    const problem = intent.state === 'SENT' ? (late !== null && late > STALL_BOUND_MS ? `sent ${Math.round(late / 1000)} s after it was due` : null)
      : ['CANCELLED', 'EXPIRED', 'DEAD', 'UNKNOWN'].includes(intent.state) ? (intent.lastError ? null : `${intent.state} without a reason`)
        : `still ${intent.state} ${Math.round((upTo - intent.sendAt.getTime()) / MINUTE)} min after it was due${intent.lastError ? ` (${intent.lastError})` : ''}`;
    if (problem) violations.push({ at: intent.sendAt.getTime(), what: `${intent.dedupeKey}: ${problem}`, actor: actorOf(intent.customerId) });
  }
  const unhandled = await run.db.inboundUpdate.findMany({ where: { handledAt: null, receivedAt: { lte: new Date(upTo - STALL_BOUND_MS) } } });
  for (const update of unhandled) violations.push({ at: update.receivedAt.getTime(), what: `inbound ${update.channel} update ${update.updateId} never handled` });
  return { name: `every due message sent, handed over or ended with a reason within ${STALL_BOUND_MS / MINUTE} min`, checked: due.length + unhandled.length, violations };
}

/** No survey is left open past its deadline (answered, expired, declined or handed to staff). */
async function surveysClosed(run: SimulationRun, upTo: number, actorOf: ActorOf): Promise<InvariantResult> {
  const past = await run.db.survey.findMany({ where: { expiresAt: { lte: new Date(upTo - STALL_BOUND_MS) } }, select: { id: true, state: true, expiresAt: true, customerId: true } });
  return {
    name: 'no survey left open past its deadline', checked: past.length,
    violations: past.filter((s) => ['SCHEDULED', 'SENT', 'ANSWERING'].includes(s.state)).map((s) => ({ at: s.expiresAt.getTime(), what: `survey ${s.id} still ${s.state} after its deadline ${s.expiresAt.toISOString()}`, actor: actorOf(s.customerId) })),
  };
}

/** The invariants as printed: each with its count; a failure with the seed and the first events involved. */
export function formatInvariants(results: InvariantResult[], run: SimulationRun): string {
  const lines = results.map((r) => `  ${r.violations.length === 0 ? 'ok  ' : 'FAIL'}  ${r.name}: ${r.checked} checked${r.violations.length ? `, ${r.violations.length} broken` : ''}`);
  for (const result of results.filter((r) => r.violations.length > 0)) {
    lines.push('', `FAILED: ${result.name} (seed ${run.options.seed}; replay with --seed ${run.options.seed} --stores ${run.options.stores} --days ${run.options.days} --start ${run.options.startDate})`);
    for (const violation of [...result.violations].sort((a, b) => a.at - b.at).slice(0, 3)) {
      lines.push(`  ${new Date(violation.at).toISOString()} ${violation.what}`);
      for (const event of violation.actor ? (run.facts.trails.get(violation.actor) ?? []) : []) lines.push(`      ${violation.actor} ${event}`);
    }
  }
  return lines.join('\n');
}
