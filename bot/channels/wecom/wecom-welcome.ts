// The welcome for a customer who added an employee: send_welcome_msg accepts a WelcomeCode once,
// and only within 20 s of the add event, so it is sent straight from the callback handler (after
// the event is stored and answered) rather than waiting in the inbox behind other work. A row per
// WelcomeCode is claimed before the call: a callback WeCom delivers twice, the inbox worker's
// fallback and a restart all find the claim and never send a second welcome.
import type { Database } from '../../../core/db/open-database.ts';
import { isUniqueViolation } from '../../../core/db/unique-violation.ts';
import type { Logger } from '../../../core/logger.ts';
import type { Clock } from '../../../core/clock.ts';
import type { WecomApiClient } from './wecom-api-client.ts';
import type { ExternalContactAdded } from './wecom-callback-xml.ts';
import type { RegistrationLinkSigner } from './wecom-registration-link.ts';
import { wecomWelcomeText } from './wecom-texts.ts';

/** What sending welcomes needs. */
export interface WelcomeDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  api: Pick<WecomApiClient, 'sendWelcomeMsg'>;
  links: RegistrationLinkSigner;
  publicBaseUrl: string;
}

/** What became of one add event's welcome. */
export type WelcomeResult = 'sent' | 'already-claimed' | 'failed' | 'no-welcome-code';

/** Sends the add event's welcome once per WelcomeCode; never throws (a failure is recorded and logged). */
export async function sendWelcomeOnce(deps: WelcomeDeps, event: ExternalContactAdded): Promise<WelcomeResult> {
  const { welcomeCode } = event;
  if (!welcomeCode) return 'no-welcome-code';
  try {
    await deps.db.wecomWelcome.create({ data: { welcomeCode, userId: event.userId, externalUserId: event.externalUserId, state: 'SENDING', claimedAt: deps.clock.now() } });
  } catch (error) {
    if (isUniqueViolation(error)) return 'already-claimed';
    deps.logger.error({ err: error }, 'could not claim a WeCom welcome');
    return 'failed';
  }
  try {
    await deps.api.sendWelcomeMsg({ welcomeCode, text: await welcomeText(deps, event) });
    await deps.db.wecomWelcome.update({ where: { welcomeCode }, data: { state: 'SENT', sentAt: deps.clock.now() } });
    return 'sent';
  } catch (error) {
    // Not retried: WeCom refuses a second use of a WelcomeCode, and a lost answer may have been a success.
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ err: error, userId: event.userId }, 'WeCom welcome failed');
    await deps.db.wecomWelcome.update({ where: { welcomeCode }, data: { state: 'FAILED', error: message.slice(0, 500) } }).catch(() => undefined);
    return 'failed';
  }
}

/** The welcome with the customer's personal registration link, for the source behind the code they scanned. */
async function welcomeText(deps: WelcomeDeps, event: ExternalContactAdded): Promise<string> {
  const link = await deps.db.staffChannelLink.findUnique({ where: { channel_externalId: { channel: 'WECOM', externalId: event.userId } }, include: { staff: true } });
  const staff = link?.staff.active ? link.staff : null;
  const code = await sourceCodeOfState(deps.db, event.state, staff?.storeId ?? null);
  const source = code ? await deps.db.qrSource.findUnique({ where: { code }, include: { store: true } }) : null;
  if (!source) return wecomWelcomeText({ storeName: null, consultantName: staff?.name ?? null, link: null });
  const token = deps.links.sign({ externalUserId: event.externalUserId, staffId: staff?.id ?? null });
  const url = `${deps.publicBaseUrl}/r/${encodeURIComponent(source.code)}?w=${token}`;
  return wecomWelcomeText({ storeName: source.store.name, consultantName: staff?.name ?? null, link: url });
}

/**
 * The QR source a contact way's `state` stands for: the contact way made for it, else the state
 * itself when it is a source code (a code made in the WeCom console by hand), else the first
 * active source of the consultant's store.
 */
export async function sourceCodeOfState(db: Database, state: string | undefined, storeId: string | null): Promise<string | null> {
  if (state) {
    const way = await db.wecomContactWay.findUnique({ where: { state }, select: { qrSourceCode: true } });
    if (way) return way.qrSourceCode;
    const source = await db.qrSource.findFirst({ where: { code: state, active: true }, select: { code: true } });
    if (source) return source.code;
  }
  if (!storeId) return null;
  const first = await db.qrSource.findFirst({ where: { storeId, active: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { code: true } });
  return first?.code ?? null;
}
