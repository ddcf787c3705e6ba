// Reach planning with per-chat windows (ChannelSender.reachNow): a closed window hands the message
// to the consultant, an open one lets a channel that cannot push send, other chats follow canPush.
import { describe, expect, it } from 'vitest';
import { chatKey, planIntent, type ClaimedIntent, type PlanContext } from '../../../core/outbox/plan-intent.ts';
import { noSmsFacts } from '../../../core/outbox/sms-facts.ts';

const now = new Date('2026-11-22T04:00:00Z');
const hours = { start: '00:00', end: '23:59' };

function intent(extra: Partial<ClaimedIntent> = {}): ClaimedIntent {
  return {
    id: 'i1', state: 'PENDING', storeId: 's1', kind: 'visit_thanks', purpose: 'SERVICE', customerId: 'c1', staffId: null, channel: null, address: null,
    expiresAt: new Date(now.getTime() + 3_600_000), store: { timeZone: 'Asia/Shanghai', customerHours: hours, staffHours: hours }, ...extra,
  };
}

function context(window: boolean | undefined): PlanContext {
  return {
    now, consents: new Map([['c1:SERVICE', true]]), reachable: new Map([['c1', { channel: 'WECOM', address: 'kf:wm1' }]]), staffReachable: new Map(),
    careStopped: new Set(), senders: new Map([['WECOM', { resendIsSafe: true, canPush: false }]]), deferred: new Map(),
    chatReach: window === undefined ? new Map() : new Map([[chatKey('WECOM', 'kf:wm1'), window]]), unattended: new Set(), sms: noSmsFacts(),
  };
}

describe('planIntent with a chat window', () => {
  it('sends to a chat whose window is open, though its channel cannot push', () => {
    expect(planIntent(intent(), context(true))).toEqual({ action: 'send', channel: 'WECOM', address: 'kf:wm1' });
  });

  it('hands a customer message to the consultant when the window is closed', () => {
    expect(planIntent(intent(), context(false))).toMatchObject({ action: 'hand-over' });
  });

  it('hands a reply over too when the window is closed', () => {
    expect(planIntent(intent({ purpose: 'REPLY', customerId: null, channel: 'WECOM', address: 'kf:wm1' }), context(false))).toMatchObject({ action: 'hand-over' });
  });

  it('leaves chats the channel did not answer for to canPush', () => {
    expect(planIntent(intent(), context(undefined))).toMatchObject({ action: 'hand-over', reason: expect.stringContaining('without an employee') });
  });
});
