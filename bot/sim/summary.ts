import type { SimulationRun } from './simulation.ts';

const pct = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`);
const row = (label: string, ...values: (string | number)[]) => `  ${label.padEnd(30)}${values.join('   ')}`;

/**
 * What the run did, from the database as the admin pages would show it and from what the
 * simulated people did: registrations, surveys and scores, tickets, the sales funnel, and every
 * message by kind and channel. Only counts, no timings: one seed gives one summary.
 */
export async function summarize(run: SimulationRun): Promise<string> {
  const { db, facts, options } = run;
  const walkIns = facts.walkIns.reduce((a, b) => a + (b ?? 0), 0);
  const visits = await db.visit.groupBy({ by: ['channel'], _count: true, orderBy: { channel: 'asc' } });
  const registrations = await db.registration.count();
  const surveys = await db.survey.groupBy({ by: ['state'], _count: true, orderBy: { state: 'asc' } });
  const scores = await db.survey.groupBy({ by: ['score'], where: { score: { not: null } }, _count: true, orderBy: { score: 'desc' } });
  const answered = scores.reduce((a, s) => a + s._count, 0);
  const asked = await db.survey.count({ where: { state: { not: 'SCHEDULED' } } });
  const mean = answered === 0 ? 0 : scores.reduce((a, s) => a + (s.score ?? 0) * s._count, 0) / answered;
  const below = scores.filter((s) => (s.score ?? 0) < 8).reduce((a, s) => a + s._count, 0);
  const tickets = await db.ticket.groupBy({ by: ['type', 'status'], _count: true, orderBy: [{ type: 'asc' }, { status: 'asc' }] });
  const escalated = await db.ticket.groupBy({ by: ['type'], where: { escalatedAt: { not: null } }, _count: true, orderBy: { type: 'asc' } });
  const grades = await db.lead.groupBy({ by: ['grade'], _count: true, orderBy: { grade: 'asc' } });
  const orders = await db.order.groupBy({ by: ['status'], _count: true, orderBy: { status: 'asc' } });
  const lost = await db.lostRequest.groupBy({ by: ['status'], _count: true, orderBy: { status: 'asc' } });
  const audit = await db.auditEntry.groupBy({ by: ['action'], where: { action: { in: ['lead_reassigned', 'order.rescheduled', 'lead_stale_flagged'] } }, _count: true, orderBy: { action: 'asc' } });
  const followUps = await db.followUp.count();
  const sent = await db.messageIntent.groupBy({ by: ['kind', 'channel'], where: { state: 'SENT' }, _count: true, orderBy: [{ kind: 'asc' }, { channel: 'asc' }] });
  const handedOver = await db.messageIntent.groupBy({ by: ['kind'], where: { state: 'SENT', providerMessageId: { startsWith: 'staff-task:' } }, _count: true, orderBy: { kind: 'asc' } });
  const ended = await db.messageIntent.groupBy({ by: ['state'], where: { state: { not: 'SENT' } }, _count: true, orderBy: { state: 'asc' } });
  const list = (groups: { _count: number }[], key: (g: never) => string) => groups.map((g) => `${key(g as never)} ${g._count}`).join(' · ') || '–';

  const lines = [
    `Simulated ${options.stores} store(s) × ${options.days} days from ${options.startDate} (seed ${options.seed})`,
    '',
    'Walk-ins and registrations',
    row('walk-in parties', walkIns),
    row('registrations', registrations, pct(registrations, walkIns), list(visits, (g: { channel: string }) => g.channel.toLowerCase())),
    row('registrations given up', facts.registrationsAbandoned.reduce((a, b) => a + (b ?? 0), 0)),
    'Surveys',
    row('asked / answered', `${asked} / ${answered}`, `response ${pct(answered, asked)}`),
    row('by state', list(surveys, (g: { state: string }) => g.state.toLowerCase())),
    row('average score', mean.toFixed(2), `below 8: ${below} (${pct(below, answered)})`),
    row('scores', list(scores, (g: { score: number }) => `${g.score}:`)),
    row('scores customers meant', facts.scoresMeant.length),
    'Tickets',
    row('by type and status', list(tickets, (g: { type: string; status: string }) => `${g.type.toLowerCase()} ${g.status.toLowerCase()}`)),
    row('escalated', list(escalated, (g: { type: string }) => g.type.toLowerCase())),
    row('complaints sent by customers', facts.complaints.length),
    'Sales funnel',
    row('leads by grade', list(grades, (g: { grade: string }) => g.grade)),
    row('follow-ups logged', followUps),
    row('orders', list(orders, (g: { status: string }) => g.status.toLowerCase())),
    row('lost requests', list(lost, (g: { status: string }) => g.status.toLowerCase())),
    row('stale / reassigned / moved', list(audit, (g: { action: string }) => g.action)),
    'Messages sent, by kind and channel',
    ...groupByKind(sent).map(([kind, byChannel]) => row(kind, byChannel)),
    row('handed to consultants', list(handedOver, (g: { kind: string }) => g.kind)),
    row('not sent (ended)', list(ended, (g: { state: string }) => g.state.toLowerCase())),
    row('opt-outs sent by customers', facts.optOuts.length),
  ];
  return lines.join('\n');
}

function groupByKind(groups: { kind: string; channel: string | null; _count: number }[]): [string, string][] {
  const byKind = new Map<string, string[]>();
  for (const g of groups) byKind.set(g.kind, [...(byKind.get(g.kind) ?? []), `${(g.channel ?? 'staff task').toLowerCase()} ${g._count}`]);
  return [...byKind].map(([kind, parts]) => [kind, parts.join(' · ')]);
}
