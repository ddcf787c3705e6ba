// Issue #13, finding 1 and 3: someone who knows a customer's number, with their own chat cookie,
// gets nothing of that customer's (no voucher, no link, no consent, ticket or opt-out in their
// name), the answer cannot be told from a new registration's, and the front desk can confirm in person.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../core/messages.ts';
import { customerReach } from '../../../core/outbox/reach.ts';
import { followRedirect, signIn } from '../../helpers/admin-session.ts';
import { openWebChat } from '../../helpers/web-chat.ts';
import { createTestApp, registrationCounts, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const openChat = () => openWebChat(t.app);

const form = (phone: string, name = '李四') => ({ source: 'showroom', name, phone, modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true, marketingConsent: true });

/** Everything about the victim that an attacker must not change. */
async function victimSnapshot(customerId: string) {
  const db = t.ctx.db;
  return {
    customer: await db.customer.findUniqueOrThrow({ where: { id: customerId } }),
    identities: await db.channelIdentity.findMany({ where: { customerId }, orderBy: { id: 'asc' } }),
    consents: await db.consentRecord.count({ where: { customerId } }),
    leads: await db.lead.findMany({ where: { customerId } }),
    tickets: await db.ticket.count({ where: { customerId } }),
    intents: await db.messageIntent.count({ where: { customerId } }),
    vouchers: await db.voucher.findMany({ where: { customerId } }),
  };
}

async function registerVictim() {
  const victim = await openChat();
  let replies: OutboundMessage[] = [];
  for (const answer of ['1', '张伟', '13812345678', '1', '1', '0', '2']) replies = await victim.say(answer);
  const code = replies[0]?.kind === 'voucher' ? replies[0].voucherCode : '';
  const customer = await t.ctx.db.customer.findFirstOrThrow();
  return { victim, code, customerId: customer.id };
}

describe('identity takeover by phone number', () => {
  it('over HTTP: the attacker\'s cookie and the victim\'s number (any format) give no voucher, no link, and change nothing; reminders still go to the victim', async () => {
    const { victim, code, customerId } = await registerVictim();
    const attacker = await openChat();
    const before = await victimSnapshot(customerId);
    const counts = await registrationCounts(t.ctx.db);
    const newcomer = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: form('13987654321', '王五') });
    for (const phone of ['+86 138 1234 5678', '008613812345678', '138-1234-5678', '86 13812345678', '１３８１２３４５６７８']) {
      const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: form(phone), cookies: { sc_chat: attacker.id } });
      expect(response.statusCode).toBe(newcomer.statusCode);
      expect(Object.keys(response.json()).sort()).toEqual(Object.keys(newcomer.json()).sort());
      expect(response.json()).toMatchObject({ voucher: 'confirm_at_desk', voucherCode: null });
      expect(response.body).not.toContain(code);
      expect(response.body).not.toContain(customerId);
    }
    // The attacker's chat now tries to act in the victim's name.
    await attacker.say('投诉 这家店太差了');
    await attacker.say('TD');
    expect(await victimSnapshot(customerId)).toEqual(before);
    expect(await t.ctx.db.channelIdentity.count({ where: { externalId: attacker.id } })).toBe(0);
    const after = await registrationCounts(t.ctx.db);
    expect(after.customers).toBe((counts.customers ?? 0) + 1);
    const reach = await customerReach(t.ctx.db, [customerId], ['WEB']);
    expect(reach.get(customerId)).toEqual({ channel: 'WEB', address: victim.id });
  });

  it('in the web chat: typing the victim\'s number at the phone step reveals nothing and links nothing; a second chat session neither', async () => {
    const { victim, code, customerId } = await registerVictim();
    const before = await victimSnapshot(customerId);
    for (const phone of ['+86 13812345678', '0086 138 1234 5678']) {
      const attacker = await openChat();
      let replies: OutboundMessage[] = [];
      for (const answer of ['1', '李四', phone, '1', '1', '0', '1']) replies = await attacker.say(answer);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatchObject({ kind: 'text' });
      expect(replies[0]?.text).toMatch(/前台.*当面核对/);
      expect(JSON.stringify(replies)).not.toMatch(new RegExp(`${code.slice(0, 4)}|已经登记过|张伟`));
      expect(await t.ctx.db.channelIdentity.count({ where: { externalId: attacker.id } })).toBe(0);
    }
    expect(await victimSnapshot(customerId)).toEqual(before);
    expect((await customerReach(t.ctx.db, [customerId], ['WEB'])).get(customerId)?.address).toBe(victim.id);
  });

  it('with proof: the front desk confirms in person, which links the chat and hands over the customer\'s voucher, once', async () => {
    const { code, customerId } = await registerVictim();
    const newPhone = await openChat();
    const held = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: form('13812345678', '张伟'), cookies: { sc_chat: newPhone.id } });
    expect(held.json().voucher).toBe('confirm_at_desk');
    const desk = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '前台小王', role: 'FRONT_DESK' } });
    const cookie = await signIn(t, desk.id);
    const page = await t.app.inject({ method: 'GET', url: '/admin', cookies: { sc_staff: cookie } });
    expect(page.body).toContain('待前台确认的登记');
    expect(page.body).toContain('138****5678');
    const pending = await t.ctx.db.pendingRegistration.findFirstOrThrow();
    const confirm = await followRedirect(t.app, await t.app.inject({ method: 'POST', url: `/admin/registrations/${pending.id}/confirm`, cookies: { sc_staff: cookie } }), cookie);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(`${code.slice(0, 4)}-${code.slice(4)}`);
    expect((await t.ctx.db.channelIdentity.findFirstOrThrow({ where: { externalId: newPhone.id } })).customerId).toBe(customerId);
    const again = await t.app.inject({ method: 'POST', url: `/admin/registrations/${pending.id}/confirm`, cookies: { sc_staff: cookie } });
    expect(again.statusCode).toBe(409);
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'registration.desk_confirmed' } })).toBe(1);
  });

  it('lets only the desk, managers and admins confirm', async () => {
    await registerVictim();
    await t.app.inject({ method: 'POST', url: '/api/registrations', payload: form('13812345678') });
    const consultant = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '顾问小李', role: 'CONSULTANT' } });
    const cookie = await signIn(t, consultant.id);
    const pending = await t.ctx.db.pendingRegistration.findFirstOrThrow();
    const confirm = await t.app.inject({ method: 'POST', url: `/admin/registrations/${pending.id}/confirm`, cookies: { sc_staff: cookie } });
    expect(confirm.statusCode).toBe(403);
    expect((await t.ctx.db.pendingRegistration.findFirstOrThrow()).resolvedAt).toBeNull();
  });
});
