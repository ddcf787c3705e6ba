import type { InboxAdapter } from '../../../core/inbound/inbox-adapter.ts';
import { WorkLoop } from '../../../core/scheduler/work-loop.ts';
import { ChannelSetupError, type ChannelDeps, type OpenChannel } from '../channel-module.ts';
import { createWecomKf } from './kf/create-wecom-kf.ts';
import { routeKfAddresses } from './kf/route-kf-addresses.ts';
import { WecomApiClient } from './wecom-api-client.ts';
import { WecomCallbackCrypto } from './wecom-callback-crypto.ts';
import { registerWecomCallback, WECOM_CALLBACK_PATH } from './wecom-callback-route.ts';
import { ensureContactWay, syncContactWays } from './wecom-contact-ways.ts';
import { wecomCustomerHandover, type WecomCustomerHandover } from './wecom-customer-handover.ts';
import { WecomApiError, WecomCredentialsError } from './wecom-errors.ts';
import { wecomDirectory } from './wecom-directory.ts';
import { wecomInboxAdapter } from './wecom-inbox-adapter.ts';
import { registerWecomOAuth } from './wecom-oauth.ts';
import { RegistrationLinkSigner } from './wecom-registration-link.ts';
import { WecomSender } from './wecom-sender.ts';
import type { WecomConnection } from './wecom-settings.ts';
import { sendWelcomeOnce, type WelcomeDeps } from './wecom-welcome.ts';
import { wecomTemplateJob } from './template-tasks/template-job.ts';
import { templateOutboxSection } from './template-tasks/template-outbox-section.ts';

/** The WeCom channel while it runs. */
export interface WecomChannel extends OpenChannel {
  readonly inbox: InboxAdapter;
  readonly api: WecomApiClient;
  readonly customerHandover: WecomCustomerHandover;
  /** Checks a personal registration link's `w` token: the customer's WeCom identity and the consultant. */
  registrationBinding: NonNullable<OpenChannel['registrationBinding']>;
  /** Resolves when the welcomes under way have been sent (or failed): for shutdown and tests. */
  welcomesSettled(): Promise<void>;
}

/** How often the customer transfers of handovers are looked at (resumed, their results asked). */
const BACKGROUND_CHECK_MS = 10 * 60_000;

/** Start-up could not connect the WeCom app: what to fix. */
function setupError(message: string): ChannelSetupError {
  return new ChannelSetupError('WeCom', message);
}

/** Checks the corp id and secret with gettoken; a refusal stops start-up naming the setting to fix. */
async function checkCredentials(api: WecomApiClient, settings: WecomConnection): Promise<void> {
  try {
    await api.listUserIds({ limit: 1 });
  } catch (error) {
    if (error instanceof WecomCredentialsError) throw setupError(`WeCom refused WECOM_CORP_ID / WECOM_SECRET: ${error.message}`);
    // 60011-style permission errors still prove the token works: the directory may be out of the app's range.
    if (error instanceof WecomApiError && !error.tokenRejected) return;
    throw setupError(`Could not reach the WeCom API at ${settings.WECOM_API_BASE} (${(error as Error).message}). Check the network, the trusted IP (企业可信IP) of the app, or WECOM_API_BASE.`);
  }
}

/**
 * The WeCom channel from complete settings: checks the credentials at once (a wrong secret stops
 * start-up), serves the callback URL, sends app messages to staff, welcomes customers who add a
 * consultant through a 「联系我」 code, and hands out those codes as the QR sources' entry links.
 */
