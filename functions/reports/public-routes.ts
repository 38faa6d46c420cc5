/**
 * 办理结果公开, for anyone (no sign-in): the year's published replies as JSON and as a page. Nothing
 * else is public (shared/app/public-replies.ts says what a published reply shows). The answers may be
 * cached for a few minutes.
 */
import { publicReplies } from '#app/public-replies.ts';
import { renderPublicReplies } from '#render/public-replies.ts';
import { json, parse, text } from '#functions/http/http.ts';
import { publicRoute, type Route } from '#functions/http/router.ts';
import * as S from './public-schemas.ts';

const cache = { 'cache-control': 'public, max-age=300' };

export const publicReplyRoutes: Route[] = [
  publicRoute(
    'GET',
    '/v1/public/replies',
    async ({ event, state }) => {
      const q = parse(S.publicRepliesQuery, event.queryStringParameters ?? {});
      return json(200, await publicReplies(state, q), cache);
    },
    {
      operationId: 'listPublicReplies',
      query: S.publicRepliesQuery,
      summary: '办理结果公开：某年度经审核并标注公开的答复（无需登录，不含联系方式）',
      response: S.publicReplyList,
    },
  ),

  publicRoute(
    'GET',
    '/v1/public/replies/page',
    async ({ event, state }) => {
      const q = parse(S.publicRepliesQuery, event.queryStringParameters ?? {});
      const page = await publicReplies(state, q);
      return text(200, renderPublicReplies({ city: state.config.name, ...page }), 'text/html; charset=utf-8', {
        ...cache,
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      });
    },
    {
      operationId: 'getPublicRepliesPage',
      query: S.publicRepliesQuery,
      summary: '办理结果公开页面（无需登录）',
      contentTypes: ['text/html'],
    },
  ),
];
