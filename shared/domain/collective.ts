/** 集体提案: a proposal in the name of a 界别 (sector), 党派 (party) or 专委会 (committee), with a contact member. */
import * as z from '#shared/zod.ts';

export const collectiveKinds = ['sector', 'party', 'committee'] as const;
export type CollectiveKind = (typeof collectiveKinds)[number];
export const collectiveKindNames: Record<CollectiveKind, string> = { sector: '界别', party: '党派', committee: '专委会' };

export const collectiveSchema = z.lazy(() =>
  z.strictObject({
    kind: z.enum(collectiveKinds, { message: '集体提案的类型应为 sector（界别）、party（党派）或 committee（专委会）' }),
    name: z.string('集体名称应为文字').check(z.trim(), z.minLength(1, '集体名称不能为空'), z.maxLength(50, '集体名称不能超过 50 个字符')),
  }),
);
export type Collective = z.output<typeof collectiveSchema>;
