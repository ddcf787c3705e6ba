// The SMS channel keeps the channel contract, against the fake provider on 127.0.0.1 in both modes
// (Alibaba Cloud, Tencent Cloud): its sender classifies the provider's answers as every channel's
// does, and replies pushed to the callback URL go through the durable inbox and core's inbound
// pipeline, each once. Nobody registers by SMS and staff have no SMS chats: its customers
// registered on the H5 form, and SMS reaches them by their number.
import { createSmsChannel } from '../../../bot/channels/sms/sms-channel.ts';
import { smsConnection, smsSettings } from '../../../bot/channels/sms/sms-settings.ts';
import { parseSettings } from '../../../core/config.ts';
import type { OutboundMessage } from '../../../core/messages.ts';
import type { FakeSmsMode } from '../../fakes/fake-sms-server.ts';
import { channelDeps, createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openSms, smsEnv, type SmsTestbed } from '../../helpers/test-sms.ts';
import { describeChannelContract, type ArrangedSend, type ChannelHarness, type PlatformAnswer } from './channel-contract.ts';

/** A customer's number; its chat on SMS is the number itself. */
interface SmsChat {
  phone: string;
}

let nextNumber = 13_700_000_000;
const newPhone = () => `+86${(nextNumber += 1)}`;

/** The replies queued for the SMS update stored last from this number (REPLY intents keyed by it), in order. */
async function repliesToLast(t: TestApp, chat: SmsChat): Promise<OutboundMessage[]> {
  const update = await t.ctx.db.inboundUpdate.findFirst({ where: { channel: 'SMS', chatId: chat.phone }, orderBy: { id: 'desc' } });
  if (!update) return [];
  const rows = await t.ctx.db.messageIntent.findMany({ where: { dedupeKey: { startsWith: `reply:SMS:${update.updateId}:` } } });
  const index = (key: string) => Number(key.split(':').at(-1));
  return rows.sort((a, b) => index(a.dedupeKey) - index(b.dedupeKey)).map((row) => JSON.parse(row.payload) as OutboundMessage);
}

function smsHarness(mode: FakeSmsMode): () => Promise<ChannelHarness<SmsChat>> {
  return async () => {
    const t = await createTestApp();
    const sms = await openSms(t, { mode });
    await sms.approve('visit_thanks');
    const drain = async () => {
      while ((await sms.inbox.runOnce()) > 0) { /* everything stored */ }
    };
    return {
      t,
      channel: sms.channel,
      arrangeSend: (answer) => arrangeSend(t, sms, mode, answer),
      customerChat: async () => ({ phone: newPhone() }),
      async staffChat() {
        throw new Error('staff have no SMS chats');
      },
      async registeredElsewhere() {
        const phone = newPhone();
        const response = await sms.app.inject({
          method: 'POST', url: '/api/registrations',
          payload: { source: 'showroom', name: '张伟', phone: phone.slice(3), modelOfInterest: '城市SUV', heardFrom: 'walk_in', companions: [], serviceConsent: true, marketingConsent: false },
        });
        if (response.statusCode !== 201) throw new Error(`registration failed: ${response.body}`);
        return { phone };
      },
      async deliver(chat, event) {
        if (event.kind !== 'text') throw new Error('SMS has no start event: nobody opens an SMS chat through a QR code');
        const before = await t.ctx.db.inboundUpdate.count({ where: { channel: 'SMS', chatId: chat.phone } });
        await sms.fake.pushReply(sms.callbackUrls.reply, chat.phone, event.text);
        await drain();
        return (await t.ctx.db.inboundUpdate.count({ where: { channel: 'SMS', chatId: chat.phone } })) > before ? repliesToLast(t, chat) : [];
      },
      async replayLast(chat) {
        const before = (await repliesToLast(t, chat)).length;
        await sms.fake.resendLast(); // the provider pushes the same batch again
        await drain();
        return (await repliesToLast(t, chat)).slice(before);
      },
      async close() {
        await sms.close();
        await t.close();
      },
    };
  };
}

/** A message of ours to a number, as the dispatcher would hand it to the sender. */
async function arrangeSend(t: TestApp, sms: SmsTestbed, mode: FakeSmsMode, answer: PlatformAnswer): Promise<ArrangedSend> {
  const phone = newPhone();
  const store = await t.ctx.db.store.findFirstOrThrow();
  const intent = await t.ctx.db.messageIntent.create({
    data: {
      dedupeKey: `contract:${phone}`, storeId: store.id, purpose: 'SERVICE', kind: 'visit_thanks', payload: JSON.stringify({ kind: 'text', text: '感谢光临' }),
      variables: JSON.stringify({ honorific: '张伟', storeName: store.name }), sendAt: t.clock.now(), expiresAt: new Date(t.clock.now().getTime() + 3_600_000),
    },
  });
  const arranged = (sender = sms.channel.sender, signal = new AbortController().signal): ArrangedSend => ({
    sender, signal, envelope: { intentId: intent.id, dedupeKey: intent.dedupeKey, channel: 'SMS', address: phone, message: { kind: 'text', text: '感谢光临' }, attempt: 1 },
  });
  switch (answer) {
    case 'accepted':
      return arranged();
    case 'server_error':
      sms.fake.script({ status: 503 });
      return arranged();
    case 'unreachable': {
      const parsed = parseSettings(smsSettings, smsEnv(mode, 'http://127.0.0.1:9'));
      const connection = parsed.ok ? smsConnection(parsed.value) : null;
      if (!connection) throw new Error('settings');
      return arranged(createSmsChannel(connection, channelDeps(t)).sender);
    }
    case 'no_answer':
      sms.fake.script({ hang: true });
      return arranged(undefined, AbortSignal.timeout(300));
    case 'blocked':
      if (mode === 'tencent') sms.fake.blacklist(phone); // 免打扰名单: FailedOperation.PhoneNumberInBlacklist
      else sms.fake.script({ code: 'isv.MOBILE_NUMBER_ILLEGAL', message: '非法手机号' });
      return arranged();
    case 'rejected':
      // The store entered a template code the provider never approved.
      await t.ctx.db.smsTemplate.updateMany({ data: { templateCode: mode === 'aliyun' ? 'SMS_999999999' : '1999999' } });
      return arranged();
    case 'rate_limited':
      throw new Error('declared never');
    default:
      return answer satisfies never;
  }
}

const declarations = {
  neverAnswers: { rate_limited: 'SMS providers refuse with a window (a minute, an hour, a day), never "retry after n seconds"; the SMS provider tests cover each window' },
  noRegistration: 'nobody registers by SMS: a customer registers on the H5 form or a chat, and SMS reaches them by their number',
  noStaffChats: 'staff are reached on the chat channels; SMS carries approved customer templates only',
};

describeChannelContract('SMS (Alibaba Cloud)', smsHarness('aliyun'), declarations);
describeChannelContract('SMS (Tencent Cloud)', smsHarness('tencent'), declarations);
