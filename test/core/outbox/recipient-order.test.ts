import { describe, expect, it } from 'vitest';
import { RecipientOrder } from '../../../core/outbox/recipient-order.ts';

describe('recipient order', () => {
  it('keeps a recipient\'s waiting messages in the order they joined, whatever their slots', () => {
    const order = new RecipientOrder(60_000);
    order.wait('chat', 'a', 2_000);
    order.wait('chat', 'b', 1_000);
    expect(order.standing('chat', 'a', 2_000)).toEqual({ first: true });
    expect(order.standing('chat', 'b', 2_000)).toEqual({ first: false, ahead: 1, lastSlotMs: 2_000 });
    expect(order.standing('chat', 'newcomer', 2_000)).toMatchObject({ first: false, ahead: 2 });
    expect(order.standing('other', 'x', 2_000)).toEqual({ first: true });
  });

  it('lets the next one go when the first leaves, is forgotten, or lapses', () => {
    const order = new RecipientOrder(60_000);
    order.wait('chat', 'a', 1_000);
    order.wait('chat', 'b', 2_000);
    order.wait('chat', 'c', 3_000);
    order.leave('chat', 'a');
    expect(order.standing('chat', 'b', 2_000)).toEqual({ first: true });
    order.forget('b');
    expect(order.standing('chat', 'c', 3_000)).toEqual({ first: true });
    order.wait('chat', 'd', 4_000);
    expect(order.standing('chat', 'd', 3_000 + 60_000)).toMatchObject({ first: false });
    expect(order.standing('chat', 'd', 3_000 + 60_001)).toEqual({ first: true }); // c never came back: its place lapsed
  });
});
