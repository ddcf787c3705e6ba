// The contract every channel keeps, as one suite each channel's test file runs against its own
// module (web-, telegram-, wecom- and sms-contract.test.ts):
// its sender classifies what the platform answered the same way, and the same normalized events
// fed through its real intake end in the same database, each handled exactly once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenChannel } from '../../../bot/channels/channel-module.ts';
import type { InboundEvent, OutboundMessage } from '../../../core/messages.ts';
import type { ChannelSender, Envelope, SendOutcome } from '../../../core/outbox/channel-port.ts';
import type { TestApp } from '../../helpers/test-app.ts';
import { contractOutcome } from './contract-outcome.ts';

/** How a platform can answer a send. `rate_limited`: "too many requests, retry after 7 seconds". */
export const PLATFORM_ANSWERS = ['accepted', 'rate_limited', 'server_error', 'unreachable', 'no_answer', 'blocked', 'rejected'] as const;
export type PlatformAnswer = (typeof PLATFORM_ANSWERS)[number];

/** A send set up to meet a platform answer: the channel's sender, a message to a chat, the signal to send with. */
export interface ArrangedSend {
  sender: ChannelSender;
  envelope: Envelope;
  signal: AbortSignal;
}

/** The events the contract feeds: the normalized forms every channel's intake produces. */
export type ContractEvent = Extract<InboundEvent, { kind: 'start' | 'text' }>;

/** What a channel's contract test provides: its module opened on a test app, against a fake platform where it has one. */
export interface ChannelHarness<Chat> {
  readonly t: TestApp;
  readonly channel: OpenChannel;
  /** Makes the platform answer a send so (never asked for the answers the channel declared impossible). */
  arrangeSend(answer: PlatformAnswer): Promise<ArrangedSend>;
  /** A new customer's chat. */
  customerChat(): Promise<Chat>;
  /** A chat linked to the staff member the channel's own way (an invitation, signing in to the console). */
  staffChat(staffId: string): Promise<Chat>;
  /**
   * For a channel nobody registers on (SMS): a customer who registered elsewhere (the H5 form)
   * and their chat on this channel. Channels that register in the chat leave it out.
   */
  registeredElsewhere?(): Promise<Chat>;
  /** Feeds the event from the chat through the channel's real intake and core; the replies it got, once handled. */
  deliver(chat: Chat, event: ContractEvent): Promise<OutboundMessage[]>;
  /** The platform delivers the chat's last event again (a retry, a re-delivery); the replies that caused. */
  replayLast(chat: Chat): Promise<OutboundMessage[]>;
  close(): Promise<void>;
}

/** What each platform answer must become, whatever the channel. */
const CLASSIFIED: Record<PlatformAnswer, (outcome: SendOutcome) => void> = {
  accepted: (o) => expect(o).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/\S/) }),
  rate_limited: (o) => expect(o).toMatchObject({ status: 'retry', retryAfterMs: 7000 }),
  server_error: (o) => expect(o).toMatchObject({ status: 'retry' }),
  unreachable: (o) => expect(o).toMatchObject({ status: 'retry' }),
  no_answer: (o) => expect(o).toMatchObject({ status: 'ambiguous' }),
  blocked: (o) => expect(o).toMatchObject({ status: 'blocked' }),
  rejected: (o) => expect(o).toMatchObject({ status: 'rejected' }),
};

const REGISTRATION_ANSWERS = ['1', '张伟', '138 1234 5678', '3', '1', '1', '2'];
const text = (value: string): ContractEvent => ({ kind: 'text', text: value });
const texts = (replies: OutboundMessage[]) => replies.map((r) => r.text).join('\n');

/** What a channel declares about its platform: the answers it can never give, each with why (listed as skipped). */
export interface ChannelDeclarations {
  neverAnswers?: Partial<Record<Exclude<PlatformAnswer, 'accepted'>, string>>;
  /** Why nobody registers in this channel's chats (its customers come from elsewhere: `registeredElsewhere`). */
  noRegistration?: string;
  /** Why staff have no chats on this channel. */
  noStaffChats?: string;
}

