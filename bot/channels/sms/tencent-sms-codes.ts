import { SMS_SETTING } from './sms-settings.ts';
import type { SmsSendResult } from './sms-provider.ts';
import { lookupVerdict, rejectedFor as rejected, resultOfVerdict, throttledFor as throttled, type SmsCodeVerdict as Verdict } from './sms-code-verdict.ts';

const SECRET = `check ${SMS_SETTING.accessKeySecret}`;
const KEY_ID = `check ${SMS_SETTING.accessKeyId}`;
const APP_ID = `check ${SMS_SETTING.sdkAppId}`;

/**
 * Tencent Cloud SMS codes (API 2021-01-11 `SendSms`), from its "错误码" page
 * (cloud.tencent.com/document/api/382/59177, with the numeric meanings of 382/3771) and the
 * API 3.0 common errors (382/52075: AuthFailure.*, RequestLimitExceeded*). They arrive either as
 * the request's `Response.Error.Code` or per number as `SendStatusSet[].Code`; both read the same.
 */
const CODES: Readonly<Record<string, Verdict>> = {
  'LimitExceeded.PhoneNumberThirtySecondLimit': throttled('thirty-seconds'), // 1023
  'LimitExceeded.PhoneNumberOneHourLimit': throttled('hour'), // 1024
  'LimitExceeded.PhoneNumberDailyLimit': throttled('day'), // 1025
  'LimitExceeded.PhoneNumberSameContentDailyLimit': throttled('day'), // 1026
  'LimitExceeded.DeliveryFrequencyLimit': throttled('minute'), // 1013, the console's frequency policy
  'LimitExceeded.AppDailyLimit': throttled('day'), // 1022, the app's own daily cap
  'LimitExceeded.DailyLimit': throttled('day'), // 1047
  'FailedOperation.MarketingSendTimeConstraint': throttled('marketing-hours'), // 1029: marketing only 08:00–22:00
  RequestLimitExceeded: throttled('second'),
  'InvalidParameterValue.IncorrectPhoneNumber': rejected('invalid-number'), // 1016
  'FailedOperation.PhoneNumberInBlacklist': rejected('blacklisted'), // 1015: unsubscribed or carrier DND list
  'FailedOperation.PhoneNumberOnBlacklist': rejected('blacklisted'),
  'FailedOperation.SignatureIncorrectOrUnapproved': rejected('not-approved', `use an approved signature (${SMS_SETTING.signName})`), // 1012
  'FailedOperation.TemplateIncorrectOrUnapproved': rejected('not-approved', 'use an approved template with as many parameters as it has variables'), // 1014
  'InvalidParameterValue.MissingSignatureList': rejected('not-approved', `use an approved signature (${SMS_SETTING.signName})`),
  'UnsupportedOperation.UnsupportedRegion': rejected('not-approved'), // 1045
  'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber': rejected('other'), // 1034
  'InvalidParameterValue.TemplateParameterLengthLimit': rejected('param-invalid'), // 1036
  'InvalidParameterValue.TemplateParameterFormatError': rejected('param-invalid'), // 1038
  'InvalidParameterValue.ProhibitedUseUrlInTemplateParameter': rejected('param-invalid', 'put fixed links in the template'), // 1048
  'InvalidParameterValue.ContentLengthLimit': rejected('param-invalid'), // 1017
  'FailedOperation.ContainSensitiveWord': rejected('param-invalid', 'the content holds forbidden words'), // 1002
  'FailedOperation.FailResolvePacket': rejected('param-invalid'), // 1004
  'FailedOperation.JsonParseFail': rejected('param-invalid'),
  'FailedOperation.InsufficientBalanceInSmsPackage': rejected('account', 'buy an SMS package'), // 1031
  'UnauthorizedOperation.SerivceSuspendDueToArrears': rejected('account', 'settle the arrears'), // 1033 (sic, Tencent's spelling)
  'UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny': rejected('account', 'individual accounts cannot send marketing SMS'), // 1032
  'UnauthorizedOperation.RequestPermissionDeny': rejected('account'), // 1006
  'UnauthorizedOperation.RequestIpNotInWhitelist': rejected('account', 'allow this server\'s IP address in the console'), // 1009
  'UnauthorizedOperation.SdkAppIdIsDisabled': rejected('account', APP_ID), // 1020
  'UnauthorizedOperation.SmsSdkAppIdVerifyFail': rejected('credentials', APP_ID),
  'InvalidParameterValue.SdkAppIdNotExist': rejected('credentials', APP_ID), // 1019
  'AuthFailure.SignatureFailure': rejected('credentials', SECRET),
  'AuthFailure.SecretIdNotFound': rejected('credentials', KEY_ID),
  'AuthFailure.InvalidSecretId': rejected('credentials', KEY_ID),
  'AuthFailure.InvalidAuthorization': rejected('credentials', `${KEY_ID} and ${SMS_SETTING.accessKeySecret}`),
  'AuthFailure.SignatureExpire': rejected('credentials', 'the system clock is off by more than 5 minutes'),
  'AuthFailure.UnauthorizedOperation': rejected('account', 'grant the CAM user SMS permissions'),
  'AuthFailure.TokenFailure': rejected('credentials'),
  // 1008/60008: Tencent timed out handing the message on; it may have gone out.
  'InternalError.Timeout': { kind: 'ambiguous' },
  'InternalError.SendAndRecvFail': { kind: 'ambiguous' },
  InternalError: { kind: 'retryable' },
  'InternalError.OtherError': { kind: 'retryable' },
  'InternalError.UnknownError': { kind: 'retryable' },
};

function verdictOf(code: string): Verdict {
  const known = lookupVerdict(CODES, code);
  if (known) return known;
  if (code.startsWith('RequestLimitExceeded')) return throttled('second');
  if (code.startsWith('AuthFailure')) return rejected('credentials', `${KEY_ID} and ${SMS_SETTING.accessKeySecret}`);
  if (code.startsWith('InvalidParameter') || code.startsWith('MissingParameter')) return rejected('param-invalid');
  return rejected('other');
}

/** The result of a Tencent code other than `Ok` (request-level or per number), decided once here. */
export function tencentResult(code: string, message: string, now: Date): SmsSendResult {
  return resultOfVerdict(verdictOf(code), code, message, now);
}
