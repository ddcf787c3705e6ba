import type { FastifyInstance } from 'fastify';
import { createWecomChannel, type WecomChannel } from '../../bot/channels/wecom/wecom-channel.ts';
import { wecomConnection, wecomSettings } from '../../bot/channels/wecom/wecom-settings.ts';
import { buildServer } from '../../bot/http/server.ts';
import { ConfigError, parseSettings } from '../../core/config.ts';
import { linkStaffAccount } from '../../core/staff/link-staff-account.ts';
import { FakeWecomServer } from '../fakes/fake-wecom-server.ts';
import { signCallback } from '../fakes/wecom-callback-signer.ts';
import { channelDeps, connectChannel, type TestApp } from './test-app.ts';

/** The WeCom app the tests' fake server knows. */
export const WECOM_TEST = {
  corpId: 'ww1234567890abcdef',
  agentId: '1000002',
  secret: 'app-secret-for-tests-only',
  token: 'CallbackToken123',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
} as const;

/** The settings an operator would write for the fake at `apiBase`. */
export function wecomEnv(apiBase: string): Record<string, string> {
  return {
    WECOM_CORP_ID: WECOM_TEST.corpId, WECOM_AGENT_ID: WECOM_TEST.agentId, WECOM_SECRET: WECOM_TEST.secret,
    WECOM_CALLBACK_TOKEN: WECOM_TEST.token, WECOM_ENCODING_AES_KEY: WECOM_TEST.encodingAesKey, WECOM_API_BASE: apiBase,
  };
}

/** A WeCom channel on the test app, its fake platform (on the app's clock) and a server with its routes. */
export interface WecomTestbed {
  fake: FakeWecomServer;
  /** Where the fake listens (WECOM_API_BASE). */
  apiBase: string;
  channel: WecomChannel;
  app: FastifyInstance;
  /** Signs and encrypts `xml` as WeCom would, stamped `timestampS` (default: the clock's now), and POSTs it to /wecom/callback. */
  post(xml: string, options?: { timestampS?: number }): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** Opens WeCom on the test app against a fresh fake WeCom server. */
export async function openWecom(t: TestApp, env: Record<string, string> = {}): Promise<WecomTestbed> {
  const fake = new FakeWecomServer({ corpId: WECOM_TEST.corpId, secrets: [WECOM_TEST.secret], now: () => t.clock.now().getTime() });
  const apiBase = await fake.start();
  const parsed = parseSettings(wecomSettings, { ...wecomEnv(apiBase), ...env });
  if (!parsed.ok) throw new ConfigError(parsed.problems);
  const connection = wecomConnection(parsed.value);
  if (!connection) throw new Error('WeCom settings incomplete');
  const channel = await createWecomChannel(connection, channelDeps(t));
  connectChannel(t, channel);
  const app = buildServer(t.ctx);
  await app.ready();
  const secrets = { token: WECOM_TEST.token, encodingAesKey: WECOM_TEST.encodingAesKey, receiveId: WECOM_TEST.corpId };
  return {
    fake, apiBase, channel, app,
    async post(xml, options = {}) {
      const signed = signCallback(secrets, xml, options.timestampS ?? Math.floor(t.clock.now().getTime() / 1000));
      const response = await app.inject({ method: 'POST', url: '/wecom/callback', query: signed.query, payload: signed.body, headers: { 'content-type': 'text/xml' } });
      return { status: response.statusCode, body: response.body };
    },
    async close() {
      await channel.stop();
      await app.close();
      await fake.close();
    },
  };
}

/** A consultant of the test store linked to WeCom userid `userId` (as an admin would on /admin/staff). */
export async function wecomConsultant(t: TestApp, name: string, userId: string): Promise<string> {
  const staff = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name, role: 'CONSULTANT' } });
  await linkStaffAccount(t.ctx.db, t.clock, { staffId: t.setup.adminStaffId, storeId: t.setup.storeId, role: 'ADMIN' }, { staffId: staff.id, channel: 'WECOM', externalId: userId });
  return staff.id;
}
