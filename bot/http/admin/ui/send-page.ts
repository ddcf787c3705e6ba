import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Renders a page (a Layout) to HTML: preact escapes every text and attribute value. */
export function renderPage(page: VNode): string {
  return `<!doctype html>\n${renderToString(page)}`;
}

/** Answers with a rendered page. */
export function sendPage(reply: FastifyReply, status: number, page: VNode): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(renderPage(page));
}
