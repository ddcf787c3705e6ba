// 「联系我」 codes for QR sources (externalcontact/add_contact_way): one per source, made the first
// time the source's WeCom link is asked for and kept in WecomContactWay, so the admin page and
// every restart show the same code. The `state` names the source in add_external_contact.
import { createHash } from 'node:crypto';
import type { Clock } from '../../../core/clock.ts';
import type { Database } from '../../../core/db/open-database.ts';
import { isUniqueViolation } from '../../../core/db/unique-violation.ts';
import type { WecomApiClient } from './wecom-api-client.ts';

/** add_contact_way: `state` at most 30 characters. */
const MAX_STATE_CHARS = 30;

/** The state for a source code: the code itself when it fits, else a stable digest of it. */
export function contactWayState(code: string): string {
  if (code.length <= MAX_STATE_CHARS) return code;
  return `qr-${createHash('sha256').update(code).digest('base64url').slice(0, MAX_STATE_CHARS - 3)}`;
}

/**
 * The WeCom userids a source's code adds: its consultant's, else the store's on-duty consultants'
 * (those linked to WeCom on /admin/staff).
 */
async function contactWayUsers(db: Database, source: { storeId: string; consultantId: string | null }): Promise<string[]> {
  const staff = source.consultantId
    ? { id: source.consultantId }
    : { storeId: source.storeId, role: 'CONSULTANT' as const, active: true, onDuty: true };
  const links = await db.staffChannelLink.findMany({ where: { channel: 'WECOM', staff }, orderBy: { externalId: 'asc' }, select: { externalId: true } });
  return [...new Set(links.map((link) => link.externalId))].slice(0, 100);
}

/**
 * The QR code image URL of the source's 「联系我」 code, made on first use; null when the source is
 * unknown or nobody it would add is linked to WeCom yet.
 */
export async function ensureContactWay(db: Database, api: Pick<WecomApiClient, 'addContactWay'>, clock: Clock, code: string): Promise<string | null> {
  const known = await db.wecomContactWay.findUnique({ where: { qrSourceCode: code } });
  if (known) return known.qrCode;
  const source = await db.qrSource.findUnique({ where: { code }, select: { storeId: true, consultantId: true, label: true } });
  if (!source) return null;
  const users = await contactWayUsers(db, source);
  if (users.length === 0) return null;
  const state = contactWayState(code);
  // A consultant's own source adds that one consultant; a store's source whoever is on duty, however many.
  const made = await api.addContactWay({ users, single: source.consultantId !== null, state, remark: source.label.slice(0, 30) });
  try {
    await db.wecomContactWay.create({ data: { qrSourceCode: code, state, configId: made.configId, qrCode: made.qrCode, userIds: users.join(','), createdAt: clock.now() } });
    return made.qrCode;
  } catch (error) {
    // Made twice at once (two page loads): the first one stored is the one used.
    if (!isUniqueViolation(error)) throw error;
    return (await db.wecomContactWay.findUniqueOrThrow({ where: { qrSourceCode: code } })).qrCode;
  }
}

/**
 * Keeps every stored 「联系我」 code adding the right employees (externalcontact/update_contact_way,
 * so the printed QR code keeps working): a source handed to another consultant, consultants
 * going on or off duty, linked or deactivated. A code nobody linked to WeCom could take is left
 * as it is (WeCom needs at least one employee). Returns how many codes were changed.
 */
export async function syncContactWays(db: Database, api: Pick<WecomApiClient, 'updateContactWay'>): Promise<number> {
  let changed = 0;
  for (const way of await db.wecomContactWay.findMany({ orderBy: { qrSourceCode: 'asc' } })) {
    const source = await db.qrSource.findUnique({ where: { code: way.qrSourceCode }, select: { storeId: true, consultantId: true } });
    if (!source) continue;
    const users = await contactWayUsers(db, source);
    if (users.length === 0 || users.join(',') === way.userIds) continue;
    await api.updateContactWay({ configId: way.configId, users });
    await db.wecomContactWay.update({ where: { id: way.id }, data: { userIds: users.join(',') } });
    changed += 1;
  }
  return changed;
}
