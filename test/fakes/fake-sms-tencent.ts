// The Tencent Cloud mode of the fake SMS provider: API 3.0 `SendSms` (2021-01-11) as the official
// Node SDK sends it — POST / with a JSON body, `X-TC-*` headers and a TC3-HMAC-SHA256 signature,
// verified here from the request alone. Every answer is HTTP 200 with `{ Response: … }`: request
// errors as `Response.Error { Code, Message }`, per-number outcomes in `Response.SendStatusSet`.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { beijingTime, type FakeSmsServer, type RawAnswer, type RawRequest, type SentSms, type SmsDialect } from './fake-sms-server.ts';

const VERSION = '2021-01-11';
const SKEW_S = 300;
const VARIABLE_MAX = 12;
const URL_LIKE = /(https?:\/\/|www\.|\.(com|cn|net|org)\b)/i;
/** Codes Tencent reports per number (in SendStatusSet) rather than for the whole request. */
const PER_NUMBER = /^(LimitExceeded\.PhoneNumber|InvalidParameterValue\.IncorrectPhoneNumber|FailedOperation\.PhoneNumber)/;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const header = (request: RawRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};
const serialOf = (sent: SentSms) => `5000:${1045710669157053657849499619n + BigInt(sent.id)}`;

function error(code: string, message: string): RawAnswer {
  return { status: 200, json: { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } } };
}

/**
 * Verifies a TC3-HMAC-SHA256 signature; null when it holds. The service in the credential scope
 * must be the first label of the host, as the SDK derives it (`sms` for sms.tencentcloudapi.com);
 * the SDK signs the host name without the port, so that is what is compared.
 */
function verify(request: RawRequest, server: FakeSmsServer): RawAnswer | null {
  const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(header(request, 'authorization') ?? '');
  if (!auth) return error('AuthFailure.InvalidAuthorization', 'Authorization 不符合腾讯云标准。');
  const [, secretId = '', date = '', service = '', signedList = '', signature = ''] = auth;
  const signed = signedList.split(';');
  const host = (header(request, 'host') ?? '').replace(/:\d+$/, '');
  if (!signed.includes('host') || !signed.includes('content-type') || service !== host.split('.')[0]) return error('AuthFailure.InvalidAuthorization', 'Authorization 不符合腾讯云标准。');
  if (header(request, 'x-tc-action') !== 'SendSms') return error('InvalidAction', '接口不存在。');
  if (header(request, 'x-tc-version') !== VERSION) return error('NoSuchVersion', '接口版本不存在。');
  if (secretId !== server.config.accessKeyId) return error('AuthFailure.SecretIdNotFound', '密钥不存在。');
  const timestamp = Number(header(request, 'x-tc-timestamp'));
  if (!Number.isInteger(timestamp) || Math.abs(timestamp - server.wallClock() / 1000) > SKEW_S) return error('AuthFailure.SignatureExpire', '签名过期。Timestamp 和服务器时间相差不得超过五分钟。');
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
  const value = (name: string) => (name === 'host' ? host : (header(request, name) ?? '')).trim().toLowerCase();
  const canonical = [request.method, request.url.pathname, request.url.search.slice(1), signed.map((name) => `${name}:${value(name)}\n`).join(''), signedList, sha256(request.body)].join('\n');
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(`TC3${server.config.accessKeySecret}`, date), service), 'tc3_request');
  if (!timingSafeEqual(hmac(key, stringToSign), Buffer.from(signature, 'hex'))) return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
  return null;
}

interface SendSmsBody { PhoneNumberSet?: unknown; SmsSdkAppId?: unknown; SignName?: unknown; TemplateId?: unknown; TemplateParamSet?: unknown; SessionContext?: unknown }

/** `+86` and 11 digits for the mainland (86 / 0086 / bare accepted, as documented), or another E.164 number. */
function toE164(raw: string): string | null {
  const mainland = /^(?:\+86|0086|86)?(1\d{10})$/.exec(raw);
  if (mainland) return `+86${mainland[1]}`;
  return /^\+(?!86)[1-9]\d{6,14}$/.test(raw) ? raw : null;
}

