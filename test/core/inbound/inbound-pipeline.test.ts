// Core's inbound pipeline on its own, fed normalized messages as any channel's adapter makes
// them: the order of the steps, and what each decides.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleInboundMessage, type InboundReceipt } from '../../../core/inbound/handle-inbound-message.ts';
import { INBOUND_STEPS } from '../../../core/inbound/inbound-pipeline.ts';
import { recordInboundUpdate } from '../../../core/inbox/record-inbound-update.ts';
import type { ChannelName, InboundEvent, InboundMessage } from '../../../core/messages.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

let t: TestCore;
let updates = 0;
beforeEach(async () => {
  t = await createTestCore();
});
afterEach(async () => {
  await t.close();
});

const message = (chatId: string, event: InboundEvent, extra: Partial<InboundMessage> = {}): InboundMessage =>
  ({ channel: 'TELEGRAM', chatId, updateId: `u${(updates += 1)}`, event, ...extra });
const handle = (m: InboundMessage, receipt: InboundReceipt = { kind: 'request' }) => handleInboundMessage(t.ctx.inbound, m, receipt);
const say = async (chatId: string, text: string, channel: ChannelName = 'TELEGRAM') => handle(message(chatId, { kind: 'text', text }, { channel }));
const textOf = (outcome: { replies: { text: string }[] }) => outcome.replies.map((r) => r.text).join('\n');

describe('the inbound pipeline', () => {
  it('runs its steps in the documented order', () => {
    expect(INBOUND_STEPS.map((step) => step.name)).toEqual([
      'ignored', 'stale button', 'unsupported', 'staff invitation', 'staff command',
      'entry', 'opt-out', 'resume care', 'data request', 'complaint', 'survey answer', 'control word', 'registration',
    ]);
  });

  it('answers nothing for an ignored event or a tap on an older keyboard; asks for text when it cannot read one', async () => {
    expect(await handle(message('none', { kind: 'ignored', reason: 'group chat' }))).toEqual({ handledBy: 'ignored', replies: [] });
    await handle(message('c1', { kind: 'start', sourceCode: 'showroom' }));
    expect(await handle(message('c1', { kind: 'button', data: '1', onLatestKeyboard: false }))).toEqual({ handledBy: 'stale button', replies: [] });
    expect(textOf(await handle(message('c1', { kind: 'button', data: '1', onLatestKeyboard: true })))).toContain('怎么称呼');
    expect(textOf(await handle(message('c1', { kind: 'unsupported' })))).toContain('请直接输入文字');
  });

  it('asks in the conversation\'s language, Simplified Chinese unless English was chosen', async () => {
    await handle(message('en1', { kind: 'start', sourceCode: 'showroom' }, { locale: 'en' }));
    expect(textOf(await handle(message('en1', { kind: 'unsupported' })))).toContain('please type');
  });

  it('takes a linked staff member\'s chat as staff commands, even words a customer would opt out or complain with', async () => {
    const staff = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
    await t.ctx.db.staffChannelLink.create({ data: { staffId: staff.id, channel: 'TELEGRAM', externalId: 's1', linkedAt: t.clock.now(), lastSeenAt: t.clock.now() } });
    expect(await say('s1', 'TD')).toMatchObject({ handledBy: 'staff command', replies: [{ text: expect.stringContaining('没看懂这条命令') }] });
    expect((await say('s1', '我要投诉')).handledBy).toBe('staff command');
    expect(textOf(await handle(message('s1', { kind: 'start', sourceCode: 'showroom' })))).toContain('可用命令');
    expect(await t.ctx.db.ticket.count()).toBe(0);
    await t.ctx.db.staff.update({ where: { id: staff.id }, data: { active: false } });
    expect((await say('s1', 'TD')).handledBy).toBe('opt-out'); // a deactivated staff member's chat is anyone's
  });

  it('starts a plain start at the only store, and asks which store when there are several', async () => {
    expect(textOf(await handle(message('p1', { kind: 'start', sourceCode: null })))).toContain('个人信息告知');
    const other = await t.ctx.db.store.create({ data: { name: '第二门店', groupId: (await t.ctx.db.store.findFirstOrThrow()).groupId, timeZone: 'Asia/Shanghai' } });
    const campaign = await t.ctx.db.campaign.findFirstOrThrow();
    await t.ctx.db.qrSource.create({ data: { code: 'second', label: '海报', channel: 'WEB', storeId: other.id, campaignId: campaign.id } });
    const choice = await handle(message('p2', { kind: 'start', sourceCode: null }));
    expect(choice.replies[0]).toMatchObject({ text: expect.stringContaining('请选择您所在的门店'), choices: [{ value: '/start showroom' }, { label: '第二门店', value: '/start second' }] });
    expect(await t.ctx.db.conversation.count({ where: { externalId: 'p2' } })).toBe(0);
  });

  it('handles a request once: the same update id again changes nothing and answers nothing', async () => {
    const first = message('r1', { kind: 'start', sourceCode: 'showroom' }, { channel: 'WEB' });
    expect((await handle(first)).replies.length).toBeGreaterThan(0);
    const answer = message('r1', { kind: 'text', text: '1' }, { channel: 'WEB' });
    expect(textOf(await handle(answer))).toContain('怎么称呼');
    expect(await handle(answer)).toEqual({ handledBy: 'duplicate', replies: [] });
    expect(JSON.parse((await t.ctx.db.conversation.findFirstOrThrow()).state)).toMatchObject({ step: 'name' });
    expect(await t.ctx.db.inboundUpdate.count({ where: { channel: 'WEB', handledAt: { not: null } } })).toBe(2);
  });

  it('handles an inbox row once, queueing its replies in the outbox keyed by the update', async () => {
    await recordInboundUpdate(t.ctx.db, { channel: 'TELEGRAM', updateId: '42', chatId: 'i1', payload: '{}', receivedAt: t.clock.now() });
    const row = await t.ctx.db.inboundUpdate.findFirstOrThrow();
    const start = message('i1', { kind: 'start', sourceCode: 'showroom' }, { updateId: '42' });
    const outcome = await handle(start, { kind: 'inbox', rowId: row.id });
    const queued = await t.ctx.db.messageIntent.findMany({ where: { purpose: 'REPLY' }, orderBy: { dedupeKey: 'asc' } });
    expect(queued.map((i) => [i.dedupeKey, i.address])).toEqual(outcome.replies.map((_, n) => [`reply:TELEGRAM:42:${n}`, 'i1']));
    expect(await handle(start, { kind: 'inbox', rowId: row.id })).toEqual({ handledBy: 'duplicate', replies: [] });
    expect(await t.ctx.db.messageIntent.count({ where: { purpose: 'REPLY' } })).toBe(queued.length);
  });
});
