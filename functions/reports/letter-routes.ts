/**
 * The 答复函 (reply letter) as a printable page: for a signed-in reader at
 * /v1/proposals/{id}/replies/{n}/letter (whoever may see the reply), and at /v1/letter?id=&n=[&token=]
 * without sign-in: the link in the reply email (the proposer's token) or a published (公开) reply.
 * Two paths because API Gateway checks the JWT per route: the public one has no authorizer.
 * Anything this reader may not read is a 404, as if it were not there (shared/app/reply-letter.ts).
 */
import { NotFound } from '#app/errors.ts';
import { replyLetter } from '#app/reply-letter.ts';
import { renderLetterNotFound } from '#render/reply-letter.ts';
import { parse, text } from '#functions/http/http.ts';
import { authed, publicRoute, type Route } from '#functions/http/router.ts';
import { proposalIdParam, replyNumberParam } from '#functions/http/params.ts';
import { letterQuery } from './public-schemas.ts';

const html = 'text/html; charset=utf-8';
/** The letter holds a proposer's name and the unit's phone: no shared caches, no Referer with the token, no script. */
const headers = {
  'cache-control': 'private, no-store',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

export const letterRoutes: Route[] = [
  authed(
    'GET',
    '/v1/proposals/:id/replies/:n/letter',
    ['office', 'leader', 'unit', 'member', 'committee'],
    async ({ state, who, params }) => {
      const id = parse(proposalIdParam, params.id, 'id');
      const n = parse(replyNumberParam, params.n, 'n');
      const page = await replyLetter(state, id, n, { who });
      if (!page) throw new NotFound(`答复 ${id}/${n}`);
      return text(200, page, html, headers);
    },
    { operationId: 'getReplyLetter', summary: '答复函（可打印的 A4 页面）', contentTypes: ['text/html'] },
  ),

  publicRoute(
    'GET',
    '/v1/letter',
    async ({ event, state }) => {
      const q = parse(letterQuery, event.queryStringParameters ?? {});
      const page = await replyLetter(state, q.id, q.n, q.token ? { token: q.token } : 'anyone');
      return page ? text(200, page, html, headers) : text(404, renderLetterNotFound(state.config.name), html, headers);
    },
    {
      operationId: 'getReplyLetterByLink',
      summary: '答复函（答复邮件中的链接，凭提案人令牌；或已公开的答复，无需登录）',
      query: letterQuery,
      contentTypes: ['text/html'],
      pageErrors: [404],
    },
  ),
];
