import type { FastifyReply } from 'fastify';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { html } from '../html.ts';
import { adminPage } from './admin-layout.ts';

/** Answers with an HTML page. */
export function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

/** Answers 403 or 404 with a page that says why, and where to go back to. */
export function refusePage(reply: FastifyReply, staff: StaffPrincipal, status: 403 | 404, opts: { title: string; text: string; back: string }): FastifyReply {
  return sendHtml(reply, status, adminPage({ title: opts.title, staff, flash: { ok: false, text: opts.text }, content: html`<p><a href="${opts.back}">← 返回</a></p>` }));
}

/** The messages of a refused form, beside each field. */
export function fieldError(errors: Record<string, string> | undefined, name: string) {
  return errors?.[name] ? html`<p class="field-error" data-error="${name}">${errors[name]}</p>` : '';
}
