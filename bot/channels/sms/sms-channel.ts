import type { InboxAdapter } from '../../../core/inbound/inbox-adapter.ts';
import { checkSmsBudget } from '../../../core/outbox/sms-budget.ts';
import type { CalendarJob } from '../../../core/scheduler/calendar-job.ts';
import type { ChannelDeps, OpenChannel } from '../channel-module.ts';
import { SmsPhoneCodes } from '../../../core/registration/phone-codes.ts';
import { createAliyunSmsProvider } from './aliyun-sms-provider.ts';
import { registerSmsCallbacks } from './sms-callback-route.ts';
import { smsInboxAdapter } from './sms-inbox-adapter.ts';
import { registerSmsBudgetRoute, smsOutboxSection } from './sms-outbox-section.ts';
import type { SmsProvider } from './sms-provider.ts';
import { SmsSender } from './sms-sender.ts';
import type { SmsSettings } from './sms-settings.ts';
import { registerSurveyLinkPage } from './survey-link-page.ts';
import { createTencentSmsProvider } from './tencent-sms-provider.ts';

/** The SMS channel while it runs. */
export interface SmsChannel extends OpenChannel {
  readonly sender: SmsSender;
  readonly inbox: InboxAdapter;
  readonly smsProvider: SmsProvider['name'];
}

/** The provider the settings name, through its official SDK. */
export function smsProviderOf(settings: SmsSettings, deps: Pick<ChannelDeps, 'clock'>): SmsProvider {
  return settings.provider === 'aliyun'
    ? createAliyunSmsProvider({ accessKeyId: settings.accessKeyId, accessKeySecret: settings.accessKeySecret, regionId: settings.region, endpoint: settings.endpoint, clock: deps.clock })
    : createTencentSmsProvider({ secretId: settings.accessKeyId, secretKey: settings.accessKeySecret, sdkAppId: settings.sdkAppId ?? '', region: settings.region, endpoint: settings.endpoint, clock: deps.clock });
}

/** Every 5 minutes: tells the admins once a month at 80 % of the SMS budget and when it is used up. */
function budgetJob(deps: ChannelDeps, store: { id: string; timeZone: string }): CalendarJob {
  return {
    name: `sms-budget:${store.id}`, cron: '*/5 * * * *', timeZone: store.timeZone, missed: 'catch-up', graceMs: 3_600_000,
    async run() {
      const raised = await checkSmsBudget(deps.db, store, deps.clock.now());
      if (raised.length > 0) deps.logger.warn({ storeId: store.id, raised }, 'SMS budget alert');
    },
  };
}

/**
 * The SMS channel from complete settings: sends approved templates through the configured
 * provider (no credential check at start-up: SendSms is the providers' only call, and each costs
 * money), takes delivery receipts and replies at the secret callback URLs into the durable inbox,
 * serves the survey answer page its messages link to, and keeps the budget (a line and a form on
 * the outbox page, alerts at 80 % and 100 %).
 */
export function createSmsChannel(settings: SmsSettings, deps: ChannelDeps, provider: SmsProvider = smsProviderOf(settings, deps)): SmsChannel {
  // Codes are derived with a key from the SMS secret, which the database does not hold.
  const phoneCodes = settings.codeTemplate ? { templateCode: settings.codeTemplate, codes: new SmsPhoneCodes(settings.accessKeySecret) } : null;
  const sender = new SmsSender(deps.db, provider, { signName: settings.signName, international: settings.international, ...(phoneCodes ? { phoneCodes } : {}) });
  return {
    channel: 'SMS',
    label: '短信',
    sender,
    smsProvider: provider.name,
    inbox: smsInboxAdapter(),
    ...(phoneCodes ? { phoneProof: phoneCodes.codes } : {}),
    registerRoutes(app, ctx) {
      registerSmsCallbacks(app, { provider: provider.name, token: settings.callbackToken, db: deps.db, clock: deps.clock, logger: deps.logger, onStored: deps.onStored });
      registerSurveyLinkPage(app, ctx);
      registerSmsBudgetRoute(app, ctx);
    },
    async start() { /* the HTTP server is its intake */ },
    async stop() { /* closed with the HTTP server */ },
    calendarJobs: (store) => [budgetJob(deps, store)],
    outboxSection: (storeId, timeZone) => smsOutboxSection(deps.db, storeId, timeZone, deps.clock.now()),
    statusLines: () => [
      { label: 'SMS', value: `${provider.name === 'aliyun' ? 'Alibaba Cloud' : 'Tencent Cloud'} (${settings.region}), signature 【${settings.signName}】${settings.international ? ', international numbers too' : ', mainland mobiles'}` },
      { label: 'SMS receipts URL', value: `${deps.publicBaseUrl}/sms/callback/<SMS_CALLBACK_TOKEN>/receipts` },
      { label: 'SMS replies URL', value: `${deps.publicBaseUrl}/sms/callback/<SMS_CALLBACK_TOKEN>/replies` },
    ],
  };
}
