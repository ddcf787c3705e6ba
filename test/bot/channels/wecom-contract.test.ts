// The WeCom channel keeps the channel contract, against the fake WeCom server on 127.0.0.1: its
// sender classifies message/send's answers, and app messages taken in by the callback URL go
// through the durable inbox and core's inbound pipeline, each once. WeCom's customers (external
// contacts) do not write to the app; the contract's "customer" is a member not linked to a staff
// member, which is how the pipeline sees one.
import { inboxHandler } from '../../../core/inbound/inbox-adapter.ts';
import { InboxWorker } from '../../../core/inbox/inbox-worker.ts';
import { silentLogger } from '../../../core/logger.ts';
import type { OutboundMessage } from '../../../core/messages.ts';
import { linkStaffAccount } from '../../../core/staff/link-staff-account.ts';
import { WecomApiClient } from '../../../bot/channels/wecom/wecom-api-client.ts';
import { WecomSender } from '../../../bot/channels/wecom/wecom-sender.ts';
import { FakeWecomServer } from '../../fakes/fake-wecom-server.ts';
import { callbackXml } from '../../fakes/fake-wecom-common.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openWecom, WECOM_TEST, type WecomTestbed } from '../../helpers/test-wecom.ts';
import { describeChannelContract, type ArrangedSend, type ChannelHarness, type ContractEvent, type PlatformAnswer } from './channel-contract.ts';

/** A member writing to the app, and the last callback from them, to deliver again. */
interface WecomChat {
  userId: string;
  last?: { xml: string; updateId: string };
}

let nextUser = 1;
let nextMsgId = 9_000_001;

async function repliesTo(t: TestApp, updateId: string): Promise<OutboundMessage[]> {
  const rows = await t.ctx.db.messageIntent.findMany({ where: { dedupeKey: { startsWith: `reply:WECOM:${updateId}:` } } });
  const index = (key: string) => Number(key.split(':').at(-1));
  return rows.sort((a, b) => index(a.dedupeKey) - index(b.dedupeKey)).map((row) => JSON.parse(row.payload) as OutboundMessage);
}

async function wecomHarness(): Promise<ChannelHarness<WecomChat>> {
  const t = await createTestApp();
  const w: WecomTestbed = await openWecom(t);
  const handle = inboxHandler(t.ctx.inbound, [w.channel.inbox]);
  const inbox = new InboxWorker({ db: t.ctx.db, clock: t.clock, logger: silentLogger, alertStoreId: t.setup.storeId, handle });
  const drain = async () => {
    while ((await inbox.runOnce()) > 0) { /* everything stored */ }
  };
  async function say(chat: WecomChat, content: string): Promise<OutboundMessage[]> {
    const msgId = String((nextMsgId += 1));
    const xml = callbackXml({ ToUserName: WECOM_TEST.corpId, FromUserName: chat.userId, CreateTime: Math.floor(t.clock.now().getTime() / 1000), MsgType: 'text', Content: content, MsgId: msgId, AgentID: Number(WECOM_TEST.agentId) });
    chat.last = { xml, updateId: `msg:${WECOM_TEST.agentId}:${msgId}` };
    await w.post(xml);
    await drain();
    return repliesTo(t, chat.last.updateId);
  }
  return {
    t,
    channel: w.channel,
    arrangeSend: (answer) => arrangeSend(w, answer),
    customerChat: async () => ({ userId: `member${(nextUser += 1)}` }),
    async staffChat(staffId) {
      const chat = { userId: `staff${(nextUser += 1)}` };
      await linkStaffAccount(t.ctx.db, t.clock, { staffId: t.setup.adminStaffId, storeId: t.setup.storeId, role: 'ADMIN' }, { staffId, channel: 'WECOM', externalId: chat.userId });
      return chat;
    },
    deliver: (chat, event: ContractEvent) => say(chat, event.kind === 'text' ? event.text : `/start ${event.sourceCode ?? ''}`.trim()),
    async replayLast(chat) {
      if (!chat.last) throw new Error('nothing was sent from this chat yet');
      const { xml, updateId } = chat.last;
      const before = (await repliesTo(t, updateId)).length;
      await w.post(xml); // WeCom delivers it again
      await drain();
      await handle(await t.ctx.db.inboundUpdate.findUniqueOrThrow({ where: { channel_updateId: { channel: 'WECOM', updateId } } })); // a second worker takes the row again
      return (await repliesTo(t, updateId)).slice(before);
    },
    async close() {
      await w.close();
      await t.close();
    },
  };
}

/** Makes the fake WeCom server answer the next message/send so. */
async function arrangeSend(w: WecomTestbed, answer: PlatformAnswer): Promise<ArrangedSend> {
  w.fake.app.setDirectory([{ userid: 'zhangsan', name: '张三', department: [1] }]);
  const envelope = (address: string) => ({ intentId: 'contract-intent', dedupeKey: 'contract', channel: 'WECOM' as const, address, message: { kind: 'text' as const, text: '你好' }, attempt: 1 });
  const arranged = (address = 'zhangsan', signal = new AbortController().signal, via = w.channel.sender) => ({ sender: via, envelope: envelope(address), signal });
  switch (answer) {
    case 'accepted':
      return arranged();
    case 'rate_limited':
      throw new Error('declared impossible');
    case 'server_error':
      w.fake.script('message/send', { errcode: -1, errmsg: 'system busy' });
      return arranged();
    case 'unreachable': {
      const gone = new FakeWecomServer({ corpId: WECOM_TEST.corpId, secrets: [WECOM_TEST.secret] });
      const apiBase = await gone.start();
      await gone.close();
      const api = new WecomApiClient({ corpId: WECOM_TEST.corpId, secret: WECOM_TEST.secret, apiBase });
      return arranged('zhangsan', undefined, new WecomSender(api, Number(WECOM_TEST.agentId)));
    }
    case 'no_answer':
      w.fake.script('message/send', { hang: 'before' });
      return arranged('zhangsan', AbortSignal.timeout(200));
    case 'blocked':
      return arranged('left-the-company'); // not in the directory: 81013, every recipient invalid
    case 'rejected':
      w.fake.script('message/send', { errcode: 40058, errmsg: 'invalid parameter' });
      return arranged();
    default:
      return answer satisfies never;
  }
}

describeChannelContract('WeCom', wecomHarness, {
  neverAnswers: { rate_limited: 'WeCom answers 45009 without saying when to come back; the sender backs off 60 s (wecom-errors.ts), tested in wecom-api-client.test.ts' },
});
