// The authorization matrix over HTTP and the staff console (issue #13): every action, as every
// role, on own, another consultant's, nobody's and another store's data, through every page,
// API and command that does it; exactly the cells of test/helpers/authorization-table.ts
// succeed, and a refused cell changes nothing. Every route that can change data is either in
// this table or listed as public with the reason, and every staff command has a row, so a new
// route or command cannot be forgotten.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../../../core/journeys/template-defaults.ts';
import { ACTIONS, type Action, type StaffRole } from '../../../core/staff/authorization.ts';
import type { CommandName } from '../../../core/staff/parse-command.ts';
import { createStaffInvitation } from '../../../core/staff/staff-invitations.ts';
import { linkStaffAccount } from '../../../core/staff/link-staff-account.ts';
import { openComplaintTicket } from '../../../core/surveys/tickets.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { routesOf } from '../../helpers/app-routes.ts';
import { allowed, mayOpenPage, PAGES, ROLES, WHOSE, type Whose } from '../../helpers/authorization-table.ts';
import { queueText } from '../../helpers/intents.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let s2 = '';
const staffOf: Record<string, string> = {};
const session: Partial<Record<StaffRole, string>> = {};
let serial = 0;
const next = () => (serial += 1);

beforeAll(async () => {
  t = await createTestApp({ REGISTRATIONS_PER_ADDRESS_PER_MINUTE: '10000', REGISTRATIONS_PER_SOURCE_PER_MINUTE: '10000', REGISTRATIONS_PER_STORE_PER_MINUTE: '10000', GIFT_BURST_PER_MINUTE: '10000' });
  const db = t.ctx.db;
  const s1 = t.setup.storeId;
  const store1 = await db.store.findUniqueOrThrow({ where: { id: s1 } });
  s2 = (await db.store.create({ data: { groupId: store1.groupId, name: '二号店', timeZone: store1.timeZone, carModels: { create: [{ name: '城市SUV', sortOrder: 0 }] } } })).id;
  const campaign = await db.campaign.create({ data: { storeId: s2, name: '开业', startsAt: t.clock.now(), gifts: { create: { name: '雨伞', totalStock: 1000, stockLeft: 1000 } } } });
  await db.qrSource.create({ data: { code: 'branch', label: '二号店海报', channel: 'WEB', storeId: s2, campaignId: campaign.id } });
  const add = async (key: string, storeId: string, name: string, role: StaffRole) => {
    staffOf[key] = (await db.staff.create({ data: { storeId, name, role } })).id;
  };
  await add('me', s1, '李顾问', 'CONSULTANT');
  await add('colleague', s1, '赵顾问', 'CONSULTANT');
  await add('frontDesk', s1, '钱前台', 'FRONT_DESK');
  await add('manager', s1, '孙经理', 'MANAGER');
  await add('elsewhere', s2, '周顾问', 'CONSULTANT');
  staffOf.admin = t.setup.adminStaffId;
  for (const role of ROLES) session[role] = await signIn(t, actor(role).staffId);
});
afterAll(async () => {
  await t.close();
});

/** The signed-in staff member of store 1 in each role. */
const SIGNED_IN: Record<StaffRole, string> = { CONSULTANT: 'me', FRONT_DESK: 'frontDesk', MANAGER: 'manager', ADMIN: 'admin' };
const actor = (role: StaffRole) => ({ staffId: staffOf[SIGNED_IN[role]] ?? '', storeId: t.setup.storeId, role });

// ---- Fresh data of each kind, one per cell --------------------------------------------------

const storeOf = (whose: Whose) => (whose === 'otherStore' ? s2 : t.setup.storeId);
const ownerOf = (whose: Whose): string | null => ({ own: staffOf.me, otherConsultants: staffOf.colleague, otherStore: staffOf.elsewhere } as Partial<Record<Whose, string>>)[whose] ?? null;

/** A customer who visited the store of `whose`, their lead owned as `whose` says; their phone as staff type it. */
async function customer(whose: Whose): Promise<{ id: string; phone: string; leadId: string }> {
  const n = next();
  const phone = `139${String(n).padStart(8, '0')}`;
  const storeId = storeOf(whose);
  const now = t.clock.now();
  const c = await t.ctx.db.customer.create({ data: { name: `客户${n}`, phone: `+86${phone}` } });
  await t.ctx.db.visit.create({ data: { customerId: c.id, storeId, channel: 'WEB', visitedAt: now, heardFrom: 'walk_in' } });
  const lead = await t.ctx.db.lead.create({ data: { storeId, customerId: c.id, ownerStaffId: ownerOf(whose), source: 'test', firstVisitAt: now } });
  return { id: c.id, phone, leadId: lead.id };
}

async function order(whose: Whose): Promise<{ id: string; phone: string }> {
  const c = await customer(whose);
  const now = t.clock.now().getTime();
  const o = await t.ctx.db.order.create({ data: { storeId: storeOf(whose), customerId: c.id, model: '城市SUV', orderedAt: new Date(now - 86_400_000), deliveryAt: new Date(now + 5 * 86_400_000) } });
  return { id: o.id, phone: c.phone };
}

