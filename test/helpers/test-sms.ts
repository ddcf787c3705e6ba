import type { FastifyInstance } from 'fastify';
import { createSmsChannel, type SmsChannel } from '../../bot/channels/sms/sms-channel.ts';
import { smsCallbackUrls } from '../../bot/channels/sms/sms-callback-route.ts';
import { smsConnection, smsSettings } from '../../bot/channels/sms/sms-settings.ts';
import { buildServer } from '../../bot/http/server.ts';
import { ConfigError, parseSettings } from '../../core/config.ts';
import { inboxHandler } from '../../core/inbound/inbox-adapter.ts';
import { InboxWorker } from '../../core/inbox/inbox-worker.ts';
import { silentLogger } from '../../core/logger.ts';
import { Dispatcher } from '../../core/outbox/dispatcher.ts';
import { saveSmsTemplate, validateSmsTemplate, type SmsTemplateInput } from '../../core/outbox/sms-templates.ts';
import { sqlOutboxStore } from '../../core/outbox/sql-outbox-store.ts';
import { FakeSmsServer, type FakeSmsMode, type FakeSmsTemplate } from '../fakes/fake-sms-server.ts';
import { channelDeps, connectChannel, type TestApp } from './test-app.ts';

/** The SMS account the tests' fake provider knows. */
export const SMS_TEST = {
  keyId: 'LTAI5tTestKeyId', secret: 'test-secret-0123456789abcdef', sdkAppId: '1400006666', sign: '星河汽车',
  token: 'cb_test_0123456789abcdefghijklmnopqrstuv',
} as const;

/**
 * The approved templates both sides know: the fake provider by their text, the store by the same
 * text with which variable fills each parameter. Survey links point at the test app's base URL.
 */
export const SMS_TEST_TEMPLATES: Record<FakeSmsMode, Record<string, { code: string; text: string; params: string; type?: FakeSmsTemplate['type'] }>> = {
  aliyun: {
    visit_thanks: { code: 'SMS_900000001', text: '尊敬的${name}，感谢您今天光临${store}，祝您用车愉快！', params: 'name=honorific\nstore=storeName' },
    visit_survey: { code: 'SMS_900000002', text: '您好，感谢您光临${store}，请为本次接待打分：http://showroom.test/s/${code} 回T退订', params: 'store=storeName\ncode=surveyCode' },
    birthday_greeting: { code: 'SMS_900000003', text: '${name}，生日快乐！${store}祝您万事如意。回T退订', params: 'name=honorific\nstore=storeName', type: 'marketing' },
    phone_code: { code: 'SMS_900000009', text: '您的验证码为${code}，5分钟内有效，请勿泄露给他人。', params: 'code=code', type: 'verification' },
  },
  tencent: {
    visit_thanks: { code: '1900001', text: '尊敬的{1}，感谢您今天光临{2}，祝您用车愉快！', params: '1=honorific\n2=storeName' },
    visit_survey: { code: '1900002', text: '您好，感谢您光临{1}，请为本次接待打分：http://showroom.test/s/{2} 回T退订', params: '1=storeName\n2=surveyCode' },
    birthday_greeting: { code: '1900003', text: '{1}，生日快乐！{2}祝您万事如意。回T退订', params: '1=honorific\n2=storeName', type: 'marketing' },
    phone_code: { code: '1900009', text: '您的验证码为{1}，5分钟内有效，请勿泄露给他人。', params: '1=code', type: 'verification' },
  },
};

/** The settings an operator would write for the fake at `endpoint`. */
export function smsEnv(mode: FakeSmsMode, endpoint: string): Record<string, string> {
  return {
    SMS_PROVIDER: mode, SMS_ACCESS_KEY_ID: SMS_TEST.keyId, SMS_ACCESS_KEY_SECRET: SMS_TEST.secret, SMS_SIGN_NAME: SMS_TEST.sign,
    SMS_CALLBACK_TOKEN: SMS_TEST.token, SMS_ENDPOINT: endpoint, ...(mode === 'tencent' ? { SMS_SDK_APP_ID: SMS_TEST.sdkAppId } : {}),
  };
}

/** An SMS channel on the test app, its fake provider (on the app's clock), a listening server with every route, and the loops. */
export interface SmsTestbed {
  fake: FakeSmsServer;
  channel: SmsChannel;
  /** The app with the SMS routes, listening on 127.0.0.1 (the fake posts its callbacks there). */
  app: FastifyInstance;
  dispatcher: Dispatcher;
  inbox: InboxWorker;
  callbackUrls: { receipt: string; reply: string };
  /** Stores the approved template for `kind` as an admin would (validated against the kind). */
  approve(kind: string, input?: SmsTemplateInput): Promise<void>;
  /** Time passes to `instant` (or by ms): the inbox is worked through, then everything due is sent. */
  at(instant: string | number): Promise<void>;
  close(): Promise<void>;
}

/** Opens SMS on the test app against a fresh fake provider in `mode`, all of SMS_TEST_TEMPLATES approved there. */
export async function openSms(t: TestApp, options: { mode?: FakeSmsMode; env?: Record<string, string> } = {}): Promise<SmsTestbed> {
  const mode = options.mode ?? 'aliyun';
  const templates = SMS_TEST_TEMPLATES[mode];
  const fake = new FakeSmsServer({
    mode, accessKeyId: SMS_TEST.keyId, accessKeySecret: SMS_TEST.secret, sdkAppId: SMS_TEST.sdkAppId, signatures: [SMS_TEST.sign],
    templates: Object.fromEntries(Object.values(templates).map((x) => [x.code, { text: x.text, type: x.type ?? 'notification' }])), now: () => t.clock.now().getTime(),
  });
  const endpoint = await fake.start();
  const parsed = parseSettings(smsSettings, { ...smsEnv(mode, endpoint), ...options.env });
  if (!parsed.ok) throw new ConfigError(parsed.problems);
  const connection = smsConnection(parsed.value);
  if (!connection) throw new Error('SMS settings incomplete');
  const channel = createSmsChannel(connection, channelDeps(t));
  connectChannel(t, channel);
  const app = buildServer(t.ctx);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const dispatcher = new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: t.ctx.channels.map((c) => c.sender), sendTimeoutMs: 2_000 });
  const inbox = new InboxWorker({ db: t.ctx.db, clock: t.clock, logger: silentLogger, alertStoreId: t.setup.storeId, handle: inboxHandler(t.ctx.inbound, [channel.inbox]) });
  return {
    fake, channel, app, dispatcher, inbox, callbackUrls: smsCallbackUrls(base, SMS_TEST.token),
    async approve(kind, input) {
      const given = input ?? { templateCode: templates[kind]?.code ?? '', text: templates[kind]?.text ?? '', params: templates[kind]?.params ?? '' };
      const template = validateSmsTemplate(kind, given, { style: mode, linkBase: t.ctx.publicBaseUrl });
      await t.ctx.db.$transaction((tx) => saveSmsTemplate(tx, t.setup.storeId, template));
    },
    async at(instant) {
      if (typeof instant === 'number') t.clock.advance(instant);
      else t.clock.set(instant);
      while ((await inbox.runOnce()) > 0) { /* everything stored */ }
      while ((await dispatcher.runOnce()) > 0) { /* everything due */ }
    },
    async close() {
      await app.close();
      await fake.close();
    },
  };
}
