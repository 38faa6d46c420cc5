/**
 * Request schemas of the office's powers and of a withdrawal (functions/api/office-routes.ts); the
 * OpenAPI document is generated from them. Each is `z.lazy`, as in schemas.ts.
 */
import * as z from '#shared/zod.ts';
import { supervisionModes } from '#domain/proposal.ts';
import { textMax } from '#domain/limits.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1, '不能为空'), z.maxLength(max, `最多 ${max} 个字符`));
const unitId = z.lazy(() => z.string().check(z.regex(/^[a-z0-9-]+$/, '不是有效的承办单位编号')));

/** 重新办理 ordered by the office. */
/** `unit` (分办): the part to re-handle, by its lead unit; the first lead's when not given. */
export const rehandleBody = z.lazy(() =>
  z.strictObject({ reason: text(2000), unit: z.optional(z.string().check(z.regex(/^[a-z0-9-]+$/, '不是有效的承办单位编号'))) }),
);

/** 督办记录: how (实地督查 onsite, 电话督办 phone, 座谈 meeting), when, what; `unit`: the lead unit when left out. */
export const supervisionBody = z.lazy(() =>
  z.strictObject({
    mode: z.enum(supervisionModes),
    note: text(textMax.supervisionNote),
    at: z.iso.datetime({ offset: true, message: '应为带时区偏移的时间，例如 2026-03-01T09:00:00+08:00' }),
    unit: z.optional(unitId),
  }),
);

/** 申请延期 by the lead unit: the reply deadline asked for (a date) and why. */
export const extensionRequestBody = z.lazy(() =>
  z.strictObject({ until: z.iso.date({ message: '应为日期，例如 2026-03-01' }), reason: text(2000) }),
);

/** The office's decision on an extension request. */
export const extensionDecisionBody = z.lazy(() => z.strictObject({ approve: z.boolean(), reason: z.optional(text(2000)) }));

/** The office corrects the title or the category (an empty category clears it); at least one, with a reason. */
export const editBody = z.lazy(() =>
  z
    .strictObject({
      title: z.optional(text(200)),
      category: z.optional(z.string().check(z.trim(), z.maxLength(50, 'longer than 50 characters'))),
      reason: text(2000),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.title === undefined && v.category === undefined)
          ctx.addIssue({ code: 'custom', path: ['title'], message: '请给出要修改的标题或类别' });
      }),
    ),
);

/** 撤案 by a proposer. */
export const withdrawBody = z.lazy(() => z.strictObject({ reason: text(2000) }));

export const extensionRequestNumberParam = z.lazy(() =>
  z
    .pipe(z.coerce.number({ message: '不是有效的延期申请序号' }), z.int('不是有效的延期申请序号'))
    .check(z.positive('不是有效的延期申请序号')),
);