/** Registers through the API at the store of `whose`: the voucher code, and (registering the same number again) a registration held for the desk. */
async function registration(whose: Whose): Promise<{ voucherCode: string; phone: string }> {
  const phone = `137${String(next()).padStart(8, '0')}`;
  const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: whose === 'otherStore' ? 'branch' : 'showroom', name: '王芳', phone, modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true } });
  expect(response.statusCode).toBe(201);
  return { voucherCode: response.json().voucherCode, phone };
}

async function ticket(whose: Whose): Promise<string> {
  return (await t.ctx.db.$transaction((tx) => openComplaintTicket(tx, t.clock, { storeId: storeOf(whose), description: '等太久', source: 'phone' }))).id;
}

async function deadIntent(whose: Whose): Promise<string> {
  const key = `matrix:${next()}`;
  await queueText(t.ctx.db, storeOf(whose), key, t.clock.now());
  return (await t.ctx.db.messageIntent.update({ where: { dedupeKey: key }, data: { state: 'DEAD' } })).id;
}

/** A customer's data request (as the desk records it) at the store of `whose`. */
async function dataRequest(whose: Whose, kind: 'access' | 'erasure'): Promise<string> {
  const c = await customer(whose);
  return (await t.ctx.db.dataRequest.create({ data: { storeId: storeOf(whose), customerId: c.id, kind, via: 'desk', createdAt: t.clock.now() } })).id;
}

/** The report view a `whose` is for the signed-in `role`: their own figures, a colleague's, their store, a store of their group (s2), a store of another group. */
async function reportView(role: StaffRole, whose: Whose): Promise<string> {
  switch (whose) {
    case 'own': return `consultant:${actor(role).staffId}`;
    case 'otherConsultants': return `consultant:${staffOf.colleague}`;
    case 'ownStore': return `store:${t.setup.storeId}`;
    case 'groupStore': return `store:${s2}`;
    default: {
      const group = await t.ctx.db.dealerGroup.create({ data: { name: `别的集团${next()}` } });
      return `store:${(await t.ctx.db.store.create({ data: { groupId: group.id, name: '别家店', timeZone: 'Asia/Shanghai' } })).id}`;
    }
  }
}

const STAFF_ROLE: Partial<Record<Whose, StaffRole>> = { consultant: 'CONSULTANT', frontDesk: 'FRONT_DESK', manager: 'MANAGER', admin: 'ADMIN', otherStore: 'CONSULTANT' };
async function staffMember(whose: Whose): Promise<string> {
  return (await t.ctx.db.staff.create({ data: { storeId: storeOf(whose), name: `员工${next()}`, role: STAFF_ROLE[whose] ?? 'CONSULTANT' } })).id;
}

// ---- How each operation is attempted, and whether it took effect -----------------------------

const form = (role: StaffRole, url: string, fields: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: session[role] ?? '' } });
const consoleSays = async (role: StaffRole, text: string) => {
  const response = await t.app.inject({ method: 'POST', url: '/admin/console/messages', payload: { text }, cookies: { sc_staff: session[role] ?? '' } });
  expect(response.statusCode).toBe(200);
  return response;
};
const future = '2026-12-01T10:00';
/** Asks for an import's progress until it has finished (each request lets the import run on). */
async function importFinished(role: StaffRole, job: string): Promise<void> {
  for (;;) {
    const response = await t.app.inject({ method: 'GET', url: `/admin/customers/import/jobs/${job}`, cookies: { sc_staff: session[role] ?? '' } });
    if (response.json().finished) return;
  }
}

/** One way to do an action: a route (as registered) or a console command; attempt returns whether it took effect, and the HTTP status. */
interface Operation {
  action: Action;
  via: string;
  attempt(role: StaffRole, whose: Whose): Promise<{ status: number; changed: boolean }>;
}

const http = (action: Action, via: string, attempt: Operation['attempt']): Operation => ({ action, via: `POST ${via}`, attempt });
const command = (action: Action, name: CommandName, attempt: Operation['attempt']): Operation => ({ action, via: `console ${name}`, attempt });

