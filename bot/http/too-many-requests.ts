import type { FastifyReply } from 'fastify';

/** 429 with Retry-After, in the API's `{ error, fields }` shape: nothing was stored, send it again later. */
export function tooManyRequests(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .send({ error: `Too many requests: nothing was saved; please try again in ${retryAfterSeconds} s (请稍后再试)`, fields: {}, retryAfterSeconds });
}
