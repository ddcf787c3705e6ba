// The web channel keeps the channel contract: its sender stores messages for the chat page, and
// the chat API (customers) and the staff console (staff) feed core's inbound pipeline, each
// message once under the page's message id.
import { expect } from 'vitest';
import type { OutboundMessage } from '../../../core/messages.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeChannelContract, type ChannelHarness, type ContractEvent } from './channel-contract.ts';

/** A browser: its chat cookie, or a staff member's console session; and the last request, to send again. */
interface WebChat {
  cookie: string;
  staffSession?: string;
  last?: { url: string; payload: Record<string, unknown> };
}

let sent = 0;
const messageId = () => `contract-message-${(sent += 1)}`;

/** Posts as the browser would, keeping its cookie; the replies shown for it. */
async function post(t: TestApp, chat: WebChat, url: string, payload: Record<string, unknown>): Promise<OutboundMessage[]> {
  chat.last = { url, payload };
  const cookies: Record<string, string> = chat.staffSession ? { sc_staff: chat.staffSession } : chat.cookie ? { sc_chat: chat.cookie } : {};
  const response = await t.app.inject({ method: 'POST', url, payload, cookies });
  expect(response.statusCode, response.body).toBe(200);
  chat.cookie = response.cookies.find((c) => c.name === 'sc_chat')?.value ?? chat.cookie;
  if (!chat.staffSession) return response.json<{ replies: OutboundMessage[] }>().replies;
  const { reply } = response.json<{ reply: string }>();
  return reply ? [{ kind: 'text', text: reply }] : [];
}

function request(chat: WebChat, event: ContractEvent): [string, Record<string, unknown>] {
  if (event.kind === 'start') {
    if (chat.staffSession || event.sourceCode === null) throw new Error('the web chat always opens at a QR source, and the console never starts');
    return ['/api/chat/start', { source: event.sourceCode, messageId: messageId() }];
  }
  return [chat.staffSession ? '/admin/console/messages' : '/api/chat/messages', { text: event.text, messageId: messageId() }];
}

async function webHarness(): Promise<ChannelHarness<WebChat>> {
  const t = await createTestApp();
  const channel = t.ctx.channels.find((c) => c.channel === 'WEB');
  if (!channel) throw new Error('the test app runs the web channel');
  return {
    t,
    channel,
    async arrangeSend() {
      const envelope = { intentId: 'contract-intent', dedupeKey: 'contract', channel: 'WEB' as const, address: 'contract-session-000000001', message: { kind: 'text' as const, text: '你好' }, attempt: 1 };
      return { sender: channel.sender, envelope, signal: new AbortController().signal };
    },
    customerChat: async () => ({ cookie: '' }),
    async staffChat(staffId) {
      const staffSession = await signIn(t, staffId);
      expect((await t.app.inject({ method: 'GET', url: '/admin/console', cookies: { sc_staff: staffSession } })).statusCode).toBe(200);
      return { cookie: '', staffSession };
    },
    deliver: (chat, event) => post(t, chat, ...request(chat, event)),
    async replayLast(chat) {
      if (!chat.last) throw new Error('nothing was sent from this chat yet');
      return post(t, chat, chat.last.url, chat.last.payload);
    },
    close: () => t.close(),
  };
}

/** The web chat's sender stores the message for the page to fetch: nothing stands between us and the page. */
const NO_PLATFORM = 'the web chat stores messages for its page to fetch; no platform in between can';

describeChannelContract('web', webHarness, {
  neverAnswers: {
    rate_limited: `${NO_PLATFORM} limit the rate`,
    server_error: `${NO_PLATFORM} fail`,
    unreachable: `${NO_PLATFORM} be unreachable`,
    no_answer: `${NO_PLATFORM} leave a send unanswered`,
    blocked: `${NO_PLATFORM} block us`,
    rejected: `${NO_PLATFORM} refuse a message`,
  },
});
