// The handover is a security boundary (who may deactivate a consultant and take their customers)
// and must be idempotent: hostile and random requests either hand over exactly what the rules
// allow, once, or are refused with nothing changed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../../core/staff/authorization.ts';
import { handOverCustomers, HandoverError } from '../../../core/staff/customer-handover.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

let t: TestCore;
let otherStoreId: string;

beforeAll(async () => {
  t = await createTestCore();
  const store = await t.ctx.db.store.findUniqueOrThrow({ where: { id: t.setup.storeId } });
  otherStoreId = (await t.ctx.db.store.create({ data: { groupId: store.groupId, name: '二店', timeZone: store.timeZone } })).id;
});
afterAll(async () => {
  await t.close();
});

const ROLES: StaffRole[] = ['CONSULTANT', 'MANAGER', 'FRONT_DESK', 'ADMIN'];
/** Who a request names: staff of either store in any role and state, or ids that are no staff at all. */
const TARGETS = ['consultant', 'inactiveConsultant', 'otherStoreConsultant', 'manager', 'frontDesk', 'self', 'garbage'] as const;
type Target = (typeof TARGETS)[number];

let made = 0;

/** A staff member owning one lead. */
async function staff(storeId: string, role: StaffRole, active = true): Promise<string> {
  made += 1;
  const row = await t.ctx.db.staff.create({ data: { storeId, name: `员工${made}`, role, active } });
  const customer = await t.ctx.db.customer.create({ data: { name: `客户${made}`, phone: `+86139${String(made).padStart(8, '0')}` } });
  await t.ctx.db.lead.create({ data: { storeId, customerId: customer.id, ownerStaffId: row.id, source: 'walk_in', firstVisitAt: t.clock.now() } });
  return row.id;
}

async function target(kind: Target, actorId: string, garbage: string): Promise<string> {
  switch (kind) {
    case 'consultant': return staff(t.setup.storeId, 'CONSULTANT');
    case 'inactiveConsultant': return staff(t.setup.storeId, 'CONSULTANT', false);
    case 'otherStoreConsultant': return staff(otherStoreId, 'CONSULTANT');
    case 'manager': return staff(t.setup.storeId, 'MANAGER');
    case 'frontDesk': return staff(t.setup.storeId, 'FRONT_DESK');
    case 'self': return actorId;
    case 'garbage': return garbage;
    default: return kind satisfies never;
  }
}

describe('handOverCustomers under hostile requests', () => {
  it('hands over only for a manager or admin of the store, from a consultant of it to another active one; otherwise changes nothing', async () => {
    // Weighted towards requests that should succeed, so both sides of the rule are exercised.
    const likely = <T>(value: T, all: readonly T[]) => fc.oneof({ arbitrary: fc.constant(value), weight: 3 }, { arbitrary: fc.constantFrom(...all), weight: 2 });
    let handedOver = 0;
    await fc.assert(fc.asyncProperty(
      likely<StaffRole>('MANAGER', ROLES), likely(true, [true, false]), likely<Target>('consultant', TARGETS), likely<Target>('consultant', TARGETS), fc.string({ maxLength: 40 }),
      async (role, sameStore, fromKind, toKind, garbage) => {
        const actorStore = sameStore ? t.setup.storeId : otherStoreId;
        const actorId = await staff(actorStore, role);
        const [fromId, toId] = [await target(fromKind, actorId, garbage), await target(toKind, actorId, `${garbage}x`)];
        const before = await t.ctx.db.lead.findMany({ orderBy: { id: 'asc' }, select: { id: true, ownerStaffId: true } });
        const handoversBefore = await t.ctx.db.staffHandover.count();
        const fromRow = await t.ctx.db.staff.findUnique({ where: { id: fromId } });
        const toRow = await t.ctx.db.staff.findUnique({ where: { id: toId } });
        const allowed = (role === 'MANAGER' || role === 'ADMIN') && fromRow?.storeId === actorStore && fromRow.role === 'CONSULTANT'
          && toRow?.storeId === actorStore && toRow.role === 'CONSULTANT' && toRow.active && toRow.id !== fromRow.id;
        const request = () => handOverCustomers(t.ctx.db, t.clock, { staffId: actorId, role, storeId: actorStore }, { fromStaffId: fromId, toStaffId: toId });
        if (!allowed) {
          await expect(request()).rejects.toBeInstanceOf(HandoverError);
          expect(await t.ctx.db.lead.findMany({ orderBy: { id: 'asc' }, select: { id: true, ownerStaffId: true } })).toEqual(before);
          expect(await t.ctx.db.staffHandover.count()).toBe(handoversBefore);
          expect((await t.ctx.db.staff.findUnique({ where: { id: fromId } }))?.active).toBe(fromRow?.active);
          return;
        }
        handedOver += 1;
        const [first, second] = [await request(), await request()];
        expect(first.created).toBe(true);
        expect(second).toMatchObject({ created: false, handover: { id: first.handover.id } });
        expect(await t.ctx.db.lead.count({ where: { ownerStaffId: fromId } })).toBe(0);
        expect(await t.ctx.db.staffHandover.count()).toBe(handoversBefore + 1);
        expect((await t.ctx.db.staff.findUniqueOrThrow({ where: { id: fromId } })).active).toBe(false);
      },
    ), { numRuns: 60 });
    expect(handedOver).toBeGreaterThan(0);
  });
});