function checkRequest(body: SendSmsBody, server: FakeSmsServer): RawAnswer | null {
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (!strings(body.PhoneNumberSet) || (body.PhoneNumberSet as string[]).length === 0) return error('MissingParameter.EmptyPhoneNumberSet', '传入的号码列表为空。');
  if (body.SmsSdkAppId !== server.config.sdkAppId) return error('InvalidParameterValue.SdkAppIdNotExist', 'SdkAppId不存在。');
  if (typeof body.SignName !== 'string' || !server.config.signatures.includes(body.SignName)) return error('FailedOperation.SignatureIncorrectOrUnapproved', '签名未审批或格式错误。');
  const template = typeof body.TemplateId === 'string' ? server.config.templates[body.TemplateId] : undefined;
  const params = body.TemplateParamSet ?? [];
  if (!template || !strings(params) || (params as string[]).length !== new Set(template.text.match(/\{\d+\}/g)).size) return error('FailedOperation.TemplateIncorrectOrUnapproved', '模板未审批或内容不匹配。');
  for (const value of params as string[]) {
    if (template.type === 'verification' && !/^\d{0,6}$/.test(value)) return error('InvalidParameterValue.TemplateParameterFormatError', '验证码模板参数格式错误，验证码类模板，模板变量只能传入0-6位（包括6位）纯数字。');
    if ([...value].length > VARIABLE_MAX) return error('InvalidParameterValue.TemplateParameterLengthLimit', '单个模板变量字符数超过12个。');
    if (URL_LIKE.test(value)) return error('InvalidParameterValue.ProhibitedUseUrlInTemplateParameter', '禁止在模板变量中使用 URL。');
  }
  return null;
}

export const tencentDialect: SmsDialect = {
  read(request, server) {
    const refused = verify(request, server);
    if (refused) return { answer: refused };
    let body: SendSmsBody;
    try {
      body = JSON.parse(request.body.toString('utf8')) as SendSmsBody;
    } catch {
      return { answer: error('FailedOperation.JsonParseFail', '解析请求包体时候失败。') };
    }
    const invalid = checkRequest(body, server);
    if (invalid) return { answer: invalid };
    return {
      messages: (body.PhoneNumberSet as string[]).map((rawPhone) => ({
        rawPhone, phoneE164: toE164(rawPhone), signName: body.SignName as string, templateCode: body.TemplateId as string,
        params: (body.TemplateParamSet ?? []) as string[], outId: typeof body.SessionContext === 'string' ? body.SessionContext : null,
      })),
    };
  },

  refuse(message, server) {
    if (!message.phoneE164) return ['InvalidParameterValue.IncorrectPhoneNumber', '手机号格式错误。'];
    if (server.isBlacklisted(message.phoneE164)) return ['FailedOperation.PhoneNumberInBlacklist', '手机号在免打扰名单库中。'];
    return null;
  },

  answer(results) {
    const SendStatusSet = results.map(({ message, sent, code, text }) => ({
      SerialNo: sent ? serialOf(sent) : '', PhoneNumber: message.phoneE164 ?? message.rawPhone, Fee: sent ? 1 : 0,
      SessionContext: message.outId ?? '', Code: sent ? 'Ok' : (code ?? 'InternalError.OtherError'), Message: sent ? 'send success' : (text ?? ''), IsoCode: sent ? 'CN' : '',
    }));
    return { status: 200, json: { Response: { SendStatusSet, RequestId: randomUUID() } } };
  },

  scripted(answer) {
    if ('status' in answer) return { status: answer.status, text: `<html><body><h1>${answer.status} Bad Gateway</h1></body></html>` };
    if (!PER_NUMBER.test(answer.code)) return error(answer.code, answer.message ?? answer.code);
    const status = { SerialNo: '', PhoneNumber: '', Fee: 0, SessionContext: '', Code: answer.code, Message: answer.message ?? answer.code, IsoCode: '' };
    return { status: 200, json: { Response: { SendStatusSet: [status], RequestId: randomUUID() } } };
  },

  render(template, params) {
    return template.text.replace(/\{(\d+)\}/g, (_, n: string) => (Array.isArray(params) ? (params[Number(n) - 1] ?? '') : ''));
  },

  receipt(sent, delivered, code, at) {
    return {
      user_receive_time: beijingTime(at), nationcode: '86', mobile: sent.phoneE164.replace(/^\+86/, ''), report_status: delivered ? 'SUCCESS' : 'FAIL',
      errmsg: code, description: delivered ? '用户短信送达成功' : '用户短信送达失败', sid: serialOf(sent),
    };
  },

  reply(phoneE164, text, signName, at) {
    return { extend: '', mobile: phoneE164.replace(/^\+86/, ''), nationcode: '86', sign: signName, text, time: Math.floor(at / 1000) };
  },

  callbackAccepted(status, body) {
    return status === 200 && (body as { result?: unknown } | null)?.result === 0;
  },
};
