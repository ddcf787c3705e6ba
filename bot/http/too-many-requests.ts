import type { FastifyReply } from 'fastify';

/** 429 with Retry-After, in the API's `{ error, fields }` shape: nothing was stored, send it again later; `why` names the limit. */
export function tooManyRequests(reply: FastifyReply, retryAfterSeconds: number, why?: string): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .send({ error: why ?? `Too many requests: nothing was saved; please try again in ${retryAfterSeconds} s (请稍后再试)`, fields: {}, retryAfterSeconds });
}
