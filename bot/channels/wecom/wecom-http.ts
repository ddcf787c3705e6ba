// One HTTP exchange with the WeCom server API, with a timeout, turning every transport failure
// into a WecomNetworkError that says whether the request could have reached WeCom. The URL
// carries the access_token, so it never appears in an error message.
import { WecomNetworkError } from './wecom-errors.ts';

/** Connection errors that mean the request never reached WeCom: safe to send again. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** How to reach WeCom. */
export interface WecomHttp {
  fetch: typeof fetch;
  timeoutMs: number;
}

/**
 * GETs `url` (no body) or POSTs `body` as JSON, and returns the parsed JSON object.
 * @param method the API path, for error messages.
 * @param signal aborts the call early (e.g. on shutdown); counts as "no answer".
 */
export async function wecomExchange(http: WecomHttp, method: string, url: URL, body: unknown, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const timeout = AbortSignal.timeout(http.timeoutMs);
  const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
  let text: string;
  try {
    const response = await http.fetch(url, body === undefined
      ? { method: 'GET', signal: combined }
      : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal: combined });
    text = await response.text();
  } catch (error) {
    throw transportError(method, error, timeout.aborted, http.timeoutMs);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WecomNetworkError('bad-answer', method, `${text.length} bytes that are not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new WecomNetworkError('bad-answer', method, 'JSON that is not an object');
  return parsed as Record<string, unknown>;
}

function transportError(method: string, error: unknown, timedOut: boolean, timeoutMs: number): WecomNetworkError {
  if (timedOut) return new WecomNetworkError('no-answer', method, `no answer within ${timeoutMs} ms`);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code && NEVER_SENT.has(code)) return new WecomNetworkError('not-sent', method, code);
  const detail = code ?? (error instanceof Error ? error.name : 'unknown error');
  return new WecomNetworkError('no-answer', method, detail);
}
