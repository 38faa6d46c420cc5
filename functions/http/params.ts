/** Path and query parameters both HTTP functions (api, reports) parse: a proposal's id, a reply's number. */
import * as z from '#shared/zod.ts';

export const proposalIdParam = z.lazy(() => z.uuid({ message: '不是有效的提案编号' }));

export const replyNumberParam = z.lazy(() =>
  z.pipe(z.coerce.number({ message: '不是有效的答复序号' }), z.int('不是有效的答复序号')).check(z.positive('不是有效的答复序号')),
);
