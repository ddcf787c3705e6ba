import { SMS_SETTING } from './sms-settings.ts';
import type { SmsLimitWindow, SmsSendResult } from './sms-provider.ts';
import { lookupVerdict, rejectedFor as rejected, resultOfVerdict, throttledFor as throttled, type SmsCodeVerdict as Verdict } from './sms-code-verdict.ts';

const SECRET = `check ${SMS_SETTING.accessKeySecret}`;
const KEY_ID = `check ${SMS_SETTING.accessKeyId}`;

/**
 * Alibaba Cloud SMS codes (dysmsapi 2017-05-25 `SendSms`), from its "API错误码" page
 * (help.aliyun.com/document_detail/101346) and, for the gateway's own errors, the OpenAPI common
 * client errors (SignatureDoesNotMatch, InvalidAccessKeyId.*, InvalidTimeStamp.Expired,
 * SignatureNonceUsed, Throttling.*). Business codes arrive with HTTP 200 in the body's `Code`;
 * gateway codes with HTTP 4xx/5xx.
 */
const CODES: Readonly<Record<string, Verdict>> = {
  // Per-number frequency limits (默认流控: verification codes 1/min, 5/h, 10/day per number and signature).
  'isv.BUSINESS_LIMIT_CONTROL': { kind: 'throttled', window: 'minute' }, // refined by the message below
  // The account's own daily quota set in the console; it reopens tomorrow.
  'isv.DAY_LIMIT_CONTROL': { kind: 'throttled', window: 'day' },
  // The monthly quota would hold a message for weeks: an operator must raise it.
  'isv.MONTH_LIMIT_CONTROL': rejected('account', 'raise the monthly quota in the SMS console'),
  'isv.MOBILE_NUMBER_ILLEGAL': rejected('invalid-number'),
  'isv.MOBILE_COUNT_OVER_LIMIT': rejected('other'),
  'isv.DOMESTIC_NUMBER_NOT_SUPPORTED': rejected('not-approved', 'an international template cannot go to mainland numbers'),
  'isv.SMS_TEMPLATE_ILLEGAL': rejected('not-approved', 'use an approved template whose variables match'),
  'isv.SMS_SIGNATURE_ILLEGAL': rejected('not-approved', `use an approved signature (${SMS_SETTING.signName})`),
  'isv.SMS_SIGNATURE_SCENE_ILLEGAL': rejected('not-approved', 'a verification-only signature cannot send this template'),
  'isv.SIGN_STATE_ILLEGAL': rejected('not-approved', `the signature is unusable (${SMS_SETTING.signName})`),
  'isv.SMS_SIGN_ILLEGAL': rejected('not-approved', `the signature is forbidden (${SMS_SETTING.signName})`),
  'isv.EXTEND_CODE_ERROR': rejected('other'),
  'isv.TEMPLATE_MISSING_PARAMETERS': rejected('param-invalid'),
  'isv.TEMPLATE_PARAMS_ILLEGAL': rejected('param-invalid'),
  'isv.PARAM_LENGTH_LIMIT': rejected('param-invalid'),
  'isv.PARAM_NOT_SUPPORT_URL': rejected('param-invalid', 'put fixed links in the template'),
  'isv.INVALID_JSON_PARAM': rejected('param-invalid'),
  'isv.INVALID_PARAMETERS': rejected('param-invalid'),
  'isv.BLACK_KEY_CONTROL_LIMIT': rejected('param-invalid', 'a variable holds a blocked keyword'),
  'isv.SMS_CONTENT_ILLEGAL': rejected('param-invalid', 'the content holds forbidden words'),
  'isv.AMOUNT_NOT_ENOUGH': rejected('account', 'top up the account'),
  'isv.OUT_OF_SERVICE': rejected('account', 'top up the account'),
  'isv.PRODUCT_UN_SUBSCRIPT': rejected('account', 'activate SMS for this account'),
  'isv.PRODUCT_UNSUBSCRIBE': rejected('account', 'activate SMS for this account'),
  'isv.ACCOUNT_NOT_EXISTS': rejected('credentials', KEY_ID),
  'isv.ACCOUNT_ABNORMAL': rejected('account'),
  'isv.DENY_IP_RANGE': rejected('account', 'send from a mainland China IP address'),
  'isp.RAM_PERMISSION_DENY': rejected('account', 'grant the RAM user AliyunDysmsFullAccess'),
  // "系统错误 … please retry": the platform failed before taking the message.
  'isp.SYSTEM_ERROR': { kind: 'retryable' },
  'isp.GATEWAY_ERROR': { kind: 'retryable' },
  SignatureDoesNotMatch: rejected('credentials', SECRET),
  IncompleteSignature: rejected('credentials', SECRET),
  'InvalidAccessKeyId.NotFound': rejected('credentials', KEY_ID),
  'InvalidAccessKeyId.Inactive': rejected('credentials', `${KEY_ID} (the key is disabled)`),
  'InvalidTimeStamp.Expired': rejected('credentials', 'the system clock is off by more than 15 minutes'),
  SignatureNonceUsed: rejected('other'),
  Forbidden: rejected('account'),
  'Forbidden.RAM': rejected('account', 'grant the RAM user AliyunDysmsFullAccess'),
  ServiceUnavailable: { kind: 'retryable' },
  InternalError: { kind: 'retryable' },
};

/** Which window an `isv.BUSINESS_LIMIT_CONTROL` refusal names: "触发分钟级流控", "小时级", "天级". */
function businessLimitWindow(message: string): SmsLimitWindow {
  if (message.includes('天') || message.includes('日')) return 'day';
  if (message.includes('小时')) return 'hour';
  return 'minute';
}

function verdictOf(code: string, message: string, httpStatus: number): Verdict {
  if (code === 'isv.BUSINESS_LIMIT_CONTROL') return throttled(businessLimitWindow(message));
  const known = lookupVerdict(CODES, code);
  if (known) return known;
  // Request-rate throttling of the API gateway (Throttling, Throttling.User, Throttling.Api…).
  if (code.startsWith('Throttling')) return throttled('second');
  if (httpStatus >= 500) return { kind: 'retryable' };
  return rejected('other');
}

/** The result of an Alibaba answer that is not `OK`, decided once here. */
export function aliyunResult(code: string, message: string, httpStatus: number, now: Date): SmsSendResult {
  return resultOfVerdict(verdictOf(code, message, httpStatus), code, message, now);
}