export async function createWecomChannel(settings: WecomConnection, deps: ChannelDeps): Promise<WecomChannel> {
  const api = new WecomApiClient({ corpId: settings.WECOM_CORP_ID, secret: settings.WECOM_SECRET, apiBase: settings.WECOM_API_BASE, clock: deps.clock });
  await checkCredentials(api, settings);
  const crypto = new WecomCallbackCrypto({ token: settings.WECOM_CALLBACK_TOKEN, encodingAesKey: settings.WECOM_ENCODING_AES_KEY, corpId: settings.WECOM_CORP_ID, now: () => deps.clock.now().getTime() });
  const links = new RegistrationLinkSigner(settings.WECOM_SECRET, deps.clock);
  const welcomeDeps: WelcomeDeps = { db: deps.db, clock: deps.clock, logger: deps.logger, api, links, publicBaseUrl: deps.publicBaseUrl };
  const pending = new Set<Promise<unknown>>();
  const welcome = (event: Parameters<typeof sendWelcomeOnce>[1]) => {
    const sending = sendWelcomeOnce(welcomeDeps, event).finally(() => pending.delete(sending));
    pending.add(sending);
  };
  const qrCodes = new Map<string, string>();
  const kf = settings.WECOM_KF_OPEN_KFID
    ? createWecomKf({ api, db: deps.db, clock: deps.clock, logger: deps.logger, inbound: deps.inbound, openKfId: settings.WECOM_KF_OPEN_KFID, onStored: deps.onStored })
    : null;
  const appMessages = new WecomSender(api, settings.WECOM_AGENT_ID);
  const customerHandover = wecomCustomerHandover({ db: deps.db, clock: deps.clock, logger: deps.logger, api });
  // Every few minutes: handovers' customer transfers, and 「联系我」 codes kept adding the right consultants.
  const backgroundChecks = new WorkLoop({
    round: async () => {
      await customerHandover.checkDue();
      await syncContactWays(deps.db, api);
      return BACKGROUND_CHECK_MS;
    },
    idleMs: BACKGROUND_CHECK_MS, logger: deps.logger, failure: 'WeCom background check (transfers, contact-me codes) failed',
  });
  const contactMe = {
    name: 'wecom', label: 'WeCom', isQrImage: true, unavailableHint: 'WeCom 的二维码还不能生成：请先在“员工”页面为本来源的顾问（或值班顾问）填写企业微信账号。',
    async link(code: string) {
      const known = qrCodes.get(code) ?? (await ensureContactWay(deps.db, api, deps.clock, code));
      if (known !== null) qrCodes.set(code, known);
      return known;
    },
  };
  return {
    channel: 'WECOM',
    label: 'WeCom',
    api,
    customerHandover,
    // kf chats (`kf:` addresses) through 微信客服 within its window; staff through app messages.
    sender: kf ? routeKfAddresses(kf.sender, appMessages) : appMessages,
    staffAccounts: { label: '企业微信账号', placeholder: '企业微信 userid', directory: wecomDirectory(api, deps.clock, deps.logger) },
    inbox: wecomInboxAdapter({ welcome: welcomeDeps, alertStoreId: deps.alertStoreId, kf, customerHandover }),
    registrationBinding(token) {
      const binding = links.verify(token);
      return binding ? { chatId: binding.externalUserId, consultantId: binding.staffId, proof: 'wecom_contact_way' } : null;
    },
    welcomesSettled: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    registerRoutes(app) {
      registerWecomCallback(app, { crypto, db: deps.db, clock: deps.clock, onStored: deps.onStored, welcome });
      registerWecomOAuth(app, { db: deps.db, clock: deps.clock, logger: deps.logger, api, corpId: settings.WECOM_CORP_ID, agentId: settings.WECOM_AGENT_ID, publicBaseUrl: deps.publicBaseUrl });
    },
    // WeCom pushes callbacks to the URL; what runs here are the background checks.
    async start() {
      backgroundChecks.start();
    },
    async stop() {
      await backgroundChecks.stop(5_000);
      await Promise.allSettled([...pending]);
    },
    // The 「联系我」 code adds a consultant; the 微信客服 link (when configured) opens the kf chat.
    entryLinks: kf ? [contactMe, { name: 'wecom-kf', label: '微信客服', link: (code: string) => kf.entryLink(code) }] : [contactMe],
    // Consultant tasks for contact-me customers become one-tap templates, checked until confirmed.
    calendarJobs: (store) => [wecomTemplateJob({ db: deps.db, clock: deps.clock, logger: deps.logger, api }, store)],
    outboxSection: (storeId, timeZone) => templateOutboxSection(deps.db, storeId, timeZone, deps.clock.now()),
    statusLines: () => [{ label: 'WeCom', value: `corp ${settings.WECOM_CORP_ID}, app ${settings.WECOM_AGENT_ID}, callback ${deps.publicBaseUrl}${WECOM_CALLBACK_PATH}${kf ? `, 微信客服 ${settings.WECOM_KF_OPEN_KFID}` : ''}` }],
  };
}
