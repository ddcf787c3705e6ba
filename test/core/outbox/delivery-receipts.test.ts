// Delivery receipts (SMS 状态报告) on the intents they report on: by the provider's id or our key,
// late, twice or out of order; a receipt settles a send that got no answer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDeliveryReceipt, type DeliveryReceipt } from '../../../core/outbox/delivery-receipts.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

let t: TestCore;
beforeEach(async () => {
  t = await createTestCore();
});
afterEach(async () => {
  await t.close();
});

async function smsIntent(state: 'SENT' | 'UNKNOWN', providerMessageId: string | null) {
  const intent = await t.ctx.db.messageIntent.create({
    data: {
      dedupeKey: `thanks:${state}`, storeId: t.setup.storeId, channel: 'SMS', address: '+8613812345678', purpose: 'SERVICE', kind: 'visit_thanks', payload: '{}',
      sendAt: t.clock.now(), expiresAt: new Date(t.clock.now().getTime() + 86_400_000), state, providerMessageId, sentAt: state === 'SENT' ? t.clock.now() : null,
    },
  });
  if (state === 'UNKNOWN') await t.ctx.db.alert.create({ data: { storeId: t.setup.storeId, kind: 'intent_unknown', message: 'no answer', intentId: intent.id, createdAt: t.clock.now() } });
  return intent;
}

const receipt = (over: Partial<DeliveryReceipt>): DeliveryReceipt => ({ providerMessageId: 'biz-1', delivered: true, code: 'DELIVERED', at: new Date('2026-11-22T02:00:10Z'), ...over });
const record = (r: DeliveryReceipt) => t.ctx.db.$transaction((tx) => recordDeliveryReceipt(tx, 'SMS', r, t.clock.now()));

describe('recordDeliveryReceipt', () => {
  it('records the newest report and ignores an older one that arrives later', async () => {
    const intent = await smsIntent('SENT', 'biz-1');
    expect(await record(receipt({ delivered: false, code: 'MK:0001', at: new Date('2026-11-22T02:05:00Z') }))).toBe(true);
    expect(await record(receipt({ at: new Date('2026-11-22T02:00:10Z') }))).toBe(true);
    expect(await t.ctx.db.messageIntent.findUniqueOrThrow({ where: { id: intent.id } })).toMatchObject({ deliveryStatus: 'FAILED', deliveryCode: 'MK:0001', state: 'SENT' });
  });

  it('settles a send that got no answer: sent after all, with the provider\'s id, its alert resolved', async () => {
    const intent = await smsIntent('UNKNOWN', null);
    expect(await record(receipt({ providerMessageId: 'biz-9', outId: intent.dedupeKey }))).toBe(true);
    expect(await t.ctx.db.messageIntent.findUniqueOrThrow({ where: { id: intent.id } })).toMatchObject({ state: 'SENT', providerMessageId: 'biz-9', deliveryStatus: 'DELIVERED', lastError: null });
    expect(await t.ctx.db.alert.count({ where: { intentId: intent.id, resolvedAt: null } })).toBe(0);
  });

  it('matches nothing for a message that is not ours', async () => {
    await smsIntent('SENT', 'biz-1');
    expect(await record(receipt({ providerMessageId: 'someone-else', outId: 'not-a-key' }))).toBe(false);
  });
});
