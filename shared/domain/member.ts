/**
 * The member directory (委员名册): who may submit and co-sign proposals, and where their notices go.
 * Contact data of members comes only from here, never from a request. Pure: schemas and the
 * directory's rules (who can be a proposer), no I/O. Validation messages are Chinese and name the
 * field, as the office reads them in the console and in the import's error report.
 */
import * as z from '#shared/zod.ts';

/** 委员编号: letters, digits, `-`, `_`, `.`; the first a letter or digit (it appears in URLs and keys). */
export const memberIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const memberIdMessage = '委员编号只能由字母、数字和 - _ . 组成，以字母或数字开头，不超过 64 个字符';

const required = (label: string, max: number) =>
  z.string(`${label}应为文字`).check(z.trim(), z.minLength(1, `${label}不能为空`), z.maxLength(max, `${label}不能超过 ${max} 个字符`));
const optionalText = (label: string, max: number) =>
  z.optional(z.string(`${label}应为文字`).check(z.trim(), z.maxLength(max, `${label}不能超过 ${max} 个字符`)));

export const memberIdSchema = z.lazy(() => z.string('委员编号应为文字').check(z.regex(memberIdPattern, memberIdMessage)));

/** What the office writes for a member (PUT /v1/members/{memberId}); `memberId` comes from the path. */
const fieldsShape = () => ({
  name: required('姓名', 50),
  /** 界别, e.g. 经济界、教育界、中共. */
  sector: required('界别', 50),
  /** 党派, e.g. 民盟、无党派人士 (optional). */
  party: optionalText('党派', 50),
  mobile: z.optional(z.string('手机号码应为文字').check(z.trim(), z.regex(/^(\+?86)?1\d{10}$/, '手机号码应为 11 位数字（以 1 开头）'))),
  email: z.optional(
    z.string('电子邮箱应为文字').check(z.trim(), z.maxLength(254, '电子邮箱过长'), z.email({ message: '电子邮箱地址格式不正确' })),
  ),
  /** 届次, e.g. 第十五届. */
  term: optionalText('届次', 20),
  /** 在任: only an active member signs in, submits and co-signs. */
  active: z._default(z.boolean('在任状态应为 true 或 false'), true),
});
export const memberFieldsSchema = z.lazy(() => z.strictObject(fieldsShape()));

export const memberSchema = z.lazy(() => z.strictObject({ memberId: memberIdSchema, ...fieldsShape(), updatedAt: z.optional(z.string()) }));
export type Member = z.output<typeof memberSchema>;
export type MemberInput = z.input<typeof memberSchema>;

/** Why this member cannot be named as a proposer, or undefined when they can (Chinese, for a 400). */
export function proposerProblem(memberId: string, m: Member | undefined): string | undefined {
  if (!m) return `委员名册中没有编号为 ${memberId} 的委员`;
  if (!m.active) return `委员 ${m.name}（${memberId}）已不在任，不能作为提案人`;
  if (!m.email) return `委员 ${m.name}（${memberId}）在名册中没有电子邮箱，无法收到答复和测评链接，请先在委员名册中补充`;
  return undefined;
}

/** Why a member token is refused (403), or undefined when the member is active in the directory. */
export function signInProblem(memberId: string, m: Member | undefined): string | undefined {
  if (!m) return `委员名册中没有编号为 ${memberId} 的委员，请联系政协提案委员会或政府办公室`;
  if (!m.active) return `委员 ${m.name}（${memberId}）已不在任，不能使用本系统`;
  return undefined;
}

/** The directory's filters (GET /v1/members): 界别, 在任, and text in the id, name, 党派 or 届次. */
export function filterMembers(all: readonly Member[], f: { sector?: string; active?: boolean; q?: string }): Member[] {
  const q = f.q?.trim().toLowerCase();
  return all
    .filter((m) => f.sector === undefined || m.sector === f.sector)
    .filter((m) => f.active === undefined || m.active === f.active)
    .filter((m) => !q || [m.memberId, m.name, m.party ?? '', m.term ?? '', m.sector].some((s) => s.toLowerCase().includes(q)))
    .sort((a, b) => a.memberId.localeCompare(b.memberId));
}
