import { describe, expect, it } from 'vitest';
import {
  completeCodeCheck, completeCodeRequest, completeRegistration, promptFor, shareContact, startRegistration, stepRegistration,
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
    const effect = run(['同意', '李女士', '13912345678', '3', '1', '0', '1']).effects[0];
    const request = effect?.type === 'register' ? effect.request : null;
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

  describe('where SMS codes are offered', () => {
    const withCodes: RegistrationContext = { ...ctx, askPhoneCode: true };
    const atPhone = run(['1', '张伟']).state;

    it('asks for a code to a typed number before the next question, the same for every number', () => {
      const asked = stepRegistration(atPhone, '138 1234 5678', withCodes);
      expect(asked).toEqual({ state: { ...atPhone, step: 'phoneCode', answers: { name: '张伟', phone: '138 1234 5678' } }, replies: [], effects: [{ type: 'send_code', phone: '+8613812345678' }] });
      const sent = completeCodeRequest(asked.state, { queued: true });
      expect(sent.replies[0]?.text).toContain('验证码已发送到 138****5678');
      expect(sent.replies[0]).toMatchObject({ choices: [{ label: '重发验证码', value: '重发' }] });
      const other = completeCodeRequest(stepRegistration(atPhone, '13900000000', withCodes).state, { queued: true });
      expect(other.replies[0]?.text.replace('139****0000', '138****5678')).toBe(sent.replies[0]?.text);
      expect(completeCodeRequest(asked.state, { queued: false, retryAfterMs: 42_000 }).replies[0]?.text).toMatch(/太频繁，请 1 分钟后回复"重发"/);
      expect(completeCodeRequest(asked.state, { queued: false, retryAfterMs: 3 * 3600_000 }).replies[0]?.text).toMatch(/请 3 小时后/);
    });

    it('reads a code, a resend request, another number, or re-asks', () => {
      const waiting = stepRegistration(atPhone, '13812345678', withCodes).state;
      expect(stepRegistration(waiting, '１２３ ４５６', withCodes).effects).toEqual([{ type: 'check_code', phone: '+8613812345678', code: '123456' }]);
      expect(stepRegistration(waiting, '重发', withCodes).effects).toEqual([{ type: 'send_code', phone: '+8613812345678' }]);
      expect(stepRegistration(waiting, 'Resend.', withCodes).effects).toEqual([{ type: 'send_code', phone: '+8613812345678' }]);
      const moved = stepRegistration(waiting, '13900000000', withCodes);
      expect([moved.state.answers.phone, moved.effects]).toEqual(['13900000000', [{ type: 'send_code', phone: '+8613900000000' }]]);
      for (const wrong of ['12345', '1234567', 'abc', '城市SUV']) {
        const reask = stepRegistration(waiting, wrong, withCodes);
        expect([reask.state, reask.effects]).toEqual([waiting, []]);
        expect(reask.replies[0]?.text).toMatch(/6 位数字验证码/);
      }
    });

    it('goes on only once the code is proven, with the proof kept for the registration', () => {
      const waiting = stepRegistration(atPhone, '13812345678', withCodes).state;
      expect(completeCodeCheck(waiting, 'wrong', withCodes)).toMatchObject({ state: waiting, replies: [{ text: expect.stringMatching(/验证码不对/) }] });
      expect(completeCodeCheck(waiting, 'spent', withCodes)).toMatchObject({ state: waiting, replies: [{ text: expect.stringMatching(/已失效.*重发/) }] });
      const proven = completeCodeCheck(waiting, 'proven', withCodes);
      expect(proven.state).toMatchObject({ step: 'model', answers: { phone: '13812345678', phoneProof: 'sms_code' } });
      expect(proven.replies.map((r) => r.text)).toEqual(['手机号验证成功。', expect.stringMatching(/哪款车型/)]);
      expect(promptFor(waiting, withCodes)[0]?.text).toMatch(/138\*\*\*\*5678 的 6 位短信验证码/);
    });

    it('takes Telegram\'s own contact as proof without a code, and someone else\'s like a typed number', () => {
      expect(shareContact(atPhone, { phone: '+8613812345678', own: true }, withCodes)).toMatchObject({ state: { step: 'model', answers: { phoneProof: 'telegram_contact' } }, effects: [] });
      const waiting = stepRegistration(atPhone, '13900000000', withCodes).state;
      expect(shareContact(waiting, { phone: '+8613812345678', own: true }, withCodes).state).toMatchObject({ step: 'model', answers: { phone: '+8613812345678', phoneProof: 'telegram_contact' } });
      expect(shareContact(atPhone, { phone: '+8613812345678', own: false }, withCodes)).toMatchObject({ state: { step: 'phoneCode' }, effects: [{ type: 'send_code', phone: '+8613812345678' }] });
    });

    it('speaks English too', () => {
      const waiting = stepRegistration({ ...atPhone, locale: 'en' }, '13812345678', withCodes).state;
      expect(completeCodeRequest(waiting, { queued: true }).replies[0]?.text).toMatch(/^We sent a code to 138\*\*\*\*5678/);
      expect(stepRegistration(waiting, 'resend', withCodes).effects).toEqual([{ type: 'send_code', phone: '+8613812345678' }]);
      expect(completeCodeCheck(waiting, 'wrong', withCodes).replies[0]?.text).toMatch(/not right/);
    });
  });
});
