import { describe, expect, it } from 'vitest';
import {
  completeRegistration, promptFor, startRegistration, stepRegistration,
  type FlowResult, type RegistrationContext, type RegistrationState,
} from '../../../core/registration/registration-flow.ts';

const ctx: RegistrationContext = { storeName: '示例汽车4S店', hotline: '400-000-0000', retentionMonths: 12, carModels: ['轿车A', 'SUV B'], giftName: '香薰' };

function run(answers: string[], start: FlowResult = startRegistration('showroom', 'zh-CN', ctx)): FlowResult {
  return answers.reduce<FlowResult>((last, answer) => stepRegistration(last.state, answer, ctx), start);
}

describe('registration flow', () => {
  it('opens with the privacy notice: who, what, why, how long, how to withdraw', () => {
    const { state, replies } = startRegistration('showroom', 'zh-CN', ctx);
    expect(state.step).toBe('notice');
    const notice = replies.map((r) => r.text).join('\n');
    expect(notice).toContain('示例汽车4S店');
    expect(notice).toContain('手机号');
    expect(notice).toContain('12 个月');
    expect(notice).toContain('TD');
    expect(notice).toContain('不影响领取礼品');
  });

  it('walks through every step and asks to register with normalized choices', () => {
    const result = run(['1', '张伟', '138 1234 5678', '2', '4', '1 2', '2']);
    expect(result.state.step).toBe('finished');
    expect(result.effects).toEqual([{
      type: 'register',
      request: { source: 'showroom', name: '张伟', phone: '138 1234 5678', modelOfInterest: 'SUV B', heardFrom: 'referral', companions: ['spouse', 'parents'], serviceConsent: true, marketingConsent: false },
    }]);
  });

  it('takes "not sure", "alone" and marketing yes', () => {
    const request = run(['同意', '李女士', '13912345678', '3', '1', '0', '1']).effects[0]?.request;
    expect(request).toMatchObject({ modelOfInterest: 'not_sure', companions: [], marketingConsent: true });
  });

  it('accepts a model typed by name', () => {
    expect(run(['1', '王', '13912345678', 'suv b']).state.answers.modelOfInterest).toBe('SUV B');
  });

  it.each([
    ['notice', [], 'maybe', /回复 1 同意/],
    ['name', ['1'], '12345', /姓名或称呼/],
    ['name', ['1'], 'x'.repeat(31), /1 到 30 个字/],
    ['phone', ['1', '张伟'], '12345', /11 位手机号/],
    ['model', ['1', '张伟', '13812345678'], '9', /1 到 3 之间/],
    ['heardFrom', ['1', '张伟', '13812345678', '1'], '6', /1 到 5 之间/],
    ['companions', ['1', '张伟', '13812345678', '1', '1'], '1 9', /0 到 4 之间/],
    ['marketing', ['1', '张伟', '13812345678', '1', '1', '0'], '也许', /1 愿意接收/],
  ])('re-asks the %s step with a hint after a wrong answer', (step, before, wrong, hint) => {
    const at = run(before as string[]);
    expect(at.state.step).toBe(step);
    const result = stepRegistration(at.state, wrong, ctx);
    expect(result.state).toEqual(at.state);
    expect(result.replies[0]?.text).toMatch(hint);
    expect(result.effects).toEqual([]);
  });

  it('keeps the buttons when re-asking a choice', () => {
    const at = run(['1', '张伟', '13812345678']);
    const reply = stepRegistration(at.state, 'x', ctx).replies[0];
    expect(reply?.kind === 'text' && reply.choices?.map((c) => c.value)).toEqual(['1', '2', '3']);
  });

  it('ends politely without collecting anything when the notice is declined', () => {
    const result = run(['2']);
    expect(result.state.step).toBe('declined');
    expect(result.state.answers).toEqual({});
    expect(result.replies[0]?.text).toContain('不会收集');
  });

  it('shows the voucher and forgets the answers once registered', () => {
    const finished = run(['1', '张伟', '13812345678', '1', '1', '0', '2']);
    const done = completeRegistration(finished.state, { status: 'created', reference: 'r1', customerId: 'c1', voucher: 'issued', voucherCode: 'ABCD2345', giftName: '香薰', campaignName: 'x' });
    expect(done.replies[0]).toMatchObject({ kind: 'voucher', voucherCode: 'ABCD2345' });
    expect(done.replies[0]?.text).toContain('ABCD-2345');
    expect(done.state.answers).toEqual({});
  });

  it('says kindly when the gift ran out', () => {
    const finished = run(['1', '张伟', '13812345678', '1', '1', '0', '2']);
    const done = completeRegistration(finished.state, { status: 'created', reference: 'r1', customerId: 'c1', voucher: 'out_of_stock', voucherCode: null, giftName: '香薰', campaignName: 'x' });
    expect(done.replies[0]?.text).toMatch(/登记成功.*很抱歉.*已经全部送完/);
  });

  it('answers a known number without proof exactly like a new one whose gift is held: the desk confirms, nothing is revealed', () => {
    const finished = run(['1', '张伟', '13812345678', '1', '1', '0', '2']);
    const pending = completeRegistration(finished.state, { status: 'pending', reference: 'p1', customerId: null, voucher: 'confirm_at_desk', voucherCode: null, giftName: '香薰', campaignName: 'x' });
    const held = completeRegistration(finished.state, { status: 'created', reference: 'r1', customerId: 'c1', voucher: 'confirm_at_desk', voucherCode: null, giftName: '香薰', campaignName: 'x' });
    expect(pending.replies).toEqual(held.replies);
    expect(pending.replies[0]?.text).toMatch(/前台/);
    expect(pending.replies[0]?.text).not.toMatch(/已经登记过|券码/);
  });

  it('speaks English when asked', () => {
    const { replies } = startRegistration('showroom', 'en', ctx);
    expect(replies[1]?.text).toMatch(/Privacy notice/);
    const state: RegistrationState = { flow: 'registration', step: 'phone', locale: 'en', sourceCode: 'showroom', answers: { name: 'Wei' } };
    expect(stepRegistration(state, 'abc', ctx).replies[0]?.text).toMatch(/mobile number/);
    expect(promptFor({ ...state, step: 'model' }, ctx)[0]?.text).toMatch(/Which model/);
  });
});
