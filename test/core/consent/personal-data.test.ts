// Export and erasure of one person's data (PIPL access, copy, deletion): the export holds
// everything the erasure removes, and the erasure leaves no trace of the person's name or number
// in any table or column, while other customers are untouched.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { erasePersonalData } from '../../../core/consent/erase-personal-data.ts';
import { exportToCsv } from '../../../core/consent/export-csv.ts';
import { exportPersonalData, exportToJson, type PersonalDataExport } from '../../../core/consent/export-personal-data.ts';
import { mentionsOf, personalDataScope } from '../../../core/consent/personal-data-scope.ts';
import { sanitizeText } from '../../../core/text/sanitize-text.ts';
import { normalizePhone } from '../../../core/customers/phone.ts';
import { cellsHolding, dumpDatabase, stringsOf, textsRemoved } from '../../helpers/database-dump.ts';
import { seedPerson, type SeededPerson } from '../../helpers/personal-data.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

async function exportOf(t: TestCore, customerId: string): Promise<PersonalDataExport> {
  return t.ctx.db.$transaction(async (tx) => exportPersonalData(tx, (await personalDataScope(tx, customerId))!, t.clock.now()));
}

const erase = (t: TestCore, customerId: string) =>
  t.ctx.db.$transaction((tx) => erasePersonalData(tx, { customerId, storeId: t.setup.storeId, actorStaffId: t.setup.adminStaffId, reason: 'request', requestId: null, now: t.clock.now() }));

describe('export and erasure of one person', () => {
  let t: TestCore;
  let person: SeededPerson;
  let other: SeededPerson;
  beforeEach(async () => {
    t = await createTestCore();
    other = await seedPerson(t, { name: '对照客户', phone: '13900001111', tag: 'other' });
    person = await seedPerson(t, { name: '犇淼', phone: '13812345678', tag: 'p' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('exports every kind of record held about them, and nothing of the other customer', async () => {
    const data = await exportOf(t, person.customerId);
    const sections = ['identities', 'consents', 'visits', 'registrations', 'vouchers', 'leads', 'followUps', 'lostRequests', 'orders', 'surveys', 'tickets',
      'messages', 'webChatMessages', 'conversations', 'inboundUpdates', 'staffTasks', 'pendingRegistrations', 'auditEntries'] as const;
    for (const section of sections) expect(data[section].length, section).toBeGreaterThan(0);
    expect(data.mentionedIn.messages.length).toBeGreaterThan(0);
    expect(data.mentionedIn.alerts.map((a) => a.message)).toEqual([expect.stringContaining('客户投诉'), '来自 +8613812345678 的消息无法处理']);
    expect(data.customer).toMatchObject({ name: '犇淼', phone: '+8613812345678', birthday: '1990-05-17' });
    const json = exportToJson(data);
    expect(json).not.toContain('对照客户');
    expect(json).not.toContain('13900001111');
    expect(JSON.parse(json)).toMatchObject({ format: 'showroom-concierge/personal-data@1', identities: [{ externalId: 'tg-p', proof: 'sms_code' }, { externalId: 'web-p', proof: 'front_desk' }] });
  });

  it('writes the CSV in long form, readable by spreadsheets and safe from formula injection', async () => {
    const csv = exportToCsv(await exportOf(t, person.customerId));
    expect(csv.startsWith('\uFEFFsection,record,field,value\n')).toBe(true);
    expect(csv).toContain("customer,1,phone,'+8613812345678");
    expect(csv).toContain('customer,1,name,犇淼');
    expect(csv).toMatch(/^identities,1,externalId,tg-p$/m);
    expect(csv).toMatch(/^mentionedIn\.alerts,1,message,/m);
  });

  it('anonymizes them, cancels their waiting messages, keeps one audit entry without personal data, and cannot be undone', async () => {
    const waiting = await t.ctx.db.messageIntent.count({ where: { customerId: person.customerId, state: 'PENDING' } });
    expect(waiting).toBeGreaterThan(0);
    expect(await erase(t, person.customerId)).toBe('erased');
    const dump = await dumpDatabase(t.ctx.db);
    expect(cellsHolding(dump, mentionsOf('犇淼', '+8613812345678'))).toEqual([]);
    expect(await t.ctx.db.messageIntent.count({ where: { customerId: person.customerId, state: { in: ['PENDING', 'FAILED_RETRYING'] } } })).toBe(0);
    expect(await t.ctx.db.channelIdentity.count({ where: { customerId: person.customerId } })).toBe(0);
    expect(await t.ctx.db.conversation.count({ where: { externalId: person.chat.chatId } })).toBe(0);
    const customer = await t.ctx.db.customer.findUniqueOrThrow({ where: { id: person.customerId } });
    expect(customer).toMatchObject({ name: '', birthday: null, careStoppedReason: 'erased' });
    expect(customer.erasedAt).not.toBeNull();
    expect(await t.ctx.db.order.count({ where: { customerId: person.customerId } })).toBe(1); // kept, anonymous
    const audit = await t.ctx.db.auditEntry.findMany({ where: { action: 'customer.erased' } });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toEqual({ reason: 'request', requestId: null });
    expect(audit[0]!.actorStaffId).toBe(t.setup.adminStaffId);
    // Again: nothing changes, no second entry.
    expect(await erase(t, person.customerId)).toBe('already_erased');
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'customer.erased' } })).toBe(1);
    // The other customer is whole.
    expect(cellsHolding(dump, ['对照客户', '+8613900001111']).length).toBeGreaterThan(5);
    expect(await t.ctx.db.channelIdentity.count({ where: { customerId: other.customerId } })).toBe(2);
  });
});

