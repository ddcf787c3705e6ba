import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { OutboundMessage } from '../../core/messages.ts';

/** A browser's web chat on `app`: opened at a QR source, keeping its cookie as a browser would. */
export interface WebChat {
  /** The answer to opening the chat. */
  start: Awaited<ReturnType<FastifyInstance['inject']>>;
  /** The web session id (the chat's id). */
  id: string;
  /** Sends a message and returns the replies (the request must succeed). */
  say(text: string): Promise<OutboundMessage[]>;
}

/** Opens a web chat at `source` (in `lang` when given). */
export async function openWebChat(app: FastifyInstance, source = 'showroom', lang?: string): Promise<WebChat> {
  const start = await app.inject({ method: 'POST', url: '/api/chat/start', payload: { source, ...(lang ? { lang } : {}) } });
  const id = start.cookies.find((c) => c.name === 'sc_chat')?.value ?? '';
  const say = async (text: string): Promise<OutboundMessage[]> => {
    const response = await app.inject({ method: 'POST', url: '/api/chat/messages', payload: { text }, cookies: { sc_chat: id } });
    expect(response.statusCode).toBe(200);
    return response.json<{ replies: OutboundMessage[] }>().replies;
  };
  return { start, id, say };
}
