import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { systemClock, type Clock } from '../../../core/clock.ts';
import { aliyunResult } from './aliyun-sms-codes.ts';
import { endpointParts } from './sms-settings.ts';
import { sendChecked, transportFailure, type SmsProvider, type SmsSendRequest, type SmsSendResult } from './sms-provider.ts';

/** How to reach Alibaba Cloud SMS (dysmsapi 2017-05-25). */
export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** e.g. `cn-hangzhou`; mainland regions all use dysmsapi.aliyuncs.com. */
  regionId: string;
  /** Overrides the SDK's endpoint (http only to this machine; see sms-settings.ts). */
  endpoint: URL | null;
  clock?: Clock;
  /** Alibaba recommends at least 1 s for mainland sends. */
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
}

// The package is CommonJS: Node's ESM loader hands over `module.exports`, whose `default` is the
// client class; a loader that honours `__esModule` hands over the class itself.
const dysmsapi = Dysmsapi as unknown as typeof Dysmsapi.default | { default: typeof Dysmsapi.default };
const DysmsapiClient = typeof dysmsapi === 'function' ? dysmsapi : dysmsapi.default;

/**
 * Sends through the official SDK's `SendSms`, one number per request (so a BizId names one
 * message), with our key as `OutId` so receipts can be matched. The SDK (4.x, on
 * @alicloud/openapi-core) signs with ACS3-HMAC-SHA256 and does not retry by itself, which is
 * what we want: SendSms is not idempotent, the outbox decides.
 */
export function createAliyunSmsProvider(options: AliyunSmsOptions): SmsProvider {
  const endpoint = options.endpoint ? endpointParts(options.endpoint) : null;
  const client = new DysmsapiClient(new $OpenApiUtil.Config({
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    regionId: options.regionId,
    ...(endpoint ? { endpoint: endpoint.host, protocol: endpoint.protocol } : {}),
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    readTimeout: options.readTimeoutMs ?? 10_000,
  }));
  const clock = options.clock ?? systemClock;

  const call = async (request: SmsSendRequest): Promise<SmsSendResult> => {
    try {
      const response = await client.sendSms(new SendSmsRequest({
        phoneNumbers: aliyunPhoneNumber(request.phoneE164),
        signName: request.signName,
        templateCode: request.templateCode,
        templateParam: JSON.stringify(request.params),
        outId: request.outId,
      }));
      const body = response.body;
      if (body?.code === 'OK' && body.bizId) return { kind: 'sent', providerMessageId: body.bizId };
      return aliyunResult(body?.code ?? 'NoCode', body?.message ?? 'an answer without a code', response.statusCode ?? 200, clock.now());
    } catch (error) {
      return classifyAliyunError(error, clock.now());
    }
  };

  return {
    name: 'aliyun',
    send(request: SmsSendRequest, signal: AbortSignal): Promise<SmsSendResult> {
      return sendChecked('aliyun', request, signal, () => call(request));
    },
  };
}

/**
 * What an exception from the SDK means. The SDK throws its own errors for HTTP 4xx/5xx answers
 * (with `code` and `statusCode`) and passes network errors through; its "ConnectTimeout" is a
 * socket idle timeout that also fires after the request was written, so every timeout is
 * ambiguous. An unreadable answer (not JSON) is ambiguous too: something answered.
 */
export function classifyAliyunError(error: unknown, now: Date): SmsSendResult {
  const e = error as { code?: unknown; statusCode?: unknown; data?: { Message?: unknown } } | null;
  if (e && typeof e.code === 'string' && typeof e.statusCode === 'number') {
    const message = typeof e.data?.Message === 'string' ? e.data.Message : error instanceof Error ? error.message : e.code;
    return aliyunResult(e.code, message, e.statusCode, now);
  }
  return transportFailure(error);
}

/** SendSms wants mainland numbers as 11 digits, others as country code and number without `+`. */
export function aliyunPhoneNumber(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
}