const OPERATIONS: Operation[] = [
  http('customer.care', '/admin/orders', async (role, whose) => {
    const c = await customer(whose);
    const response = await form(role, '/admin/orders', { customerId: c.id, model: '城市SUV', deliveryAt: future, consultantId: '' });
    return { status: response.statusCode, changed: (await t.ctx.db.order.count({ where: { customerId: c.id } })) > 0 };
  }),
  http('customer.care', '/admin/orders/:id/reschedule', async (role, whose) => {
    const o = await order(whose);
    const response = await form(role, `/admin/orders/${o.id}/reschedule`, { deliveryAt: future });
    return { status: response.statusCode, changed: (await t.ctx.db.auditEntry.count({ where: { entityId: o.id } })) > 0 };
  }),
  http('customer.care', '/admin/orders/:id/cancel', async (role, whose) => {
    const o = await order(whose);
    const response = await form(role, `/admin/orders/${o.id}/cancel`, { reason: '客户改主意' });
    return { status: response.statusCode, changed: (await t.ctx.db.order.findUniqueOrThrow({ where: { id: o.id } })).status === 'CANCELLED' };
  }),
  http('customer.care', '/admin/orders/:id/delivered', async (role, whose) => {
    const o = await order(whose);
    const response = await form(role, `/admin/orders/${o.id}/delivered`);
    return { status: response.statusCode, changed: (await t.ctx.db.order.findUniqueOrThrow({ where: { id: o.id } })).status === 'DELIVERED' };
  }),
  http('customer.care', '/admin/customers/:id/birthday', async (role, whose) => {
    const c = await customer(whose);
    const response = await form(role, `/admin/customers/${c.id}/birthday`, { birthday: '1990-05-01', calendar: 'GREGORIAN' });
    return { status: response.statusCode, changed: (await t.ctx.db.customer.findUniqueOrThrow({ where: { id: c.id } })).birthday !== null };
  }),
  command('customer.care', 'follow_up', async (role, whose) => {
    const c = await customer(whose);
    await consoleSays(role, `跟进 ${c.phone} 电话 A 约周六来店试驾`);
    return { status: 200, changed: (await t.ctx.db.followUp.count({ where: { leadId: c.leadId } })) > 0 };
  }),
  command('customer.care', 'grade', async (role, whose) => {
    const c = await customer(whose);
    await consoleSays(role, `定级 ${c.phone} H`);
    return { status: 200, changed: (await t.ctx.db.lead.findUniqueOrThrow({ where: { id: c.leadId } })).grade === 'H' };
  }),
  command('customer.care', 'order', async (role, whose) => {
    const c = await customer(whose);
    await consoleSays(role, `订单 ${c.phone} 城市SUV 2026-12-20 14:00`);
    return { status: 200, changed: (await t.ctx.db.order.count({ where: { customerId: c.id } })) > 0 };
  }),
  command('customer.care', 'delivered', async (role, whose) => {
    const o = await order(whose);
    await consoleSays(role, `交车 ${o.phone}`);
    return { status: 200, changed: (await t.ctx.db.order.findUniqueOrThrow({ where: { id: o.id } })).status === 'DELIVERED' };
  }),
  command('customer.care', 'lost', async (role, whose) => {
    const c = await customer(whose);
    await consoleSays(role, `战败 ${c.phone} 2 已在别家买了`);
    return { status: 200, changed: (await t.ctx.db.lostRequest.count({ where: { leadId: c.leadId } })) > 0 };
  }),
  ...(['approve', 'reject'] as const).map((name) => command('lead.manage', name, async (role, whose) => {
    const c = await customer(whose === 'otherStore' ? 'otherStore' : 'own');
    const request = await t.ctx.db.lostRequest.create({ data: { leadId: c.leadId, requestedById: ownerOf(whose === 'otherStore' ? 'otherStore' : 'own') ?? '', level: 2, reason: '已在别家买了', createdAt: t.clock.now() } });
    await consoleSays(role, name === 'approve' ? `批准 ${c.phone}` : `驳回 ${c.phone} B 2026-12-01`);
    return { status: 200, changed: (await t.ctx.db.lostRequest.findUniqueOrThrow({ where: { id: request.id } })).status !== 'PENDING' };
  })),
  command('lead.manage', 'reassign', async (role, whose) => {
    const c = await customer(whose === 'otherStore' ? 'otherStore' : 'own');
    await consoleSays(role, `转交 ${c.phone} 赵顾问`);
    return { status: 200, changed: (await t.ctx.db.lead.findUniqueOrThrow({ where: { id: c.leadId } })).ownerStaffId === staffOf.colleague };
  }),
  http('voucher.desk', '/admin/vouchers/redeem', async (role, whose) => {
    const { voucherCode } = await registration(whose);
    const response = await form(role, '/admin/vouchers/redeem', { code: voucherCode });
    return { status: response.statusCode, changed: (await t.ctx.db.voucher.findUniqueOrThrow({ where: { code: voucherCode } })).redeemedAt !== null };
  }),
  http('voucher.desk', '/admin/walk-ins', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false }; // the desk counts parties at the signed-in store only
    const before = await t.ctx.db.walkInParty.count({ where: { staffId: actor(role).staffId } });
    const response = await form(role, '/admin/walk-ins', { requestKey: `matrix-walk-in-${next()}-key` });
    return { status: response.statusCode, changed: (await t.ctx.db.walkInParty.count({ where: { staffId: actor(role).staffId } })) > before };
  }),
  http('voucher.desk', '/admin/walk-ins/withdraw', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false };
    const party = await t.ctx.db.walkInParty.create({ data: { storeId: t.setup.storeId, staffId: actor(role).staffId, requestKey: `matrix-party-${next()}-key`, at: t.clock.now() } });
    const response = await form(role, '/admin/walk-ins/withdraw');
    return { status: response.statusCode, changed: (await t.ctx.db.walkInParty.findUniqueOrThrow({ where: { id: party.id } })).withdrawnAt !== null };
  }),
  http('registration.confirm', '/admin/registrations/:id/confirm', async (role, whose) => {
    const { phone } = await registration(whose);
    await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: whose === 'otherStore' ? 'branch' : 'showroom', name: '冒名', phone, modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true } });
    const pending = await t.ctx.db.pendingRegistration.findFirstOrThrow({ where: { phone: `+86${phone}` } });
    const response = await form(role, `/admin/registrations/${pending.id}/confirm`);
    return { status: response.statusCode, changed: (await t.ctx.db.pendingRegistration.findUniqueOrThrow({ where: { id: pending.id } })).resolvedAt !== null };
  }),
  http('ticket.handle', '/admin/tickets/:id/take', async (role, whose) => {
    const id = await ticket(whose);
    const response = await form(role, `/admin/tickets/${id}/take`);
    return { status: response.statusCode, changed: (await t.ctx.db.ticket.findUniqueOrThrow({ where: { id } })).ownerStaffId !== null };
  }),
  http('ticket.handle', '/admin/tickets/:id/close', async (role, whose) => {
    const id = await ticket(whose);
    const response = await form(role, `/admin/tickets/${id}/close`, { rootCause: '排队', actionTaken: '道歉', outcome: '客户接受' });
    return { status: response.statusCode, changed: (await t.ctx.db.ticket.findUniqueOrThrow({ where: { id } })).status === 'CLOSED' };
  }),
  http('ticket.handle', '/admin/tickets', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false }; // complaints are recorded at the signed-in store only
    const description = `电话投诉${next()}`;
    const response = await form(role, '/admin/tickets', { phone: '', source: 'phone', category: 'service', description });
    return { status: response.statusCode, changed: (await t.ctx.db.ticket.count({ where: { description } })) > 0 };
  }),
  http('ticket.handle', '/admin/tickets/:id/category', async (role, whose) => {
    const id = await ticket(whose);
    const response = await form(role, `/admin/tickets/${id}/category`, { category: 'product' });
    return { status: response.statusCode, changed: (await t.ctx.db.ticket.findUniqueOrThrow({ where: { id } })).category === 'product' };
  }),
  http('store.setup', '/admin/templates/:kind/:locale', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false }; // the page edits the signed-in store's templates only: no other store's to address
    await t.ctx.db.messageTemplate.deleteMany({ where: { storeId: t.setup.storeId } });
    const response = await form(role, '/admin/templates/visit_thanks/zh-CN', { body: `${DEFAULT_TEMPLATES.visit_thanks['zh-CN']} 欢迎再来` });
    return { status: response.statusCode, changed: (await t.ctx.db.messageTemplate.count({ where: { storeId: t.setup.storeId } })) > 0 };
  }),
  http('store.setup', '/admin/templates/:kind/:locale/reset', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false };
    const own = await t.ctx.db.messageTemplate.upsert({
      where: { storeId_kind_locale: { storeId: t.setup.storeId, kind: 'visit_thanks', locale: 'zh-CN' } },
      create: { storeId: t.setup.storeId, kind: 'visit_thanks', locale: 'zh-CN', body: DEFAULT_TEMPLATES.visit_thanks['zh-CN'] }, update: {},
    });
    const response = await form(role, '/admin/templates/visit_thanks/zh-CN/reset');
    return { status: response.statusCode, changed: (await t.ctx.db.messageTemplate.findUnique({ where: { id: own.id } })) === null };
  }),
  http('store.setup', '/admin/templates/:kind/sms', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false }; // the signed-in store's SMS templates only
    await t.ctx.db.smsTemplate.deleteMany({ where: { storeId: t.setup.storeId } });
    const response = await form(role, '/admin/templates/visit_thanks/sms', { templateCode: 'SMS_465100001', text: '感谢您今天光临${store}！', params: 'store=storeName' });
    return { status: response.statusCode, changed: (await t.ctx.db.smsTemplate.count({ where: { storeId: t.setup.storeId } })) > 0 };
  }),
  http('store.setup', '/admin/templates/:kind/sms/delete', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false };
    const own = await t.ctx.db.smsTemplate.upsert({
      where: { storeId_kind: { storeId: t.setup.storeId, kind: 'visit_thanks' } },
      create: { storeId: t.setup.storeId, kind: 'visit_thanks', templateCode: 'SMS_465100001', text: '感谢您今天光临${store}！', params: '{"store":"storeName"}' }, update: {},
    });
    const response = await form(role, '/admin/templates/visit_thanks/sms/delete');
    return { status: response.statusCode, changed: (await t.ctx.db.smsTemplate.findUnique({ where: { id: own.id } })) === null };
  }),
  http('store.setup', '/admin/qr-codes', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false };
    const code = `card-${next()}`;
    const response = await form(role, '/admin/qr-codes', { label: '名片', code, consultantId: '' });
    return { status: response.statusCode, changed: (await t.ctx.db.qrSource.count({ where: { code } })) > 0 };
  }),
  ...(['retry', 'cancel'] as const).map((name) => http('outbox.manage', `/admin/outbox/:id/${name}`, async (role, whose) => {
    const id = await deadIntent(whose);
    const response = await form(role, `/admin/outbox/${id}/${name}`);
    return { status: response.statusCode, changed: (await t.ctx.db.messageIntent.findUniqueOrThrow({ where: { id } })).state !== 'DEAD' };
  })),
  http('outbox.manage', '/admin/tasks/:id/done', async (role, whose) => {
    const task = await t.ctx.db.staffTask.create({ data: { storeId: storeOf(whose), kind: 'relay', text: '请转告客户', createdAt: t.clock.now() } });
    const response = await form(role, `/admin/tasks/${task.id}/done`);
    return { status: response.statusCode, changed: (await t.ctx.db.staffTask.findUniqueOrThrow({ where: { id: task.id } })).doneAt !== null };
  }),
  http('staff.manage', '/admin/staff', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false }; // staff are added to the signed-in store only
    const name = `新员工${next()}`;
    const response = await form(role, '/admin/staff', { name, role: STAFF_ROLE[whose] ?? '' });
    return { status: response.statusCode, changed: (await t.ctx.db.staff.count({ where: { name } })) > 0 };
  }),
  http('staff.manage', '/admin/staff/:staffId/update', async (role, whose) => {
    const id = await staffMember(whose);
    const response = await form(role, `/admin/staff/${id}/update`, { active: 'false' });
    return { status: response.statusCode, changed: !(await t.ctx.db.staff.findUniqueOrThrow({ where: { id } })).active };
  }),
  http('staff.manage', '/admin/staff/:staffId/login-links', async (role, whose) => {
    const id = await staffMember(whose);
    const response = await form(role, `/admin/staff/${id}/login-links`);
    return { status: response.statusCode, changed: (await t.ctx.db.adminLoginLink.count({ where: { staffId: id } })) > 0 };
  }),
  http('staff.handover', '/admin/staff/:staffId/handover', async (role, whose) => {
    const leaving = await staffMember(whose);
    const successor = await staffMember(whose);
    const response = await form(role, `/admin/staff/${leaving}/handover`, { toStaffId: successor });
    return { status: response.statusCode, changed: !(await t.ctx.db.staff.findUniqueOrThrow({ where: { id: leaving } })).active };
  }),
  http('privacy.request', '/admin/privacy/requests', async (role, whose) => {
    const c = await customer(whose);
    const response = await form(role, '/admin/privacy/requests', { customerId: c.id, kind: 'access', identityChecked: 'yes' });
    return { status: response.statusCode, changed: (await t.ctx.db.dataRequest.count({ where: { customerId: c.id } })) > 0 };
  }),
  ...(['json', 'csv'] as const).map((format) => http('privacy.export', `/admin/privacy/requests/:id/export.${format}`, async (role, whose) => {
    const request = await dataRequest(whose, 'access');
    const response = await form(role, `/admin/privacy/requests/${request}/export.${format}`);
    return { status: response.statusCode, changed: (await t.ctx.db.auditEntry.count({ where: { action: 'privacy.exported', entityId: request } })) > 0 };
  })),
  http('privacy.erase', '/admin/privacy/requests/:id/erase', async (role, whose) => {
    const request = await dataRequest(whose, 'erasure');
    const response = await form(role, `/admin/privacy/requests/${request}/erase`, { confirm: 'yes' });
    return { status: response.statusCode, changed: (await t.ctx.db.dataRequest.findUniqueOrThrow({ where: { id: request } })).completedAt !== null };
  }),
  http('lead.add', '/admin/leads', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false }; // leads are added to the signed-in store only
    const phone = `136${String(next()).padStart(8, '0')}`;
    const response = await form(role, '/admin/leads', { name: '来电客户', phone, source: 'phone', model: '', grade: 'N' });
    return { status: response.statusCode, changed: (await t.ctx.db.lead.count({ where: { customer: { phone: `+86${phone}` } } })) > 0 };
  }),
  http('customer.care', '/admin/leads/:id/grade', async (role, whose) => {
    const c = await customer(whose);
    const response = await form(role, `/admin/leads/${c.leadId}/grade`, { grade: 'H' });
    return { status: response.statusCode, changed: (await t.ctx.db.lead.findUniqueOrThrow({ where: { id: c.leadId } })).grade === 'H' };
  }),
  http('lead.manage', '/admin/leads/:id/reassign', async (role, whose) => {
    const c = await customer(whose === 'otherStore' ? 'otherStore' : 'own');
    const to = whose === 'otherStore' ? await staffMember('otherStore') : staffOf.colleague ?? '';
    const response = await form(role, `/admin/leads/${c.leadId}/reassign`, { toStaffId: to });
    return { status: response.statusCode, changed: (await t.ctx.db.lead.findUniqueOrThrow({ where: { id: c.leadId } })).ownerStaffId === to };
  }),
  http('lead.manage', '/admin/leads/:id/lost', async (role, whose) => {
    const c = await customer(whose === 'otherStore' ? 'otherStore' : 'own');
    const request = await t.ctx.db.lostRequest.create({ data: { leadId: c.leadId, requestedById: ownerOf(whose === 'otherStore' ? 'otherStore' : 'own') ?? '', level: 2, reason: '已在别家买了', createdAt: t.clock.now() } });
    const response = await form(role, `/admin/leads/${c.leadId}/lost`, { decision: 'approve' });
    return { status: response.statusCode, changed: (await t.ctx.db.lostRequest.findUniqueOrThrow({ where: { id: request.id } })).status !== 'PENDING' };
  }),
  http('customer.care', '/admin/customers/:id/profile', async (role, whose) => {
    const c = await customer(whose);
    const response = await form(role, `/admin/customers/${c.id}/profile`, { name: '改名客户', phone: c.phone, notes: '偏好白色' });
    return { status: response.statusCode, changed: (await t.ctx.db.customer.findUniqueOrThrow({ where: { id: c.id } })).notes === '偏好白色' };
  }),
  http('visit.record', '/admin/customers/:id/visits', async (role, whose) => {
    const c = await customer(whose);
    await t.ctx.db.visit.deleteMany({ where: { customerId: c.id } }); // a lead who has not been in today
    const response = await form(role, `/admin/customers/${c.id}/visits`);
    return { status: response.statusCode, changed: (await t.ctx.db.visit.count({ where: { customerId: c.id } })) > 0 };
  }),
  command('lead.add', 'add_lead', async (role, whose) => {
    if (whose === 'otherStore') return { status: 200, changed: false }; // a command adds to the sender's store only
    const phone = `135${String(next()).padStart(8, '0')}`;
    await consoleSays(role, `新线索 网络客户 ${phone} 网络 A`);
    return { status: 200, changed: (await t.ctx.db.lead.count({ where: { customer: { phone: `+86${phone}` } } })) > 0 };
  }),
  http('store.setup', '/admin/store', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false }; // the page edits the signed-in store only
    const store = await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } });
    const hotline = `400-${String(next()).padStart(4, '0')}`;
    const fields = { name: store.name, address: store.address, hotline, timeZone: store.timeZone, customerHoursStart: store.customerHoursStart, customerHoursEnd: store.customerHoursEnd, staffHoursStart: store.staffHoursStart, staffHoursEnd: store.staffHoursEnd };
    const response = await form(role, '/admin/store', fields);
    return { status: response.statusCode, changed: (await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } })).hotline === hotline };
  }),
  http('store.setup', '/admin/store/models', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false };
    const name = `车型${next()}`;
    const models = (await t.ctx.db.carModel.findMany({ where: { storeId: t.setup.storeId, active: true }, orderBy: { sortOrder: 'asc' } })).map((m) => m.name);
    const response = await form(role, '/admin/store/models', { models: [...models, name].join('\n') });
    return { status: response.statusCode, changed: (await t.ctx.db.carModel.count({ where: { storeId: t.setup.storeId, name } })) > 0 };
  }),
  http('store.setup', '/admin/store/settings/:kind', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false };
    const minimum = next() % 40;
    const response = await form(role, '/admin/store/settings/leadSettings', { 'cadenceDays.H': '1', 'cadenceDays.A': '3', 'cadenceDays.B': '7', 'cadenceDays.C': '15', 'gradeWindowDays.H': '7', 'gradeWindowDays.A': '15', 'gradeWindowDays.B': '30', 'gradeWindowDays.C': '90',
      gradeNewWithinDays: '1', overdueAlertDays: '2', dailyMinimumFollowUps: String(minimum), reassignAfterMonths: '3', poolAfterMonths: '6', reassignSuggestion: 'senior' });
    return { status: response.statusCode, changed: JSON.parse((await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } })).leadSettings || '{}').dailyMinimumFollowUps === minimum };
  }),
  http('store.setup', '/admin/store/campaigns', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false };
    const name = `活动${next()}`;
    const response = await form(role, '/admin/store/campaigns', { name, startsAt: '2026-11-22T10:00', endsAt: '', giftName: '雨伞', stock: '10' });
    return { status: response.statusCode, changed: (await t.ctx.db.campaign.count({ where: { name } })) > 0 };
  }),
  http('store.setup', '/admin/store/gifts/:id/stock', async (role, whose) => {
    const gift = await t.ctx.db.gift.findFirstOrThrow({ where: { campaign: { storeId: storeOf(whose) } } });
    const response = await form(role, `/admin/store/gifts/${gift.id}/stock`, { units: '5' });
    return { status: response.statusCode, changed: (await t.ctx.db.gift.findUniqueOrThrow({ where: { id: gift.id } })).totalStock === gift.totalStock + 5 };
  }),
  http('store.setup', '/admin/store/campaigns/:id/end', async (role, whose) => {
    const campaign = await t.ctx.db.campaign.create({ data: { storeId: storeOf(whose), name: `活动${next()}`, startsAt: t.clock.now() } });
    const response = await form(role, `/admin/store/campaigns/${campaign.id}/end`, { endsAt: '2027-01-31T21:00' });
    return { status: response.statusCode, changed: (await t.ctx.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).endsAt !== null };
  }),
  http('store.group', '/admin/stores', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false }; // a store is added to the signed-in admin's group only
    const name = `门店${next()}`;
    const response = await form(role, '/admin/stores', { name, timeZone: 'Asia/Shanghai' });
    return { status: response.statusCode, changed: (await t.ctx.db.store.count({ where: { name } })) > 0 };
  }),
  http('store.group', '/admin/stores/:id/switch', async (role, whose) => {
    // Own: another store of the signed-in admin's group; other: a store of another dealer group.
    const group = whose === 'otherStore' ? (await t.ctx.db.dealerGroup.create({ data: { name: `集团${next()}` } })).id : (await t.ctx.db.store.findUniqueOrThrow({ where: { id: s2 } })).groupId;
    const target = await t.ctx.db.store.create({ data: { groupId: group, name: `门店${next()}`, timeZone: 'Asia/Shanghai' } });
    const response = await form(role, `/admin/stores/${target.id}/switch`);
    const changed = (await t.ctx.db.staffSession.count({ where: { storeId: target.id } })) > 0;
    await t.ctx.db.staffSession.updateMany({ data: { storeId: null } }); // back to their own store for the next cells
    return { status: response.statusCode, changed };
  }),
  http('customer.import', '/admin/customers/import', async (role, whose) => {
    if (whose === 'otherStore') return { status: 404, changed: false }; // the upload imports into the signed-in store only
    const phone = `134${String(next()).padStart(8, '0')}`;
    const response = await t.app.inject({ method: 'POST', url: '/admin/customers/import?file=customers.csv', payload: Buffer.from(`姓名,手机号\n导入客户,${phone}\n`), headers: { 'content-type': 'application/octet-stream' }, cookies: { sc_staff: session[role] ?? '' } });
    if (response.statusCode === 202) await importFinished(role, response.json().job);
    return { status: response.statusCode, changed: (await t.ctx.db.customer.count({ where: { phone: `+86${phone}` } })) > 0 };
  }),
  // Reading, not changing: whether the page shows the full number is the cell.
  { action: 'customer.phone', via: 'GET /admin/leads/:id', attempt: async (role, whose) => {
    const c = await customer(whose);
    const response = await t.app.inject({ method: 'GET', url: `/admin/leads/${c.leadId}`, cookies: { sc_staff: session[role] ?? '' } });
    return { status: response.statusCode, changed: response.body.includes(`+86${c.phone}`) };
  } },
  http('report.view', '/admin/reports/export', async (role, whose) => {
    const view = await reportView(role, whose);
    const exported = () => t.ctx.db.auditEntry.count({ where: { action: 'report.exported', actorStaffId: actor(role).staffId } });
    const before = await exported();
    const response = await form(role, '/admin/reports/export', { period: 'week', date: '2026-11-22', view, what: 'report', format: 'csv' });
    return { status: response.statusCode, changed: (await exported()) > before };
  }),
  // Invitations and typed chat accounts need a channel that offers them (Telegram, WeCom): the
  // route only hands the signed-in staff member to these core functions, tried here directly.
  { action: 'staff.manage', via: 'POST /admin/staff/:staffId/invitations', attempt: async (role, whose) => {
    const id = await staffMember(whose);
    const made = await createStaffInvitation(t.ctx.db, t.clock, actor(role), { staffId: id, channel: 'TELEGRAM' }).then(() => true, () => false);
    return { status: made ? 200 : 403, changed: (await t.ctx.db.staffInvitation.count({ where: { staffId: id } })) > 0 };
  } },
  { action: 'staff.manage', via: 'POST /admin/staff/:staffId/accounts/:channel', attempt: async (role, whose) => {
    const id = await staffMember(whose);
    const linked = await linkStaffAccount(t.ctx.db, t.clock, actor(role), { staffId: id, channel: 'WECOM', externalId: `user${next()}` }).then(() => true, () => false);
    return { status: linked ? 200 : 403, changed: (await t.ctx.db.staffChannelLink.count({ where: { staffId: id } })) > 0 };
  } },
];

