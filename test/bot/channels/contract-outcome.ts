import type { TestApp } from '../../helpers/test-app.ts';

/**
 * What the channel contract compares: the database as the same events leave it on any channel.
 * Replies are left out (a chat platform's are REPLY intents in the outbox, the web's are
 * answered in the request); the contract checks them one by one instead.
 */
export async function contractOutcome(t: TestApp) {
  const db = t.ctx.db;
  const conversations = await db.conversation.findMany();
  const state = conversations.length === 1 ? (JSON.parse(conversations[0]?.state ?? '{}') as { flow?: string; step?: string; optedOut?: boolean }) : null;
  const intents = await db.messageIntent.findMany({ where: { purpose: { not: 'REPLY' } }, orderBy: { dedupeKey: 'asc' } });
  return {
    customers: await db.customer.count(),
    identities: (await db.channelIdentity.findMany()).map((i) => i.channel),
    visits: await db.visit.count(),
    registrations: await db.registration.count(),
    vouchers: await db.voucher.count(),
    consents: (await db.consentRecord.findMany()).map((c) => `${c.purpose} ${c.granted ? 'yes' : 'no'}`).sort(),
    complaints: await db.ticket.count({ where: { type: 'COMPLAINT' } }),
    orders: await db.order.count(),
    leads: (await db.lead.findMany()).map((l) => l.grade),
    conversation: state && { flow: state.flow, ...(state.step ? { step: state.step } : {}), ...(state.optedOut ? { optedOut: true } : {}) },
    intents: intents.map((i) => `${i.kind} ${i.state}`),
    unhandledInbound: await db.inboundUpdate.count({ where: { handledAt: null } }),
  };
}
