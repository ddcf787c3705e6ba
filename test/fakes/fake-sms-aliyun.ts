// The Alibaba Cloud mode of the fake SMS provider: dysmsapi 2017-05-25 `SendSms` as the official
// Node SDK (4.x on @alicloud/openapi-core) sends it — POST / with the parameters in the query and
// the V3 signature (ACS3-HMAC-SHA256) in `Authorization`, verified here from the request alone.
// Gateway errors (signature, key, time stamp, nonce) answer 4xx with `{ RequestId, Code, Message }`;
// SendSms's own codes answer 200 with `{ Code, Message, RequestId }` and `BizId` when OK.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { beijingTime, type FakeSmsServer, type IncomingSms, type RawAnswer, type RawRequest, type SentSms, type SmsDialect } from './fake-sms-server.ts';

const ACTION = 'SendSms';
const VERSION = '2017-05-25';
const SKEW_MS = 15 * 60_000;
const VARIABLE_MAX = 35;
const URL_LIKE = /(https?:\/\/|www\.|\.(com|cn|net|org)\b)/i;
/** HTTP statuses of the gateway's own codes (OpenAPI common errors). */
const GATEWAY_STATUS: Record<string, number> = { 'InvalidAccessKeyId.NotFound': 404, 'InvalidApi.NotFound': 404, ServiceUnavailable: 503, InternalError: 500 };

