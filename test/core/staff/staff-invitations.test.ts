// One-time staff invitations that link a chat account to a staff member.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStaffInvitation, type InvitationError, redeemStaffInvitation } from '../../../core/staff/staff-invitations.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

let t: TestCore;
let consultantId: string;
const admin = () => ({ staffId: t.setup.adminStaffId, storeId: t.setup.storeId, role: 'ADMIN' as const });

beforeEach(async () => {
  t = await createTestCore();
  consultantId = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } })).id;
});
afterEach(async () => {
  await t.close();
});

const redeem = (token: string, externalId = '100', channel: 'TELEGRAM' | 'WECOM' = 'TELEGRAM') =>
  t.ctx.db.$transaction((tx) => redeemStaffInvitation(tx, t.clock, token, { channel, externalId }));
const code = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => (e as InvitationError).code);

describe('staff invitations', () => {
  it('links the chat that redeems it, once, and releases messages that were waiting', async () => {
    await t.ctx.db.messageIntent.create({ data: { dedupeKey: 'held', storeId: t.setup.storeId, staffId: consultantId, purpose: 'STAFF', kind: 'lead_digest', payload: '{}', sendAt: t.clock.now(), expiresAt: new Date(t.clock.now().getTime() + 86_400_000), nextAttemptAt: new Date(t.clock.now().getTime() + 3_600_000) } });
    const { token } = await createStaffInvitation(t.ctx.db, t.clock, admin(), { staffId: consultantId, channel: 'TELEGRAM' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await redeem(token)).id).toBe(consultantId);
    expect(await t.ctx.db.staffChannelLink.findFirstOrThrow()).toMatchObject({ staffId: consultantId, channel: 'TELEGRAM', externalId: '100' });
    expect((await t.ctx.db.messageIntent.findUniqueOrThrow({ where: { dedupeKey: 'held' } })).nextAttemptAt).toEqual(t.clock.now());
    expect(await code(redeem(token, '200'))).toBe('used');
    expect(await t.ctx.db.auditEntry.count({ where: { action: { in: ['staff_invited', 'staff_chat_linked'] } } })).toBe(2);
  });

  it('expires, is bound to its channel, and is refused for a deactivated member', async () => {
    const expiring = await createStaffInvitation(t.ctx.db, t.clock, admin(), { staffId: consultantId, channel: 'TELEGRAM', ttlHours: 1 });
    t.clock.advance(3_600_000);
    expect(await code(redeem(expiring.token))).toBe('expired');
    const other = await createStaffInvitation(t.ctx.db, t.clock, admin(), { staffId: consultantId, channel: 'TELEGRAM' });
    expect(await code(redeem(other.token, '100', 'WECOM'))).toBe('wrong_channel');
    await t.ctx.db.staff.update({ where: { id: consultantId }, data: { active: false } });
    expect(await code(redeem(other.token))).toBe('staff_invalid');
    expect(await code(redeem('no-such-token'))).toBe('unknown');
    expect(await t.ctx.db.staffChannelLink.count()).toBe(0);
  });

  it('only admins and managers invite, and only their own store\'s active staff', async () => {
    const consultant = { staffId: consultantId, storeId: t.setup.storeId, role: 'CONSULTANT' as const };
    expect(await code(createStaffInvitation(t.ctx.db, t.clock, consultant, { staffId: consultantId, channel: 'TELEGRAM' }))).toBe('not_allowed');
    expect(await code(createStaffInvitation(t.ctx.db, t.clock, admin(), { staffId: 'elsewhere', channel: 'TELEGRAM' }))).toBe('staff_invalid');
  });

  it('moves a chat linked to someone else to the new staff member', async () => {
    const managerId = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '王经理', role: 'MANAGER' } })).id;
    await redeem((await createStaffInvitation(t.ctx.db, t.clock, admin(), { staffId: consultantId, channel: 'TELEGRAM' })).token);
    await redeem((await createStaffInvitation(t.ctx.db, t.clock, admin(), { staffId: managerId, channel: 'TELEGRAM' })).token);
    expect(await t.ctx.db.staffChannelLink.findMany()).toMatchObject([{ staffId: managerId, externalId: '100' }]);
  });
});
