import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, registrationCounts, type TestApp } from '../../helpers/test-app.ts';
import { failInserts } from '../../helpers/failing-inserts.ts';

const valid = {
  source: 'showroom',
  name: '张伟',
  phone: '13812345678',
  modelOfInterest: '城市SUV',
  heardFrom: 'walk_in',
  companions: ['spouse'],
  serviceConsent: true,
  marketingConsent: false,
};

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/registrations', payload: payload as object, headers });

describe('POST /api/registrations', () => {
  it('registers a new customer: 201 with the voucher, and writes customer, visit, voucher, consents and thank-you intent', async () => {
    const response = await post(valid);
    expect(response.statusCode).toBe(201);
    const body = response.json<{ reference: string; voucher: string; voucherCode: string; customerId?: string }>();
    expect(Object.keys(body).sort()).toEqual(['reference', 'voucher', 'voucherCode']);
    expect(body.voucher).toBe('issued');
    expect(body.voucherCode).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);

    const db = t.ctx.db;
    expect(await registrationCounts(db)).toEqual({ customers: 1, identities: 0, visits: 1, registrations: 1, vouchers: 1, consents: 2, intents: 1, surveys: 1 });
    expect((await db.registration.findFirstOrThrow()).id).toBe(body.reference);
    const customer = await db.customer.findFirstOrThrow();
    body.customerId = customer.id;
    expect(customer.phone).toBe('+8613812345678');
    const visit = await db.visit.findFirstOrThrow();
    expect(visit).toMatchObject({ customerId: body.customerId, modelOfInterest: '城市SUV', heardFrom: 'walk_in', companions: 'spouse', channel: 'WEB' });
    expect(visit.visitedAt.toISOString()).toBe('2026-11-22T02:00:00.000Z');
    const consents = await db.consentRecord.findMany();
    expect(consents.map((c) => [c.purpose, c.granted]).sort()).toEqual([['MARKETING', false], ['SERVICE', true]]);
    expect(consents.every((c) => c.noticeVersion.length > 0 && c.source === 'api:showroom')).toBe(true);
    const intent = await db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } });
    expect(intent).toMatchObject({ dedupeKey: `thanks:${visit.id}`, purpose: 'SERVICE', kind: 'visit_thanks', state: 'PENDING', customerId: body.customerId });
    expect(intent.sendAt.toISOString()).toBe('2026-11-22T04:00:00.000Z');
    expect(JSON.parse(intent.payload).text).toContain('张伟');
    const gift = await db.gift.findFirstOrThrow();
    expect(gift.stockLeft).toBe(gift.totalStock - 1);
  });

  it('reveals nothing for a known number sent again without proof, however it is written: 201 like a new one, no voucher, held for the desk', async () => {
    const first = (await post(valid)).json();
    const before = await registrationCounts(t.ctx.db);
    for (const phone of ['+86 138 1234 5678', '138-1234-5678', '008613812345678', '１３８１２３４５６７８', '86 13812345678', '(+86) 138.1234.5678']) {
      const again = await post({ ...valid, phone, name: '张先生', marketingConsent: true });
      expect(again.statusCode).toBe(201);
      const body = again.json();
      expect(Object.keys(body).sort()).toEqual(['reference', 'voucher', 'voucherCode']);
      expect(body).toMatchObject({ voucher: 'confirm_at_desk', voucherCode: null });
      expect(JSON.stringify(body)).not.toContain(first.voucherCode);
    }
    expect(await registrationCounts(t.ctx.db)).toEqual(before);
    // One held registration for the desk (the same sender again finds the same one).
    expect(await t.ctx.db.pendingRegistration.count({ where: { reason: 'identity' } })).toBe(1);
  });

  it('gives different people different vouchers', async () => {
    const a = (await post(valid)).json();
    const b = (await post({ ...valid, phone: '13912345678' })).json();
    expect(a.voucherCode).not.toBe(b.voucherCode);
    expect(a.reference).not.toBe(b.reference);
    expect(await t.ctx.db.customer.count()).toBe(2);
  });

  it('takes companions and marketing consent left out or null as none and no', async () => {
    const response = await post({ ...valid, companions: null, marketingConsent: null });
    expect(response.statusCode).toBe(201);
    expect((await t.ctx.db.visit.findFirstOrThrow()).companions).toBe('');
    expect((await t.ctx.db.consentRecord.findFirstOrThrow({ where: { purpose: 'MARKETING' } })).granted).toBe(false);
  });

  it('accepts "not_sure" as the model and records no model', async () => {
    expect((await post({ ...valid, modelOfInterest: 'not_sure' })).statusCode).toBe(201);
    expect((await t.ctx.db.visit.findFirstOrThrow()).modelOfInterest).toBeNull();
  });

  it.each([
    ['phone', { phone: '12345' }, /valid mobile number/],
    ['phone', { phone: '010-12345678' }, /valid mobile number/],
    ['name', { name: '' }, /required/],
    ['name', { name: '   ' }, /required/],
    ['name', { name: '1234' }, /letters/],
    ['name', { name: '<b>x</b>' }, /markup/],
    ['name', { name: 'x'.repeat(31) }, /at most 30/],
    ['source', { source: 'nope' }, /not an active QR source/],
    ['source', { source: 'bad code!' }, /QR source code/],
    ['modelOfInterest', { modelOfInterest: '不存在的车' }, /store's models/],
    ['heardFrom', { heardFrom: 'tv' }, /walk_in, online, phone, referral, other/],
    ['companions', { companions: ['cat'] }, /spouse, parents, children, friends/],
    ['serviceConsent', { serviceConsent: false }, /privacy notice/],
    ['marketingConsent', { marketingConsent: 'yes' }, /true or false/],
  ])('refuses a bad %s with 400 naming it, and writes nothing', async (field, change, message) => {
    const response = await post({ ...valid, ...change });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: string; fields: Record<string, string> }>();
    expect(body.fields[field]).toMatch(message);
    expect(await registrationCounts(t.ctx.db)).toEqual({ customers: 0, identities: 0, visits: 0, registrations: 0, vouchers: 0, consents: 0, intents: 0, surveys: 0 });
  });

  it('names every bad field at once', async () => {
    const response = await post({ source: 'showroom', phone: 'x' });
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json().fields).sort()).toEqual(['heardFrom', 'modelOfInterest', 'name', 'phone', 'serviceConsent']);
  });

  it('refuses a body that is not a JSON object', async () => {
    const broken = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toMatch(/JSON/);
    const list = await post([valid]);
    expect(list.statusCode).toBe(400);
    expect(list.json().fields.body).toMatch(/JSON object/);
  });

  it('still registers, without a voucher, when the gift has run out', async () => {
    await t.ctx.db.gift.updateMany({ data: { stockLeft: 1 } });
    expect((await post(valid)).json().voucherCode).toEqual(expect.any(String));
    const second = await post({ ...valid, phone: '13912345678' });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ voucher: 'out_of_stock', voucherCode: null });
    expect(await t.ctx.db.registration.count()).toBe(2);
    expect(await t.ctx.db.voucher.count()).toBe(1);
    expect((await t.ctx.db.gift.findFirstOrThrow()).stockLeft).toBe(0);
    const repeat = await post({ ...valid, phone: '139 1234 5678' });
    expect(repeat.statusCode).toBe(201);
    expect(repeat.json()).toMatchObject({ voucher: 'confirm_at_desk', voucherCode: null });
  });

  it('hands out no more vouchers than the stock under concurrent registrations', async () => {
    await t.ctx.db.gift.updateMany({ data: { stockLeft: 5 } });
    const phones = Array.from({ length: 12 }, (_, i) => `1391234${String(5000 + i)}`);
    const responses = await Promise.all(phones.map((phone) => post({ ...valid, phone })));
    expect(responses.map((r) => r.statusCode === 201 ? 201 : r.body)).toEqual(phones.map(() => 201));
    expect(responses.filter((r) => r.json().voucherCode !== null)).toHaveLength(5);
    expect(await t.ctx.db.voucher.count()).toBe(5);
  });

  it('registers the same number sent twice at once only once', async () => {
    const [a, b] = await Promise.all([post(valid), post({ ...valid, phone: '+86 13812345678' })]);
    expect([a?.statusCode, b?.statusCode]).toEqual([201, 201]);
    // The second, unproven, is held for the desk: one customer, one voucher.
    expect([a?.json().voucher, b?.json().voucher].sort()).toEqual(['confirm_at_desk', 'issued']);
    expect(await t.ctx.db.customer.count()).toBe(1);
    expect(await t.ctx.db.voucher.count()).toBe(1);
  });

  it('rolls back everything when the transaction fails half-way', async () => {
    // The thank-you intent is the last write: make the database refuse it.
    await failInserts(t.ctx.db, 'MessageIntent');
    const response = await post(valid);
    expect(response.statusCode).toBe(500);
    expect(response.json().error).toMatch(/nothing was saved/);
    expect(await registrationCounts(t.ctx.db)).toEqual({ customers: 0, identities: 0, visits: 0, registrations: 0, vouchers: 0, consents: 0, intents: 0, surveys: 0 });
    expect((await t.ctx.db.gift.findFirstOrThrow()).stockLeft).toBe(200);
  });

  it('links the web session of the H5 form, so the thank-you can reach that browser', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/r/showroom' });
    const cookie = page.cookies.find((c) => c.name === 'sc_chat');
    expect(cookie).toBeDefined();
    await post(valid, { cookie: `sc_chat=${cookie?.value}` });
    const identity = await t.ctx.db.channelIdentity.findFirstOrThrow();
    expect(identity).toMatchObject({ channel: 'WEB', externalId: cookie?.value });
    const intent = await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } });
    expect(intent).toMatchObject({ channel: 'WEB', address: cookie?.value });
    expect((await t.ctx.db.consentRecord.findFirstOrThrow()).source).toBe('web-form:showroom');
  });
});
