import type { OutboundMessage } from '../../../core/messages.ts';
import type { ChannelSender, Envelope, SendOutcome } from '../../../core/outbox/channel-port.ts';
import { wecomAppMessageLimits } from '../../../core/outbox/platform-limits.ts';
import type { RateLimit } from '../../../core/outbox/rate-limiter.ts';
import type { WecomApiClient } from './wecom-api-client.ts';
import { WecomApiError, classifyWecomError } from './wecom-errors.ts';

/** message/send: every recipient invalid (the userid left the corp or is outside the app's visible range). */
const ALL_RECIPIENTS_INVALID = 81013;

/** message/send: a text message's content is at most 2048 bytes (应用消息 → 文本消息). */
const MAX_TEXT_BYTES = 2048;
const TRUNCATED = '\n……（内容过长，请在管理后台查看）';

/** A core message as plain WeCom text: choices are listed with what to type (WeCom text has no buttons). */
export function wecomPlainText(message: OutboundMessage): string {
  const choices = message.kind === 'text' && message.choices?.length ? `\n${message.choices.map((c) => `· ${c.label}（回复 ${c.value}）`).join('\n')}` : '';
  return `${message.text}${choices}`;
}

/** Renders a core message as app-message text (`wecomPlainText`); a text over 2048 bytes is cut and says so. */
export function renderForWecom(message: OutboundMessage): string {
  const text = wecomPlainText(message);
  if (Buffer.byteLength(text) <= MAX_TEXT_BYTES) return text;
  const room = MAX_TEXT_BYTES - Buffer.byteLength(TRUNCATED);
  let cut = '';
  for (const char of text) {
    if (Buffer.byteLength(cut + char) > room) break;
    cut += char;
  }
  return `${cut}${TRUNCATED}`;
}

/**
 * The outbox's WeCom sender: application messages (message/send) to employees, addressed by their
 * WeCom userid (StaffChannelLink WECOM). The duplicate check is on, so resending the identical
 * request after a lost answer is not delivered twice (`resendIsSafe`). Customers added through
 * 「联系我」 cannot be pushed to (`canPush: false`): the reach planner hands those messages to
 * the consultant as a task.
 */
export class WecomSender implements ChannelSender {
  readonly channel = 'WECOM' as const;
  readonly resendIsSafe = true;
  readonly canPush = false;

  constructor(private readonly api: WecomApiClient, private readonly agentId: number) {}

  rateLimits(envelope: Envelope): RateLimit[] {
    return wecomAppMessageLimits(envelope.address);
  }

  async send(envelope: Envelope, signal: AbortSignal): Promise<SendOutcome> {
    try {
      const sent = await this.api.sendAppMessage({ agentId: this.agentId, toUsers: [envelope.address], message: { kind: 'text', content: renderForWecom(envelope.message) } }, signal);
      // An unknown userid comes back as `invaliduser` with errcode 0 (or 81013 when it was the only one).
      if (sent.invalidUsers.includes(envelope.address)) return { status: 'blocked', error: `WeCom message/send: ${envelope.address} is not a member the app can reach` };
      return { status: 'sent', providerMessageId: sent.msgid };
    } catch (error) {
      if (error instanceof WecomApiError && error.errcode === ALL_RECIPIENTS_INVALID) return { status: 'blocked', error: error.message };
      return classifyWecomError(error);
    }
  }
}
