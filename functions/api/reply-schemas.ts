/**
 * Request schemas of the reply steps (functions/api/reply-routes.ts): 起草/提交, 签发, 会签, 审核.
 * The class codes are the city's (checked by the route against config replies.classes).
 */
import * as z from '#shared/zod.ts';
import { disclosures } from '#domain/proposal.ts';
import { textMax } from '#domain/limits.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1, '不能为空'), z.maxLength(max, `最多 ${max} 个字符`));
const classCode = z.lazy(() => z.string().check(z.regex(/^[A-Za-z0-9]{1,4}$/, '不是有效的答复类别')));

/**
 * 答复 by the lead unit: `draft: true` saves it (editable, nothing sent); otherwise it goes on at once
 * (to the unit head's 签发, or the office, as the city config says). The letter's 联系人, 联系电话 and
 * 公开属性 (依申请公开 / 不予公开 need a reason); absent: 公开 and no contact given.
 */
export const replyBody = z.lazy(() =>
  z
    .strictObject({
      class: classCode,
      text: text(textMax.reply),
      draft: z.optional(z.boolean()),
      contactName: z.optional(text(50)),
      contactPhone: z.optional(
        z.string().check(z.trim(), z.regex(/^[0-9+\-() ]{5,30}$/, '不是有效的电话号码（数字、+、-、括号，5 到 30 位）')),
      ),
      disclosure: z.optional(z.enum(disclosures)),
      disclosureReason: z.optional(text(500)),
    })
    .check(
      z.refine((b) => (b.disclosure ?? 'public') === 'public' || b.disclosureReason !== undefined, {
        path: ['disclosureReason'],
        message: '依申请公开或不予公开的答复需要说明理由',
      }),
    ),
);

/** 签发 by the unit head; `signer`: the 签发人's name (default: the name on the token). */
export const signBody = z.lazy(() => z.strictObject({ signer: z.optional(text(50)) }));

/** 会签 by a co-unit, with an optional note for the lead and the office. */
export const countersignBody = z.lazy(() => z.strictObject({ note: z.optional(text(textMax.countersignNote)) }));

/** 审核通过; the office may correct the class, with a reason. */
export const approveBody = z.lazy(() =>
  z
    .strictObject({ class: z.optional(classCode), reason: z.optional(text(2000)) })
    .check(z.refine((b) => b.class === undefined || b.reason !== undefined, { path: ['reason'], message: '更正答复类别需要说明理由' })),
);
