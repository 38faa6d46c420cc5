/**
 * Request schemas of the committee's and the key proposals' routes (key-proposal-routes.ts), built on
 * first use like schemas.ts.
 */
import * as z from '#shared/zod.ts';
import { textMax } from '#domain/limits.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1, '不能为空'), z.maxLength(max, `最多 ${max} 个字符`));

/** 重点提案 and its 领办领导 (a leader's name, as GET /v1/me lists them). */
export const keyBody = z.lazy(() => z.strictObject({ key: z.boolean(), leader: z.optional(text(50)) }));
/** 批示 */
export const instructionBody = z.lazy(() => z.strictObject({ text: text(textMax.instruction) }));
/** 退回提案委员会 */
export const returnToCommitteeBody = z.lazy(() => z.strictObject({ reason: text(2000) }));
export const instructionNumberParam = z.lazy(() =>
  z.pipe(z.coerce.number({ message: '不是有效的批示序号' }), z.int('不是有效的批示序号')).check(z.positive('不是有效的批示序号')),
);