/** BizIds look like `900619746936498…^0`; one per accepted message here. */
const bizIdOf = (sent: SentSms) => `900619746936498${sent.id}^0`;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
/** RFC 3986 percent-encoding, as the V3 canonical query string wants it. */
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const header = (request: RawRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

function gatewayError(code: string, message: string, status = GATEWAY_STATUS[code] ?? 400): RawAnswer {
  return { status, json: { RequestId: randomUUID(), HostId: 'dysmsapi.aliyuncs.com', Code: code, Message: message, Recommend: `https://api.aliyun.com/troubleshoot?q=${code}` } };
}

/** Verifies an ACS3-HMAC-SHA256 signature; null when it holds, else the gateway's answer. */
function verify(request: RawRequest, server: FakeSmsServer): RawAnswer | null {
  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/.exec(header(request, 'authorization') ?? '');
  if (!auth) return gatewayError('IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
  const [, keyId = '', signedList = '', signature = ''] = auth;
  const signed = signedList.split(';');
  const required = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];
  if (required.some((name) => !signed.includes(name) || header(request, name) === undefined)) return gatewayError('IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
  if (header(request, 'x-acs-action') !== ACTION) return gatewayError('InvalidApi.NotFound', 'Specified api is not found, please check your url and method.');
  if (header(request, 'x-acs-version') !== VERSION) return gatewayError('InvalidVersion', 'Specified parameter Version is not valid.');
  if (keyId !== server.config.accessKeyId) return gatewayError('InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  const date = Date.parse(header(request, 'x-acs-date') ?? '');
  if (!Number.isFinite(date) || Math.abs(date - server.wallClock()) > SKEW_MS) return gatewayError('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  const nonce = header(request, 'x-acs-signature-nonce') ?? '';
  if (server.usedNonces.has(nonce)) return gatewayError('SignatureNonceUsed', 'Specified signature nonce was used already.');
  const payloadHash = sha256(request.body);
  if (header(request, 'x-acs-content-sha256') !== payloadHash) return gatewayError('SignatureDoesNotMatch', 'The content hash does not match the request body.');
  const query = [...request.url.searchParams.entries()].map(([k, v]) => [encode(k), encode(v)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = [
    request.method,
    request.url.pathname,
    query.map(([k, v]) => `${k}=${v}`).join('&'),
    signed.map((name) => `${name}:${(header(request, name) ?? '').trim()}\n`).join(''),
    signedList,
    payloadHash,
  ].join('\n');
  const hashed = sha256(canonical);
  const expected = createHmac('sha256', server.config.accessKeySecret).update(`ACS3-HMAC-SHA256\n${hashed}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return gatewayError('SignatureDoesNotMatch', `Specified signature does not match our calculation. server StringToSign is [ACS3-HMAC-SHA256 ${hashed}]`);
  server.usedNonces.add(nonce);
  return null;
}

/** Mainland numbers as SendSms takes them (11 digits, or with 86 / +86 / 0086), others with their country code. */
function toE164(raw: string): string | null {
  const mainland = /^(?:\+|00)?(?:86)?(1\d{10})$/.exec(raw);
  if (mainland) return `+86${mainland[1]}`;
  return /^(?:\+|00)?([1-9]\d{7,14})$/.test(raw) && !raw.replace(/^(\+|00)/, '').startsWith('86') ? `+${raw.replace(/^(\+|00)/, '')}` : null;
}

function variablesOf(text: string): string[] {
  return [...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

function checkParams(message: IncomingSms, server: FakeSmsServer): [string, string] | null {
  const template = server.config.templates[message.templateCode];
  const params = message.params;
  if (!template) return ['isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板'];
  if (Array.isArray(params) || Object.values(params).some((v) => typeof v !== 'string')) return ['isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值'];
  for (const name of variablesOf(template.text)) {
    const value = params[name];
    if (value === undefined || value === '') return ['isv.TEMPLATE_MISSING_PARAMETERS', `模板缺少变量 ${name}`];
    if ([...value].length > VARIABLE_MAX) return ['isv.PARAM_LENGTH_LIMIT', `参数超出长度限制 ${name}`];
    if (URL_LIKE.test(value)) return ['isv.PARAM_NOT_SUPPORT_URL', '不支持URL'];
    if (template.type === 'verification' && !/^[A-Za-z0-9]{4,6}$/.test(value)) return ['isv.TEMPLATE_PARAMS_ILLEGAL', `模板变量内容与变量属性不符 ${name}`];
  }
  return null;
}

export const aliyunDialect: SmsDialect = {
  read(request, server) {
    const refused = verify(request, server);
    if (refused) return { answer: refused };
    const p = new URLSearchParams([...request.url.searchParams, ...new URLSearchParams(request.body.toString('utf8'))]);
    let params: IncomingSms['params'] = [];
    try {
      const parsed: unknown = JSON.parse(p.get('TemplateParam') ?? '{}');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) params = parsed as Record<string, string>;
    } catch {
      // left as [] and refused with isv.INVALID_JSON_PARAM
    }
    const rawPhone = p.get('PhoneNumbers') ?? '';
    return { messages: [{ rawPhone, phoneE164: toE164(rawPhone), signName: p.get('SignName') ?? '', templateCode: p.get('TemplateCode') ?? '', params, outId: p.get('OutId') }] };
  },

  refuse(message, server) {
    if (!server.config.signatures.includes(message.signName)) return ['isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名'];
    if (!message.phoneE164) return ['isv.MOBILE_NUMBER_ILLEGAL', '非法手机号'];
    return checkParams(message, server);
  },

  answer([result]) {
    if (result?.sent) return { status: 200, json: { Message: 'OK', RequestId: randomUUID(), Code: 'OK', BizId: bizIdOf(result.sent) } };
    return { status: 200, json: { Message: result?.text ?? '', RequestId: randomUUID(), Code: result?.code ?? 'isp.SYSTEM_ERROR' } };
  },

  scripted(answer) {
    if ('status' in answer) return gatewayError(answer.status === 503 ? 'ServiceUnavailable' : 'InternalError', 'The request has failed due to a temporary failure of the server.', answer.status);
    if (/^is[pv]\./.test(answer.code)) return { status: 200, json: { Message: answer.message ?? answer.code, RequestId: randomUUID(), Code: answer.code } };
    return gatewayError(answer.code, answer.message ?? answer.code);
  },

  render(template, params) {
    return template.text.replace(/\$\{(\w+)\}/g, (_, name: string) => (Array.isArray(params) ? '' : (params[name] ?? '')));
  },

  receipt(sent: SentSms, delivered, code, at) {
    const size = [...sent.text].length;
    return {
      phone_number: sent.phoneE164.replace(/^\+86/, ''), send_time: beijingTime(sent.at), report_time: beijingTime(at), success: delivered,
      err_code: code, err_msg: delivered ? '用户接收成功' : '用户接收失败', sms_size: String(size <= 70 ? 1 : Math.ceil(size / 67)),
      biz_id: bizIdOf(sent), out_id: sent.outId ?? '',
    };
  },

  reply(phoneE164, text, signName, at, sequence) {
    return { phone_number: phoneE164.replace(/^\+86/, ''), send_time: beijingTime(at), content: text, sign_name: signName, dest_code: '1234', sequence_id: 1_000_000_000 + sequence };
  },

  callbackAccepted(status, body) {
    return status === 200 && typeof (body as { code?: unknown } | null)?.code === 'number';
  },
};
