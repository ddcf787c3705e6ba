// How provider codes become send results, and send results the outbox's outcomes: one table per
// provider, decided once, with the waits measured in Beijing time.
import { describe, expect, it } from 'vitest';
import { aliyunResult } from '../../../bot/channels/sms/aliyun-sms-codes.ts';
import { classifySmsResult, retryAfterFor, transportFailure, type SmsSendResult } from '../../../bot/channels/sms/sms-provider.ts';
import { tencentResult } from '../../../bot/channels/sms/tencent-sms-codes.ts';

const TEN_AM_BEIJING = new Date('2025-05-01T02:00:00Z');
const HOUR = 3_600_000;

describe('classifySmsResult', () => {
  it('maps each result to the outbox outcome', () => {
    const cases: [SmsSendResult, string][] = [
      [{ kind: 'sent', providerMessageId: 'b1' }, 'sent'],
      [{ kind: 'throttled', retryAfterMs: 60_000, code: 'isv.BUSINESS_LIMIT_CONTROL', message: 'x' }, 'retry'],
      [{ kind: 'retryable', error: 'ECONNREFUSED' }, 'retry'],
      [{ kind: 'ambiguous', error: 'timeout' }, 'ambiguous'],
      [{ kind: 'rejected', reason: 'invalid-number', code: 'c', message: 'm' }, 'blocked'],
      [{ kind: 'rejected', reason: 'blacklisted', code: 'c', message: 'm' }, 'blocked'],
      [{ kind: 'rejected', reason: 'credentials', code: 'c', message: 'm' }, 'rejected'],
      [{ kind: 'rejected', reason: 'not-approved', code: 'c', message: 'm' }, 'rejected'],
    ];
    expect(cases.map(([result]) => classifySmsResult(result).status)).toEqual(cases.map(([, status]) => status));
    expect(classifySmsResult({ kind: 'throttled', retryAfterMs: 30_000, code: 'C', message: 'M' })).toEqual({ status: 'retry', error: 'C: M', retryAfterMs: 30_000 });
  });
});

describe('retryAfterFor', () => {
  it('reopens daily limits at the next midnight in Beijing and marketing at 08:00 there', () => {
    expect(retryAfterFor('day', TEN_AM_BEIJING)).toBe(14 * HOUR);
    expect(retryAfterFor('day', new Date('2025-05-01T15:59:59Z'))).toBe(1_000); // 23:59:59 in Beijing
    expect(retryAfterFor('marketing-hours', new Date('2025-05-01T14:30:00Z'))).toBe(9.5 * HOUR); // 22:30
    expect(retryAfterFor('marketing-hours', new Date('2025-04-30T22:00:00Z'))).toBe(2 * HOUR); // 06:00
    expect(retryAfterFor('minute', TEN_AM_BEIJING)).toBe(60_000);
  });
});

describe('transportFailure', () => {
  it('retries only what provably never left', () => {
    expect(transportFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).kind).toBe('retryable');
    expect(transportFailure(new Error('request to http://x/ failed, reason: getaddrinfo ENOTFOUND x')).kind).toBe('retryable');
    expect(transportFailure(Object.assign(new Error('ReadTimeout(400)'), { name: 'RequestTimeoutError' })).kind).toBe('ambiguous');
    expect(transportFailure(new Error('socket hang up')).kind).toBe('ambiguous');
    expect(transportFailure('weird').kind).toBe('ambiguous');
  });
});

