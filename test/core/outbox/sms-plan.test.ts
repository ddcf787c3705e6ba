// Reach planning with SMS (plan-intent.ts, sms-plan.ts): examples of the order (chat first, then
// SMS, then the consultant) and a fast-check property over random batches: SMS never exceeds a
// limit within a batch, only carries customer care with consent, a template, an opt-out hint for
// marketing and a number that may be texted, and never replaces a chat that can take the message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChannelName } from '../../../core/messages.ts';
import { chatKey, planBatch, planIntent, type ClaimedIntent, type PlanContext } from '../../../core/outbox/plan-intent.ts';
import { noSmsFacts, smsTemplateKey, type SmsFacts } from '../../../core/outbox/sms-facts.ts';

const now = new Date('2026-11-22T04:00:00Z'); // 12:00 in Shanghai
const allDay = { start: '00:00', end: '23:59' };
const store = { timeZone: 'Asia/Shanghai', customerHours: { start: '08:00', end: '21:00' }, staffHours: allDay };
const refuseAbroad = (address: string) => (address.startsWith('+86') ? null : 'an international number');

function intent(extra: Partial<ClaimedIntent> = {}): ClaimedIntent {
  return { id: 'i1', state: 'PENDING', storeId: 's1', kind: 'visit_thanks', purpose: 'SERVICE', customerId: 'c1', staffId: null, channel: null, address: null, expiresAt: new Date(now.getTime() + 86_400_000), store, ...extra };
}

function context(extra: Partial<PlanContext> = {}, sms: Partial<SmsFacts> = {}): PlanContext {
  return {
    now, consents: new Map([['c1:SERVICE', true], ['c1:MARKETING', true]]), reachable: new Map(), staffReachable: new Map(), careStopped: new Set(), deferred: new Map(),
    senders: new Map<ChannelName, { resendIsSafe: boolean; canPush: boolean; addressRefusal?: (a: string) => string | null }>([
      ['WEB', { resendIsSafe: true, canPush: true }], ['WECOM', { resendIsSafe: true, canPush: false }], ['SMS', { resendIsSafe: false, canPush: true, addressRefusal: refuseAbroad }],
    ]),
    chatReach: new Map(), unattended: new Set(),
    sms: {
      ...noSmsFacts(), numbers: new Map([['c1', { phone: '+8613812345678', blocked: false }]]), templates: new Map([[smsTemplateKey('s1', 'visit_thanks'), { optOutHint: false }]]),
      storeRoom: new Map([['s1', { month: 10, today: 10, nextDay: new Date('2026-11-22T16:00:00Z'), nextMonth: new Date('2026-11-30T16:00:00Z') }]]), customerRoom: new Map([['c1', 2]]), ...sms,
    },
    ...extra,
  };
}

const SMS = { action: 'send', channel: 'SMS', address: '+8613812345678' };