/** Runs the channel contract against the harness `setUp` builds (fresh for each test). */
export function describeChannelContract<Chat>(name: string, setUp: () => Promise<ChannelHarness<Chat>>, declared: ChannelDeclarations = {}): void {
  describe(`${name}: the channel contract`, () => {
    let h: ChannelHarness<Chat>;
    beforeEach(async () => {
      h = await setUp();
    });
    afterEach(async () => {
      await h.close();
    });

    /** A customer who registered on this channel, from a start with the showroom's code to the voucher (or elsewhere, for a channel nobody registers on). */
    async function registered(): Promise<Chat> {
      if (h.registeredElsewhere) return h.registeredElsewhere();
      const chat = await h.customerChat();
      expect(texts(await h.deliver(chat, { kind: 'start', sourceCode: 'showroom' }))).toContain('个人信息告知');
      let replies: OutboundMessage[] = [];
      for (const answer of REGISTRATION_ANSWERS) replies = await h.deliver(chat, text(answer));
      expect(replies[0]).toMatchObject({ kind: 'voucher', voucherCode: (await h.t.ctx.db.voucher.findFirstOrThrow()).code });
      return chat;
    }

    describe('sending', () => {
      for (const answer of PLATFORM_ANSWERS) {
        const never = answer === 'accepted' ? undefined : declared.neverAnswers?.[answer];
        if (never) {
          it.skip(`the platform never answers "${answer}": ${never}`, () => undefined);
          continue;
        }
        it(`classifies the platform answering "${answer}" as every channel does`, async () => {
          const arranged = await h.arrangeSend(answer);
          expect(arranged.sender.channel).toBe(h.channel.channel);
          CLASSIFIED[answer](await arranged.sender.send(arranged.envelope, arranged.signal));
        });
      }
    });

    describe('receiving', () => {
      const inChat = declared.noRegistration ? it.skip : it;
      const staffChats = declared.noStaffChats ? it.skip : it;
      inChat(`registers from a start with a code through every answer to the voucher, each stored once${declared.noRegistration ? ` (not here: ${declared.noRegistration})` : ''}`, async () => {
        await registered();
        expect(await contractOutcome(h.t)).toMatchObject({
          customers: 1, identities: [h.channel.channel], visits: 1, registrations: 1, vouchers: 1, consents: ['MARKETING no', 'SERVICE yes'],
          conversation: { flow: 'registration', step: 'finished' }, unhandledInbound: 0,
        });
      });

      it('changes nothing when the platform delivers a message again', async () => {
        const chat = await registered();
        if (declared.noRegistration) await h.deliver(chat, text('你好'));
        const before = await contractOutcome(h.t);
        expect(await h.replayLast(chat)).toEqual([]);
        expect(await contractOutcome(h.t)).toEqual(before);
      });

      it('files a complaint, and honours an opt-out word, confirming it once', async () => {
        const chat = await registered();
        expect(texts(await h.deliver(chat, text('我要投诉：等了二十分钟才有人接待')))).toContain('已收到您的投诉');
        expect(texts(await h.deliver(chat, text('TD')))).toContain('已为您退订');
        expect(await h.deliver(chat, text('退订'))).toEqual([]);
        expect(await h.replayLast(chat)).toEqual([]);
        expect(await contractOutcome(h.t)).toMatchObject({
          customers: 1, complaints: 1, consents: ['MARKETING no', 'MARKETING no', 'SERVICE no', 'SERVICE yes'], conversation: { flow: 'idle', optedOut: true }, unhandledInbound: 0,
          intents: expect.arrayContaining(['visit_thanks CANCELLED']),
        });
      });

      staffChats(`runs a staff command from a linked chat exactly once, a replay included${declared.noStaffChats ? ` (not here: ${declared.noStaffChats})` : ''}`, async () => {
        const consultant = await h.t.ctx.db.staff.create({ data: { storeId: h.t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
        await registered();
        const staff = await h.staffChat(consultant.id);
        expect(await h.t.ctx.db.staffChannelLink.count({ where: { staffId: consultant.id, channel: h.channel.channel } })).toBe(1);
        expect(texts(await h.deliver(staff, text('订单 13812345678 城市SUV 2026-12-20 14:00')))).toMatch(/已为张伟.*登记订单/);
        expect(await h.replayLast(staff)).toEqual([]);
        expect(await h.t.ctx.db.order.count()).toBe(1);
        expect(await contractOutcome(h.t)).toMatchObject({ customers: 1, orders: 1, leads: ['O'], unhandledInbound: 0 });
      });
    });
  });
}
