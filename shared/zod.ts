/**
 * The project's zod: `zod/mini`, the tree-shakable build (functions instead of methods), which keeps
 * the Lambda bundles small and their cold start short. Unlike `zod`, it loads no locale: the messages
 * are configured here, once, before any schema parses. They are Chinese (API.md: Chinese text
 * everywhere; a field's problem reaches the console as `errors[].message`): our own wording
 * (`chineseMessage`), which answers every issue, so zod's zh-CN locale is not loaded (zod asks a
 * locale only when the custom error gives no message; zh-CN also names types in English, "期望
 * string，实际接收 undefined"). The city config, read by ops engineers in a terminal, is
 * validated with zod's English messages (shared/adapters/city-config-loader.ts, which alone loads them).
 * Use `import * as z from '#shared/zod.ts'` (a namespace import, so that the bundler keeps only what
 * is used). package.json declares every other module free of import side effects (so unused ones
 * leave the bundles) and lists this one under `sideEffects`: the `config` call below must stay in
 * every bundle (test/infra/bundles.test.ts checks a bundled api's Chinese messages).
 */
import { config, type core } from 'zod/mini';

const typeNames: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  bigint: '整数',
  boolean: '布尔值',
  object: '对象',
  record: '对象',
  array: '数组',
  tuple: '数组',
  set: '集合',
  map: '映射',
  date: '日期',
  null: '空值',
  undefined: '空',
  nan: '非数字',
  file: '文件',
};

const formatNames: Record<string, string> = {
  email: '电子邮件地址',
  url: '网址',
  uuid: '编号',
  guid: '编号',
  datetime: '带时区偏移的日期时间，例如 2026-03-01T09:00:00+08:00',
  date: '日期，例如 2026-03-01',
  time: '时间，例如 09:00',
  duration: '时长',
};

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : v instanceof Date ? 'date' : Number.isNaN(v) ? 'nan' : typeof v;
const typeName = (t: string) => typeNames[t] ?? '其他类型';
const value = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));

/** Our Chinese wording of an issue, for every issue (a schema's or a parse's own message comes first). */
function chineseMessage(issue: core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `必填，应为${typeName(issue.expected)}`;
      return `应为${typeName(issue.expected)}，收到的是${typeName(typeOf(issue.input))}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `应为 ${value(issue.values[0])}` : `应为以下之一：${issue.values.map(value).join('、')}`;
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return `最多 ${max} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${max} 项`;
      if (issue.origin === 'file') return `最大 ${max} 字节`;
      return issue.inclusive ? `不能大于 ${max}` : `应小于 ${max}`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${min} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return `至少 ${min} 项`;
      if (issue.origin === 'file') return `至少 ${min} 字节`;
      return issue.inclusive ? `不能小于 ${min}` : `应大于 ${min}`;
    }
    case 'invalid_format':
      if (issue.format === 'starts_with' && 'prefix' in issue) return `应以 ${value(issue.prefix)} 开头`;
      if (issue.format === 'ends_with' && 'suffix' in issue) return `应以 ${value(issue.suffix)} 结尾`;
      if (issue.format === 'includes' && 'includes' in issue) return `应包含 ${value(issue.includes)}`;
      return formatNames[issue.format] ? `应为有效的${formatNames[issue.format]}` : '格式不正确';
    case 'not_multiple_of':
      return `应为 ${issue.divisor} 的倍数`;
    case 'unrecognized_keys':
      return `未知字段：${issue.keys.join('、')}`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options) && issue.options.length
        ? `应为以下之一：${issue.options.map(value).join('、')}`
        : '不符合任何一种允许的格式';
    case 'invalid_key':
      return '包含无效的键';
    case 'invalid_element':
      return '包含无效的值';
    default:
      return '输入无效';
  }
}

config({ customError: chineseMessage });

export * from 'zod/mini';
/** The error class itself, for `instanceof` (reaching it as `z.core.$ZodError` keeps all of zod's core, every locale included, in a bundle). */
export { $ZodError } from 'zod/v4/core';
