import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { sms } from 'tencentcloud-sdk-nodejs-sms';
import { systemClock, type Clock } from '../../../core/clock.ts';
import { endpointParts } from './sms-settings.ts';
import { sendChecked, transportFailure, type SmsProvider, type SmsSendRequest, type SmsSendResult } from './sms-provider.ts';
import { tencentResult } from './tencent-sms-codes.ts';

/** How to reach Tencent Cloud SMS (API 2021-01-11). */
export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  /** The SmsSdkAppId of the SMS application, e.g. `1400006666`. */
  sdkAppId: string;
  /** e.g. `ap-guangzhou`. */
  region: string;
  /** Overrides sms.tencentcloudapi.com (http only to this machine; see sms-settings.ts). */
  endpoint: URL | null;
  clock?: Clock;
  timeoutMs?: number;
}

type SmsClient = InstanceType<typeof sms.v20210111.Client>;
type SendSmsRequest = Parameters<SmsClient['SendSms']>[0];
type SendSmsResponse = Awaited<ReturnType<SmsClient['SendSms']>>;

/**
 * Sends through the official SDK's `SendSms`, one number per request, with our key as
 * `SessionContext`. Tencent's template variables are positional, so named parameters are put in
 * the order of the request's template spec (checked first). The SDK's generic `request` is used for
 * `SendSms` because it takes an AbortSignal. An explicit agent keeps the SDK from routing
 * through a proxy found in `http_proxy`.
 */
export function createTencentSmsProvider(options: TencentSmsOptions): SmsProvider {
  const endpoint = options.endpoint ? endpointParts(options.endpoint) : null;
  const protocol = endpoint?.protocol ?? 'https';
  const client: SmsClient = new sms.v20210111.Client({
    credential: { secretId: options.secretId, secretKey: options.secretKey },
    region: options.region,
    profile: {
      httpProfile: {
        ...(endpoint ? { endpoint: endpoint.host } : {}),
        protocol: `${protocol}://`,
        reqTimeout: (options.timeoutMs ?? 10_000) / 1000,
        agent: protocol === 'http' ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true }),
      },
    },
  });
  const clock = options.clock ?? systemClock;

  const call = async (request: SendSmsRequest, signal: AbortSignal): Promise<SmsSendResult> => {
    try {
      const response = (await client.request('SendSms', request, { signal })) as SendSmsResponse;
      const status = response.SendStatusSet?.[0];
      if (!status?.Code) return { kind: 'ambiguous', error: 'SendSms answered without a send status' };
      if (status.Code === 'Ok' && status.SerialNo) return { kind: 'sent', providerMessageId: status.SerialNo };
      return tencentResult(status.Code, status.Message ?? '', clock.now());
    } catch (error) {
      return classifyTencentError(error, clock.now());
    }
  };

  return {
    name: 'tencent',
    send(request: SmsSendRequest, signal: AbortSignal): Promise<SmsSendResult> {
      return sendChecked('tencent', request, signal, (ordered) => call({
        PhoneNumberSet: [request.phoneE164],
        SmsSdkAppId: options.sdkAppId,
        SignName: request.signName,
        TemplateId: request.templateCode,
        TemplateParamSet: ordered,
        SessionContext: request.outId,
      }, signal));
    },
  };
}

/**
 * What an exception from the SDK means. It throws one error type for everything: with `code` for
 * an API error (`Response.Error`), with `httpCode` for a non-200 answer, and with only a
 * message (node-fetch's) for network failures, timeouts and aborts.
 */
export function classifyTencentError(error: unknown, now: Date): SmsSendResult {
  const e = error as { code?: unknown; httpCode?: unknown } | null;
  const message = error instanceof Error ? error.message : String(error);
  if (e && typeof e.code === 'string' && e.code.length > 0) return tencentResult(e.code, message, now);
  if (e && typeof e.httpCode === 'number') {
    return e.httpCode >= 500 ? { kind: 'retryable', error: `HTTP ${e.httpCode} ${message}` } : { kind: 'rejected', reason: 'other', code: `HTTP ${e.httpCode}`, message };
  }
  return transportFailure(error);
}