describe('Alibaba Cloud codes (help.aliyun.com/document_detail/101346, OpenAPI common errors)', () => {
  const read = (code: string, message = code, status = 200) => aliyunResult(code, message, status, TEN_AM_BEIJING);
  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', '触发分钟级流控Permits:1', { kind: 'throttled', retryAfterMs: 60_000 }],
    ['isv.BUSINESS_LIMIT_CONTROL', '触发小时级流控Permits:5', { kind: 'throttled', retryAfterMs: HOUR }],
    ['isv.BUSINESS_LIMIT_CONTROL', '触发天级流控Permits:10', { kind: 'throttled', retryAfterMs: 14 * HOUR }],
    ['isv.DAY_LIMIT_CONTROL', '触发日发送限额', { kind: 'throttled', retryAfterMs: 14 * HOUR }],
    ['isv.MOBILE_NUMBER_ILLEGAL', '非法手机号', { kind: 'rejected', reason: 'invalid-number' }],
    ['isv.SMS_TEMPLATE_ILLEGAL', '模板不合法', { kind: 'rejected', reason: 'not-approved' }],
    ['isv.SMS_SIGNATURE_ILLEGAL', '签名不合法', { kind: 'rejected', reason: 'not-approved' }],
    ['isv.TEMPLATE_PARAMS_ILLEGAL', 'x', { kind: 'rejected', reason: 'param-invalid' }],
    ['isv.PARAM_LENGTH_LIMIT', 'x', { kind: 'rejected', reason: 'param-invalid' }],
    ['isv.BLACK_KEY_CONTROL_LIMIT', '黑名单管控', { kind: 'rejected', reason: 'param-invalid' }],
    ['isv.AMOUNT_NOT_ENOUGH', '账户余额不足', { kind: 'rejected', reason: 'account' }],
    ['isv.MONTH_LIMIT_CONTROL', '触发月发送限额', { kind: 'rejected', reason: 'account' }],
    ['isp.SYSTEM_ERROR', '系统错误', { kind: 'retryable' }],
  ])('%s (%s)', (code, message, expected) => {
    expect(read(code, message)).toMatchObject(expected);
  });

  it('reads the gateway\'s codes and statuses', () => {
    expect(read('Throttling.User', 'Request was denied due to user flow control.', 400)).toMatchObject({ kind: 'throttled', retryAfterMs: 1_000 });
    expect(read('SignatureDoesNotMatch', 'Specified signature does not match our calculation.', 400)).toMatchObject({ kind: 'rejected', reason: 'credentials', message: expect.stringContaining('SMS_ACCESS_KEY_SECRET') });
    expect(read('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404)).toMatchObject({ message: expect.stringContaining('SMS_ACCESS_KEY_ID') });
    expect(read('ServiceUnavailable', 'x', 503).kind).toBe('retryable');
    expect(read('SomethingNew', 'x', 502).kind).toBe('retryable');
    expect(read('isv.SOMETHING_NEW', 'x', 200)).toMatchObject({ kind: 'rejected', reason: 'other' });
  });
});

describe('Tencent Cloud codes (cloud.tencent.com/document/api/382/59177 and 382/52075)', () => {
  const read = (code: string) => tencentResult(code, code, TEN_AM_BEIJING);
  it.each([
    ['LimitExceeded.PhoneNumberThirtySecondLimit', { kind: 'throttled', retryAfterMs: 30_000 }],
    ['LimitExceeded.PhoneNumberOneHourLimit', { kind: 'throttled', retryAfterMs: HOUR }],
    ['LimitExceeded.PhoneNumberDailyLimit', { kind: 'throttled', retryAfterMs: 14 * HOUR }],
    ['RequestLimitExceeded.IPLimitExceeded', { kind: 'throttled', retryAfterMs: 1_000 }],
    ['InvalidParameterValue.IncorrectPhoneNumber', { kind: 'rejected', reason: 'invalid-number' }],
    ['FailedOperation.PhoneNumberInBlacklist', { kind: 'rejected', reason: 'blacklisted' }],
    ['FailedOperation.TemplateIncorrectOrUnapproved', { kind: 'rejected', reason: 'not-approved' }],
    ['FailedOperation.SignatureIncorrectOrUnapproved', { kind: 'rejected', reason: 'not-approved' }],
    ['FailedOperation.InsufficientBalanceInSmsPackage', { kind: 'rejected', reason: 'account' }],
    ['InvalidParameterValue.ProhibitedUseUrlInTemplateParameter', { kind: 'rejected', reason: 'param-invalid' }],
    ['AuthFailure.SignatureFailure', { kind: 'rejected', reason: 'credentials', message: expect.stringContaining('SMS_ACCESS_KEY_SECRET') }],
    ['AuthFailure.SecretIdNotFound', { kind: 'rejected', reason: 'credentials', message: expect.stringContaining('SMS_ACCESS_KEY_ID') }],
    ['InternalError.Timeout', { kind: 'ambiguous' }],
    ['InternalError.OtherError', { kind: 'retryable' }],
    ['FailedOperation.SomethingNew', { kind: 'rejected', reason: 'other' }],
  ])('%s', (code, expected) => {
    expect(read(code)).toMatchObject(expected);
  });
});
