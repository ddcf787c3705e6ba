import type { ChannelSender, Envelope, SendOutcome } from '../../core/outbox/channel-port.ts';
import type { ChannelName } from '../../core/messages.ts';
import type { RateLimit } from '../../core/outbox/rate-limiter.ts';

/**
 * Error codes that prove the request never reached the server: the connection was not made, so
 * nothing was delivered and a retry is safe. Anything else after `fetch` started (reset, hang
 * up, abort, timeout) may have happened after the request left, and is ambiguous.
 */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function describe(error: unknown): string {
  const e = error as Error;
  const code = errorCode(error);
  return `${e.name}: ${e.message}${code ? ` (${code})` : ''}`;
}

interface TelegramStyleAnswer {
  ok?: boolean;
  id?: unknown;
  description?: string;
  parameters?: { retry_after?: unknown };
}

/**
 * A channel that sends over HTTP to the fake channel server (`POST <baseUrl>/send`), classifying
 * the answer the way a real adapter must. Like Telegram, an identical resend is not harmless
 * (`resendIsSafe` is false): the platform does not de-duplicate.
 */
export class HttpChannelSender implements ChannelSender {
  constructor(
    private readonly baseUrl: string,
    readonly channel: ChannelName = 'WEB',
    readonly resendIsSafe = false,
    readonly canPush = true,
    private readonly limits: RateLimit[] = [],
  ) {}

  rateLimits(): RateLimit[] {
    return this.limits;
  }

  async send(envelope: Envelope, signal: AbortSignal): Promise<SendOutcome> {
    const body = JSON.stringify({ key: envelope.dedupeKey, address: envelope.address, text: envelope.message.text });
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
    } catch (error) {
      const code = errorCode(error);
      if (code && NEVER_SENT.has(code)) return { status: 'retry', error: `connection failed: ${describe(error)}` };
      return { status: 'ambiguous', error: `no answer: ${describe(error)}` };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The status line came but the body did not: on a 200 the message went out.
      if (response.status === 200) return { status: 'ambiguous', error: `answer cut off: ${describe(error)}` };
      text = '';
    }
    let answer: TelegramStyleAnswer = {};
    try {
      answer = JSON.parse(text) as TelegramStyleAnswer;
    } catch {
      // Not JSON (a proxy's error page, say): classify by the status alone.
    }
    const status = response.status;
    const what = `${status} ${answer.description ?? response.statusText}`;
    if (status === 200) {
      if (answer.ok === true && (typeof answer.id === 'string' || typeof answer.id === 'number')) return { status: 'sent', providerMessageId: String(answer.id) };
      return { status: 'ambiguous', error: `200 without a message id: ${text.slice(0, 200)}` };
    }
    if (status === 429) {
      const given = answer.parameters?.retry_after ?? response.headers.get('retry-after');
      const retryAfter = given === null || given === undefined || given === '' ? NaN : Number(given);
      return { status: 'retry', error: what, ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: Math.round(retryAfter * 1000) } : {}) };
    }
    if (status >= 500) return { status: 'retry', error: what };
    return { status: 'rejected', error: what };
  }
}
