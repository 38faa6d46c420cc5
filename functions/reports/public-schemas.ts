/**
 * Schemas of the public results (办理结果公开) and the reply letters (答复函): public-routes.ts and
 * letter-routes.ts. Built on first use like schemas.ts. The public queries are not strict: a link
 * with an extra parameter (a mail client's tracking, say) still opens.
 */
import * as z from '#shared/zod.ts';
import { proposalIdParam, replyNumberParam } from '#functions/http/params.ts';

const yearMessage = '年份应为 2000 至 2100 之间的整数';
const year = () =>
  z.optional(
    z.pipe(z.coerce.number({ message: yearMessage }), z.int(yearMessage)).check(z.gte(2000, yearMessage), z.lte(2100, yearMessage)),
  );

export const publicRepliesQuery = z.lazy(() => z.object({ year: year() }));

/** GET /v1/letter: the reply (`id`, `n`), and the proposer's link token from the reply email, if any. */
export const letterQuery = z.lazy(() =>
  z.object({
    id: proposalIdParam,
    n: replyNumberParam,
    token: z.optional(z.string().check(z.maxLength(2000, '链接令牌过长'))),
  }),
);

const publicReply = z.lazy(() =>
  z.object({
    number: z.string(),
    title: z.string(),
    proposers: z.array(z.string()),
    unit: z.string(),
    unitName: z.string(),
    class: z.string(),
    className: z.string(),
    text: z.string(),
    repliedAt: z.string(),
    repliedOn: z.string(),
    round: z.int(),
    docNumber: z.optional(z.string()),
    letterUrl: z.string(),
  }),
);

export const publicReplyList = z.lazy(() => z.object({ year: z.int(), items: z.array(publicReply) }));