describe('reach planning with SMS', () => {
  it('texts a customer no chat reaches, and hands over with the reason when SMS cannot carry it', () => {
    expect(planIntent(intent(), context())).toEqual(SMS);
    expect(planIntent(intent({ kind: 'delivery_thanks' }), context())).toEqual({ action: 'hand-over', reason: 'no chat of ours reaches this customer; not by SMS: no approved SMS template for delivery_thanks' });
    expect(planIntent(intent(), context({}, { numbers: new Map([['c1', { phone: '+447700900123', blocked: false }]]) }))).toMatchObject({ action: 'hand-over', reason: expect.stringContaining('not by SMS: an international number') });
    expect(planIntent(intent(), context({}, { numbers: new Map([['c1', { phone: '+8613812345678', blocked: true }]]) }))).toMatchObject({ reason: expect.stringContaining('refused SMS before') });
    const noSms = context();
    noSms.senders.delete('SMS');
    expect(planIntent(intent(), noSms)).toEqual({ action: 'hand-over', reason: 'no chat of ours reaches this customer' });
  });

  it('sends to a chat that can take it; a web chat nobody watches yields to SMS, else keeps the message', () => {
    const web = { reachable: new Map([['c1', { channel: 'WEB' as const, address: 'w1' }]]) };
    expect(planIntent(intent(), context(web))).toEqual({ action: 'send', channel: 'WEB', address: 'w1' });
    expect(planIntent(intent(), context({ ...web, unattended: new Set([chatKey('WEB', 'w1')]) }))).toEqual(SMS);
    expect(planIntent(intent({ kind: 'delivery_thanks' }), context({ ...web, unattended: new Set([chatKey('WEB', 'w1')]) }))).toEqual({ action: 'send', channel: 'WEB', address: 'w1' });
  });

  it('leaves a WeCom contact to their consultant, and texts a 微信客服 customer whose window closed', () => {
    const wecom = { reachable: new Map([['c1', { channel: 'WECOM' as const, address: 'wm1' }]]) };
    expect(planIntent(intent(), context(wecom))).toMatchObject({ action: 'hand-over', reason: expect.stringContaining('without an employee') });
    expect(planIntent(intent(), context({ ...wecom, chatReach: new Map([[chatKey('WECOM', 'wm1'), false]]) }))).toEqual(SMS);
  });

  it('texts marketing only with the opt-out hint, never a reply, and cancels a free-text message to an SMS chat', () => {
    const marketing = intent({ kind: 'birthday_greeting', purpose: 'MARKETING' });
    const template = (optOutHint: boolean) => ({ templates: new Map([[smsTemplateKey('s1', 'birthday_greeting'), { optOutHint }]]) });
    expect(planIntent(marketing, context({}, template(false)))).toMatchObject({ action: 'hand-over', reason: expect.stringContaining('without the opt-out hint 回T退订') });
    expect(planIntent(marketing, context({}, template(true)))).toEqual(SMS);
    expect(planIntent(marketing, context({ consents: new Map([['c1:SERVICE', true]]) }, template(true)))).toMatchObject({ action: 'cancel' });
    expect(planIntent(intent({ purpose: 'REPLY', customerId: null, channel: 'SMS', address: '+8613812345678' }), context())).toMatchObject({ action: 'cancel', reason: expect.stringContaining('approved templates only') });
  });

  it('holds at the limits: the monthly budget rechecked hourly, the daily ones to the next morning, stale ones expire', () => {
    const room = (month: number, today: number) => ({ storeRoom: new Map([['s1', { month, today, nextDay: new Date('2026-11-22T16:00:00Z'), nextMonth: new Date('2026-11-30T16:00:00Z') }]]) });
    expect(planIntent(intent(), context({}, room(0, 10)))).toEqual({ action: 'snooze', until: new Date(now.getTime() + 3_600_000), reason: expect.stringContaining('monthly SMS budget is used up') });
    expect(planIntent(intent(), context({}, room(5, 0)))).toEqual({ action: 'snooze', until: new Date('2026-11-23T00:00:00Z'), reason: expect.stringContaining('daily SMS limit') });
    expect(planIntent(intent(), context({}, { customerRoom: new Map([['c1', 0]]) }))).toMatchObject({ action: 'snooze', reason: expect.stringContaining('this customer\'s daily SMS limit') });
    expect(planIntent(intent({ expiresAt: new Date(now.getTime() + 60_000) }), context({}, room(0, 10)))).toMatchObject({ action: 'expire' });
  });

  it('counts the SMS planned earlier in the batch against the limits', () => {
    const plans = planBatch([intent({ id: 'a' }), intent({ id: 'b' }), intent({ id: 'c' })], context());
    expect(plans.map((p) => p.action)).toEqual(['send', 'send', 'snooze']); // two a day to one customer
  });
});

// --- the property --------------------------------------------------------------------------------

const CUSTOMERS = ['c1', 'c2', 'c3', 'c4'];
const STORES = ['s1', 's2'];
const KINDS = ['visit_thanks', 'birthday_greeting', 'visit_survey', 'reply'];
const CHANNELS: ChannelName[] = ['WEB', 'TELEGRAM', 'WECOM', 'SMS'];

const mostly = <T>(likely: T, other: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(likely), weight: 4 }, { arbitrary: other, weight: 1 });
const allConsents = CUSTOMERS.flatMap((c) => [`${c}:SERVICE`, `${c}:MARKETING`]);