/** Routes that change data without a staff action: who may call them, and why that is right. */
const PUBLIC: Record<string, string> = {
  'POST /api/registrations': 'customers register themselves (hostile input: registration-hostile.test.ts)',
  'POST /api/phone-codes': 'customers ask for an SMS code to their own number (limited per address and per number: phone-code-registration.test.ts)',
  'POST /api/chat/start': 'customers open the web chat (chat-api-hostile.test.ts)',
  'POST /api/chat/messages': 'customers write in the web chat (chat-api-hostile.test.ts)',
  'POST /admin/logout': 'ends the caller\'s own session',
  'POST /admin/console/messages': 'the staff console: each command is a row of OPERATIONS (console …)',
};

/** Staff commands that only read; every other command must be an operation above (the type makes a new command need a row). */
const COMMANDS: Record<CommandName, 'reads' | 'operation'> = {
  help: 'reads', today: 'reads', pending: 'reads', stale: 'reads',
  follow_up: 'operation', grade: 'operation', order: 'operation', delivered: 'operation', lost: 'operation', approve: 'operation', reject: 'operation', reassign: 'operation', add_lead: 'operation',
};

describe('the authorization matrix over HTTP and the console', () => {
  it('covers every route that can change data, every command and every action', () => {
    const changing = routesOf(t.app).filter((r) => !/^(GET|HEAD) /.test(r));
    expect(changing.length).toBeGreaterThan(20);
    const covered = new Set([...OPERATIONS.map((o) => o.via.replace(/ \(.*\)$/, '')), ...Object.keys(PUBLIC)]);
    expect(changing.filter((route) => !covered.has(route))).toEqual([]);
    const commands = new Set(OPERATIONS.map((o) => o.via).filter((v) => v.startsWith('console ')).map((v) => v.slice('console '.length)));
    expect(Object.entries(COMMANDS).filter(([name, kind]) => kind === 'operation' && !commands.has(name))).toEqual([]);
    expect(ACTIONS.filter((action) => !OPERATIONS.some((o) => o.action === action))).toEqual([]);
  });

  for (const operation of OPERATIONS) {
    describe(`${operation.action} by ${operation.via}`, () => {
      for (const role of ROLES) {
        it.each(WHOSE[operation.action].map((whose) => [whose]))(`${role} on %s`, async (whose) => {
          const yes = allowed(role, operation.action, whose);
          const { status, changed } = await operation.attempt(role, whose);
          expect(changed, `${role} ${operation.via} on ${whose}: expected ${yes ? 'to succeed' : 'to be refused'} (status ${status})`).toBe(yes);
          if (yes) expect(status).toBeLessThan(400);
          else if (operation.via.startsWith('POST ')) expect(status).toBeGreaterThanOrEqual(400); // a console refusal is a reply; a page that reads shows less
        });
      }
    });
  }
});

