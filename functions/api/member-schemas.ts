/**
 * Request and response schemas of the member directory's routes (委员名册, 联名确认); see schemas.ts
 * for the rest. Each is `z.lazy`: built when first used.
 */
import * as z from '#shared/zod.ts';
import { memberFieldsSchema, memberIdSchema, memberSchema } from '#domain/member.ts';
import { proposalView, submittedView } from './schemas.ts';

export const memberIdParam = memberIdSchema;

/** PUT /v1/members/{memberId}: the whole record; a `memberId` in the body must be the path's. */
export const memberBody = z.lazy(() => z.extend(memberFieldsSchema._zod.innerType, { memberId: z.optional(z.string()) }));

export const membersQuery = z.lazy(() =>
  z.strictObject({
    sector: z.optional(z.string().check(z.trim(), z.maxLength(50, '界别不能超过 50 个字符'))),
    active: z.optional(z.enum(['true', 'false'], { message: '在任应为 true 或 false' })),
    /** Text in the id, name, 党派, 届次 or 界别. */
    q: z.optional(z.string().check(z.trim(), z.maxLength(100, '检索文字不能超过 100 个字符'))),
  }),
);

export const memberView = memberSchema;
export const memberList = z.lazy(() => z.object({ items: z.array(memberSchema), sectors: z.array(z.string()) }));

/** Who can be named as a proposer: active members, with no contact data (for the 提交提案 form). */
export const memberNameList = z.lazy(() =>
  z.object({
    items: z.array(z.object({ memberId: z.string(), name: z.string(), sector: z.string(), party: z.optional(z.string()) })),
  }),
);

export const cosignBody = z.lazy(() => z.strictObject({ accept: z.boolean('accept 应为 true（同意联名）或 false（不同意联名）') }));

/** The proposal as the co-proposer now sees it; after declining, its id, number and status only. */
export const cosignAnswer = z.lazy(() => z.union([proposalView, submittedView]));