const world = fc.record({
  smsOn: mostly(true, fc.constant(false)),
  numbers: fc.tuple(...CUSTOMERS.map((_, i) => fc.option(fc.record({ phone: mostly(`+861380000000${i}`, fc.constant('+447700900123')), blocked: mostly(false, fc.constant(true)) }), { nil: undefined, freq: 6 }))),
  templates: fc.subarray(STORES.flatMap((s) => KINDS.map((k) => smsTemplateKey(s, k))), { minLength: 3 }).chain((keys) => fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), fc.record({ optOutHint: fc.boolean() }))))),
  storeRoom: fc.dictionary(fc.constantFrom(...STORES), fc.record({ month: fc.integer({ min: -1, max: 4 }), today: fc.integer({ min: -1, max: 5 }) })),
  customerRoom: fc.tuple(...CUSTOMERS.map(() => fc.integer({ min: -1, max: 4 }))),
  withdrawn: fc.subarray(allConsents, { maxLength: 3 }),
  reachable: fc.dictionary(fc.constantFrom(...CUSTOMERS), fc.record({ channel: fc.constantFrom<ChannelName>('WEB', 'TELEGRAM', 'WECOM'), address: fc.constantFrom('a1', 'a2') }), { maxKeys: 2 }),
  unattended: fc.uniqueArray(fc.constantFrom(...['WEB', 'TELEGRAM', 'WECOM'].flatMap((c) => [`${c}:a1`, `${c}:a2`])), { maxLength: 4 }),
  closed: fc.uniqueArray(fc.constantFrom('WECOM:a1', 'WECOM:a2'), { maxLength: 2 }),
  intents: fc.array(fc.record({
    storeId: fc.constantFrom(...STORES), customerId: fc.option(fc.constantFrom(...CUSTOMERS), { nil: null, freq: 8 }), kind: fc.constantFrom(...KINDS),
    purpose: mostly<ClaimedIntent['purpose']>('SERVICE', fc.constantFrom('MARKETING', 'REPLY', 'STAFF')),
    pinned: fc.option(fc.record({ channel: fc.constantFrom(...CHANNELS), address: fc.constantFrom('a1', '+8613800000001') }), { nil: null, freq: 4 }),
  }), { maxLength: 20 }),
});

describe('reach planning with SMS, for any batch', () => {
  it('keeps every limit and rule, and never texts a customer a chat can take the message to', () => {
    fc.assert(fc.property(world, (w) => {
      const sms: SmsFacts = {
        numbers: new Map(w.numbers.flatMap((n, i) => (n ? [[CUSTOMERS[i] as string, n]] : []))), templates: new Map(w.templates),
        storeRoom: new Map(Object.entries(w.storeRoom).map(([s, r]) => [s, { ...r, nextDay: new Date('2026-11-22T16:00:00Z'), nextMonth: new Date('2026-11-30T16:00:00Z') }])),
        customerRoom: new Map(w.customerRoom.map((n, i) => [CUSTOMERS[i] as string, n])),
      };
      const ctx = context({
        consents: new Map(allConsents.filter((k) => !w.withdrawn.includes(k)).map((k) => [k, true])), reachable: new Map(Object.entries(w.reachable)), unattended: new Set(w.unattended),
        chatReach: new Map(w.closed.map((k) => [k, false])),
      }, sms);
      ctx.senders.set('TELEGRAM', { resendIsSafe: false, canPush: true });
      if (!w.smsOn) ctx.senders.delete('SMS');
      const intents = w.intents.map((x, i) => intent({ id: `i${i}`, ...x, channel: x.pinned?.channel ?? null, address: x.pinned?.address ?? null }));
      const plans = planBatch(intents, ctx);
      const byStore = new Map<string, number>();
      const byCustomer = new Map<string, number>();
      plans.forEach((plan, i) => {
        const it = intents[i] as ClaimedIntent;
        const target = it.channel && it.address ? { channel: it.channel, address: it.address } : it.customerId && (it.purpose === 'SERVICE' || it.purpose === 'MARKETING') ? ctx.reachable.get(it.customerId) : undefined;
        const chatCouldTake = target && target.channel !== 'SMS' && ctx.senders.get(target.channel)?.canPush && ctx.chatReach.get(chatKey(target.channel, target.address)) !== false && !ctx.unattended.has(chatKey(target.channel, target.address));
        if (plan.action !== 'send' || plan.channel !== 'SMS') return;
        expect(w.smsOn).toBe(true);
        expect(['SERVICE', 'MARKETING']).toContain(it.purpose);
        expect(ctx.consents.get(`${it.customerId}:${it.purpose}`)).toBe(true);
        const number = sms.numbers.get(it.customerId ?? '');
        expect(number && !number.blocked && number.phone.startsWith('+86') && number.phone === plan.address).toBe(true);
        const template = sms.templates.get(smsTemplateKey(it.storeId, it.kind));
        expect(template).toBeDefined();
        if (it.purpose === 'MARKETING') expect(template?.optOutHint).toBe(true);
        expect(chatCouldTake).toBeFalsy();
        byStore.set(it.storeId, (byStore.get(it.storeId) ?? 0) + 1);
        byCustomer.set(it.customerId ?? '', (byCustomer.get(it.customerId ?? '') ?? 0) + 1);
      });
      for (const [storeId, sent] of byStore) {
        const room = sms.storeRoom.get(storeId);
        expect(sent).toBeLessThanOrEqual(Math.max(0, Math.min(room?.month ?? 0, room?.today ?? 0)));
      }
      for (const [customerId, sent] of byCustomer) expect(sent).toBeLessThanOrEqual(Math.max(0, sms.customerRoom.get(customerId) ?? 0));
    }), { numRuns: 2000 });
  });
});
