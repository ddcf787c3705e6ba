import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/open-database.ts';
import { isQrSourceCode } from './qr-source-code.ts';
import { may, storeSubject, type Principal } from '../staff/authorization.ts';

export type QrSourceErrorCode = 'not_allowed' | 'code_invalid' | 'code_taken' | 'label_invalid' | 'consultant_invalid' | 'no_campaign';

export class QrSourceError extends Error {
  constructor(readonly code: QrSourceErrorCode, message: string) {
    super(message);
    this.name = 'QrSourceError';
  }
}

/**
 * An admin or manager adds a QR source to the store: a code (also the Telegram deep-link payload),
 * a label, and optionally the consultant whose scans it brings (their leads). It joins the
 * store's current campaign. Audited.
 */
export async function addQrSource(db: Database, clock: Clock, actor: Principal, input: { code: string; label: string; consultantId?: string | null }) {
  if (!may(actor, 'store.setup', storeSubject(actor))) throw new QrSourceError('not_allowed', 'only admins and managers add QR sources');
  const code = input.code.trim();
  if (!isQrSourceCode(code)) throw new QrSourceError('code_invalid', 'must be 1–64 letters, digits, _ or -');
  const label = input.label.trim();
  if (label.length === 0 || label.length > 60) throw new QrSourceError('label_invalid', 'must be 1–60 characters');
  const now = clock.now();
  return db.$transaction(async (tx) => {
    if (await tx.qrSource.findUnique({ where: { code } })) throw new QrSourceError('code_taken', `"${code}" is already used`);
    const consultantId = input.consultantId || null;
    if (consultantId && !(await tx.staff.findFirst({ where: { id: consultantId, storeId: actor.storeId, role: 'CONSULTANT', active: true } }))) {
      throw new QrSourceError('consultant_invalid', 'is not an active consultant of this store');
    }
    const campaign = await tx.campaign.findFirst({ where: { storeId: actor.storeId, startsAt: { lte: now }, OR: [{ endsAt: null }, { endsAt: { gt: now } }] }, orderBy: { startsAt: 'desc' } });
    if (!campaign) throw new QrSourceError('no_campaign', 'the store has no campaign running');
    const source = await tx.qrSource.create({ data: { code, label, channel: 'WEB', storeId: actor.storeId, campaignId: campaign.id, consultantId } });
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'qr_source_added', entity: 'QrSource', entityId: source.id, details: { code, label, consultantId, campaignId: campaign.id }, at: now });
    return source;
  });
}
