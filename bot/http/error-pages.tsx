import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { RegistrationRateLimitedError } from '../../core/registration/registration-limits.ts';
import { RegistrationInvalidError } from '../../core/registration/registration-request.ts';
import { TextRefusedError } from '../../core/text/sanitize-text.ts';
import { Layout } from './admin/ui/layout.tsx';
import { sendPage } from './admin/ui/send-page.ts';
import { tooManyRequests } from './too-many-requests.ts';

/** Whether the caller is a browser asking for a page (not the JSON API, not a webhook): it gets an HTML error page. */
function wantsPage(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') && /\btext\/html\b/.test(request.headers.accept ?? '');
}

const TITLES: Record<number, string> = {
  400: '请求有误',
  401: '请登录',
  403: '无权操作',
  404: '页面不存在',
  413: '内容太大',
  415: '格式不支持',
  500: '出错了',
};

/** An error as a page for a browser, or as JSON (`error`, and per field what is wrong) for the API. */
function answer(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  fields: Record<string, string>,
  text: string,
): FastifyReply {
  if (!wantsPage(request)) return reply.code(status).send({ error: message, fields });
  return sendPage(
    reply,
    status,
    <Layout title={TITLES[status] ?? TITLES[400] ?? ''}>
      <p>{text}</p>
      <p>
        <a href={request.url.startsWith('/admin') ? '/admin' : '/'}>← 返回首页</a>
      </p>
    </Layout>,
  );
}

/** Names the rule a body of an unknown content type broke, and what each kind of address takes. */
function unsupportedMediaType(contentType: string | undefined): string {
  const accepted = 'the web APIs take JSON (application/json), the admin forms application/x-www-form-urlencoded';
  return `content-type "${(contentType ?? '').slice(0, 60)}" is not accepted here: ${accepted}`;
}

/**
 * How the server answers what no route answered: refusals as 4xx (a page for a browser, JSON
 * with the fields for the API), unknown addresses as 404, anything else as a logged 500 that
 * says nothing was saved.
 */
export function registerErrorPages(app: FastifyInstance, ctx: AppContext): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RegistrationInvalidError)
      return reply.code(400).send({ error: 'Invalid registration', fields: error.fields });
    if (error instanceof RegistrationRateLimitedError) return tooManyRequests(reply, error.retryAfterSeconds);
    if (error instanceof TextRefusedError) {
      return answer(
        request,
        reply,
        400,
        'Invalid request',
        { [error.field ?? 'body']: error.message },
        '输入的内容含有无法识别的字符（例如半个表情符号），请重新输入。',
      );
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const what =
        error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? unsupportedMediaType(request.headers['content-type'])
          : error.message;
      return answer(request, reply, error.statusCode, what, { body: what }, '这个请求无法处理，请返回页面重新操作。');
    }
    ctx.logger.error({ err: error, url: request.url }, 'request failed');
    return answer(
      request,
      reply,
      500,
      'Internal error: nothing was saved; please try again',
      {},
      '出错了：这次操作没有保存任何内容，请稍后重试。',
    );
  });
  app.setNotFoundHandler((request, reply) =>
    answer(request, reply, 404, 'Not found', {}, '没有这个页面，请检查地址或从首页进入。'),
  );
}
