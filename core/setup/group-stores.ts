import { IANAZone } from 'luxon';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { hashToken } from '../staff/staff-sessions.ts';
import { may, storeSubject, type Principal } from '../staff/authorization.ts';
import { StoreSettingsError } from './store-settings.ts';

function requireGroupAdmin(actor: Principal): void {
  if (!may(actor, 'store.group', storeSubject(actor))) throw new StoreSettingsError({ role: '只有管理员可以新增门店和切换门店。' });
}

/** The stores of the actor's dealer group, oldest first. */
export async function groupStores(db: Database, actor: Principal) {
  const store = await db.store.findUniqueOrThrow({ where: { id: actor.storeId } });
  return db.store.findMany({ where: { groupId: store.groupId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, name: true } });
}

/**
 * A dealer-group admin adds a store to the group: its name and time zone, the current store's
 * car models and hours to start from; audited in both stores. Its staff, campaign and QR codes
 * are set up from its own pages after switching to it.
 */
export async function addGroupStore(db: Database, clock: Clock, actor: Principal, input: { name: string; timeZone: string }): Promise<string> {
  requireGroupAdmin(actor);
  const errors: Record<string, string> = {};
  const name = input.name.trim();
  if (name.length < 1 || name.length > 40) errors.storeName = '门店名称：1–40 个字。';
  if (!IANAZone.isValidZone(input.timeZone.trim())) errors.storeTimeZone = '时区：请填写 IANA 时区名，例如 Asia/Shanghai。';
  if (Object.keys(errors).length > 0) throw new StoreSettingsError(errors);
  return db.$transaction(async (tx) => {
    const current = await tx.store.findUniqueOrThrow({ where: { id: actor.storeId }, include: { carModels: { where: { active: true } } } });
    if (await tx.store.count({ where: { groupId: current.groupId, name } })) throw new StoreSettingsError({ storeName: '门店名称：集团里已有同名门店。' });
    const store = await tx.store.create({
      data: {
        groupId: current.groupId, name, timeZone: input.timeZone.trim(),
        customerHoursStart: current.customerHoursStart, customerHoursEnd: current.customerHoursEnd, staffHoursStart: current.staffHoursStart, staffHoursEnd: current.staffHoursEnd,
        carModels: { create: current.carModels.map((m) => ({ name: m.name, sortOrder: m.sortOrder })) },
      },
    });
    const now = clock.now();
    for (const storeId of [current.id, store.id]) await recordAudit(tx, { storeId, actorStaffId: actor.staffId, action: 'store.added', entity: 'Store', entityId: store.id, at: now, details: { name, timeZone: store.timeZone } });
    return store.id;
  });
}

/** The admin's session works in another store of their group from now on (its pages, its data); audited. */
export async function switchStore(db: Database, clock: Clock, actor: Principal, sessionToken: string, storeId: string): Promise<void> {
  requireGroupAdmin(actor);
  const [current, target] = await Promise.all([db.store.findUniqueOrThrow({ where: { id: actor.storeId } }), db.store.findUnique({ where: { id: storeId } })]);
  if (!target || target.groupId !== current.groupId) throw new StoreSettingsError({ store: '只能切换到本集团的门店。' });
  await db.$transaction(async (tx) => {
    await tx.staffSession.update({ where: { tokenHash: hashToken(sessionToken) }, data: { storeId: target.id } });
    await recordAudit(tx, { storeId: target.id, actorStaffId: actor.staffId, action: 'store.switched', entity: 'Store', entityId: target.id, at: clock.now(), details: { from: current.id } });
  });
}
