/**
 * shared/zod.ts words every issue in Chinese itself (its customError answers every issue code), so no
 * zod locale is loaded: a message zod would have to ask a locale for would come out as zod's English
 * "Invalid input". Each kind of issue a schema raises here gets our wording.
 */
import { describe, expect, it } from 'vitest';
import * as z from '#shared/zod.ts';

const messageOf = (schema: z.ZodMiniType, input: unknown): string => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected an issue');
  return r.error.issues[0]!.message;
};

describe('zod messages (shared/zod.ts)', () => {
  it('no locale is configured: the custom error answers every issue', () => {
    expect(z.config().localeError).toBeUndefined();
    expect(z.config().customError).toBeTypeOf('function');
  });

  it.each([
    ['invalid_type, missing', z.object({ a: z.string() }), {}, '必填，应为文字'],
    ['invalid_type', z.string(), 1, '应为文字，收到的是数字'],
    ['invalid_value', z.enum(['a', 'b']), 'c', '应为以下之一："a"、"b"'],
    ['too_big', z.string().check(z.maxLength(2)), 'abc', '最多 2 个字符'],
    ['too_small', z.array(z.string()).check(z.minLength(1)), [], '至少 1 项'],
    ['invalid_format', z.email(), 'x', '应为有效的电子邮件地址'],
    ['not_multiple_of', z.number().check(z.multipleOf(5)), 3, '应为 5 的倍数'],
    ['unrecognized_keys', z.strictObject({}), { x: 1 }, '未知字段：x'],
    ['invalid_union', z.union([z.string(), z.number()]), true, '不符合任何一种允许的格式'],
    ['invalid_key', z.record(z.string().check(z.minLength(2)), z.number()), { a: 1 }, '包含无效的键'],
    ['custom', z.string().check(z.refine(() => false)), 'x', '输入无效'],
  ] as const)('%s: our Chinese wording', (_code, schema, input, message) => {
    expect(messageOf(schema, input)).toBe(message);
  });
});