/** GET routes under /admin that are no page of the table: who may open them, and why. */
const NOT_PAGES: Record<string, string> = {
  '/admin/login/:token': 'a one-time sign-in link: whoever holds it (admin-sessions.test.ts)',
  '/admin/ui/admin.css': 'the stylesheet, the same for everyone',
};

/** A URL that opens the page as the role: parameters name the role's own things (their own lead, their store's ticket). */
async function pageUrl(role: StaffRole, page: string): Promise<string> {
  switch (page) {
    case '/admin/tickets/:id': return `/admin/tickets/${await ticket('ownStore')}`;
    case '/admin/leads/:id': return `/admin/leads/${(await customer(role === 'CONSULTANT' ? 'own' : 'unowned')).leadId}`;
    case '/admin/customers/:id': return `/admin/customers/${(await customer(role === 'CONSULTANT' ? 'own' : 'unowned')).id}`;
    case '/admin/qr-codes/:code/:channel.:format': return '/admin/qr-codes/showroom/web.svg';
    case '/admin/customers/import/jobs/:id': {
      // An import of the role's own (jobs are their starter's); a role that may not import asks for a made-up one.
      const upload = await t.app.inject({ method: 'POST', url: '/admin/customers/import?file=c.csv', payload: Buffer.from('姓名,手机号\n'), headers: { 'content-type': 'application/octet-stream' }, cookies: { sc_staff: session[role] ?? '' } });
      return `/admin/customers/import/jobs/${upload.statusCode === 202 ? upload.json().job : 'none'}`;
    }
    case '/admin/reports': case '/admin/reports/list': return `${page}?period=week&date=2026-11-22${page.endsWith('list') ? '&list=registrations' : ''}`;
    default: return page;
  }
}

describe('every admin page as every role', () => {
  it('has a row for every GET route under /admin', () => {
    const pages = routesOf(t.app).filter((r) => /^GET \/admin(\/|$)/.test(r)).map((r) => r.slice('GET '.length));
    expect(pages.filter((page) => !(page in PAGES) && !(page in NOT_PAGES))).toEqual([]);
  });

  for (const page of Object.keys(PAGES)) {
    it.each(ROLES.map((role) => [role]))(`${page} as %s`, async (role) => {
      const response = await t.app.inject({ method: 'GET', url: await pageUrl(role, page), headers: { accept: 'text/html' }, cookies: { sc_staff: session[role] ?? '' } });
      if (mayOpenPage(role, page)) expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      else expect(response.statusCode, response.body.slice(0, 300)).toBe(403);
    });
  }
});
