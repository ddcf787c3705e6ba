import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake channel answers one request. */
export type FakeChannelAnswer =
  /** Delivered: 200 `{ ok: true, id }`. */
  | { kind: 'ok' }
  /** 429 with Telegram's `parameters.retry_after` (seconds); not delivered. */
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  /** A 5xx (default 502); not delivered. */
  | { kind: 'server-error'; status?: number }
  /** A 4xx other than 429 (default 400): the platform refuses the message itself. */
  | { kind: 'refused'; status?: number };

export interface FakeChannelServerOptions {
  /**
   * The answer to a request for `key`; `attempt` is 0 for the first request carrying that key.
   * Default: always `ok`.
   */
  answer?: (key: string, attempt: number) => FakeChannelAnswer;
  /**
   * How long to hold the answer, in ms (0 = at once). A delivered message is recorded when the
   * request arrives, before the delay: the delay is the "request left, no answer yet" window.
   */
  delayMs?: number | ((key: string) => number);
}

/** A running fake channel on 127.0.0.1. */
export interface FakeChannelServer {
  /** `http://127.0.0.1:<port>`; messages go to `${url}/send`. */
  url: string;
  /** Delivered messages: how many times each key was accepted (answered, or about to be, with 200). */
  received: Map<string, number>;
  /** Every request per key, delivered or not (429, 5xx, 4xx included). */
  requests: Map<string, number>;
  /** Requests whose answer could not be written because the client had gone (killed mid-call). */
  unanswered(): number;
  close(): Promise<void>;
}

interface SendBody {
  key: string;
  address: string;
  text: string;
}

function parseBody(raw: string): SendBody | null {
  try {
    const body = JSON.parse(raw) as Partial<SendBody>;
    return typeof body.key === 'string' && typeof body.address === 'string' && typeof body.text === 'string' ? (body as SendBody) : null;
  } catch {
    return null;
  }
}

/**
 * A tiny HTTP channel (`POST /send` with JSON `{ key, address, text }`) that records every key
 * it accepts, for tests that must prove a message went out at most once. Answers like Telegram's
 * Bot API: `{ ok: true, result: ... }` on success, `{ ok: false, error_code, description,
 * parameters: { retry_after } }` on failure.
 */
export async function startFakeChannelServer(options: FakeChannelServerOptions = {}): Promise<FakeChannelServer> {
  const received = new Map<string, number>();
  const requests = new Map<string, number>();
  const answer = options.answer ?? (() => ({ kind: 'ok' }) as const);
  const delayOf = typeof options.delayMs === 'function' ? options.delayMs : () => (options.delayMs as number | undefined) ?? 0;
  const timers = new Set<NodeJS.Timeout>();
  let nextId = 1;
  let unanswered = 0;

  const reply = (res: http.ServerResponse, status: number, body: unknown, delayMs: number): void => {
    const write = () => {
      if (res.destroyed || res.socket?.destroyed) {
        unanswered += 1;
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (delayMs <= 0) return write();
    const timer = setTimeout(() => {
      timers.delete(timer);
      write();
    }, delayMs);
    timers.add(timer);
  };

  const server = http.createServer((req, res) => {
    // A client killed mid-request resets the connection; that is expected here, not an error.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    if (req.method !== 'POST' || req.url !== '/send') {
      reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' }, 0);
      return;
    }
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const body = parseBody(raw);
      if (!body) {
        reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: body must be JSON { key, address, text }' }, 0);
        return;
      }
      const attempt = requests.get(body.key) ?? 0;
      requests.set(body.key, attempt + 1);
      const decided = answer(body.key, attempt);
      const delayMs = delayOf(body.key);
      switch (decided.kind) {
        case 'ok': {
          received.set(body.key, (received.get(body.key) ?? 0) + 1);
          const id = `fake-${nextId++}`;
          reply(res, 200, { ok: true, id, result: { message_id: id, chat: { id: body.address } } }, delayMs);
          break;
        }
        case 'rate-limited':
          reply(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${decided.retryAfterSeconds}`, parameters: { retry_after: decided.retryAfterSeconds } }, delayMs);
          break;
        case 'server-error': {
          const status = decided.status ?? 502;
          reply(res, status, { ok: false, error_code: status, description: http.STATUS_CODES[status] ?? 'Server Error' }, delayMs);
          break;
        }
        case 'refused': {
          const status = decided.status ?? 400;
          reply(res, status, { ok: false, error_code: status, description: `${http.STATUS_CODES[status] ?? 'Refused'}: the message is refused` }, delayMs);
          break;
        }
        default:
          decided satisfies never;
      }
    });
  });
  // Connections from killed clients must not keep close() waiting.
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    requests,
    unanswered: () => unanswered,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