/** Rare characters (so a name is not part of other data by chance) and hostile ones (quotes, wildcards, bidi, emoji, space). */
const RARE = [...'犇淼焱鑫垚燚靐龘曌嫑孖昍'];
const HOSTILE = [...RARE, 'Zq', '"', "'", '%', '_', '\u202E', '🚗', ' ', '·', 'é'];
const names = fc.tuple(fc.constantFrom(...RARE), fc.array(fc.constantFrom(...HOSTILE), { minLength: 1, maxLength: 8 })).map(([first, rest]) => first + rest.join(''));
const phones = fc.tuple(fc.constantFrom('138', '139', '135', '186', '188', '150', '151', '177', '199'), fc.integer({ min: 0, max: 99_999_999 }))
  .map(([prefix, n]) => `${prefix}${String(n).padStart(8, '0')}`);

describe('erasure property (fast-check): no trace left, and the export held all it removed', () => {
  let t: TestCore;
  let runs = 0;
  beforeAll(async () => {
    t = await createTestCore();
    await seedPerson(t, { name: '对照客户', phone: '13900001111', tag: 'other' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('holds for random, hostile names and numbers', async () => {
    await fc.assert(
      fc.asyncProperty(names, phones, async (rawName, rawPhone) => {
        let name = '';
        try {
          name = sanitizeText(rawName); // what every boundary stores; it refuses lone surrogates
        } catch {
          fc.pre(false);
        }
        const phone = normalizePhone(rawPhone);
        fc.pre(phone !== null && name.length >= 2);
        const forms = mentionsOf(name, phone!);
        fc.pre(cellsHolding(await dumpDatabase(t.ctx.db), forms).length === 0);
        const person = await seedPerson(t, { name, phone: phone!, tag: `run${(runs += 1)}` });
        const exported = stringsOf(JSON.parse(exportToJson(await exportOf(t, person.customerId))));
        const before = await dumpDatabase(t.ctx.db);
        expect(cellsHolding(before, forms).length).toBeGreaterThan(10);
        expect(await erase(t, person.customerId)).toBe('erased');
        const after = await dumpDatabase(t.ctx.db);
        expect(cellsHolding(after, forms)).toEqual([]);
        const missing = textsRemoved(before, after).filter((removed) => !exported.has(removed.value));
        expect(missing).toEqual([]);
        expect(cellsHolding(after, ['对照客户', '+8613900001111']).length).toBeGreaterThan(5);
      }),
      { numRuns: 12 },
    );
  });
});
