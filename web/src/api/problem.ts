/** problem+json answers (RFC 9457) as a typed error, and their field errors mapped onto form fields. */
export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(detail ? `${title}：${detail}` : title);
    this.name = 'ApiProblem';
  }

  /** From an error answer's status and (parsed or raw) body. */
  static from(status: number, body: unknown): ApiProblem {
    const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const errors = Array.isArray(b.errors)
      ? b.errors.flatMap((e: unknown) => {
          const o = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {};
          return typeof o.path === 'string' && typeof o.message === 'string' ? [{ path: o.path, message: o.message }] : [];
        })
      : [];
    const detail = str(b.detail) || (typeof body === 'string' ? body.slice(0, 200) : '');
    return new ApiProblem(status, str(b.title) || `请求失败（HTTP ${status}）`, detail, errors);
  }
}

export function isProblem(e: unknown): e is ApiProblem {
  return e instanceof ApiProblem;
}

/** The API's field messages (English, from its validation) as a clerk reads them; an unknown one is shown as it is. */
const zhMessages: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^empty$/, () => '不能为空'],
  [/^Invalid input: expected \w+, received undefined$/, () => '必填'],
  [/^Invalid option/, () => '请选择一项'],
  [/^longer than (\d+) characters$/, (m) => `不能超过 ${m[1]} 个字`],
  [/^not an email address$|^Invalid email/, () => '电子邮箱格式不正确'],
  [/^not a date/, () => '日期格式不正确（年-月-日）'],
  [/^unknown field$/, () => '不支持的字段'],
  [/^unknown unit (.+)$/, (m) => `未知的单位 ${m[1]}`],
  [/^at least one proposer$/, () => '至少需要一位提案人'],
];

export function zhMessage(message: string): string {
  for (const [re, to] of zhMessages) {
    const m = re.exec(message);
    if (m) return to(m);
  }
  return message;
}

/** `proposers[0].email` -> `proposers.0.email` (how el-form-item props name nested fields). */
export function normalizePath(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

export interface MappedErrors {
  /** Form prop -> the messages for it (joined). */
  fields: Record<string, string>;
  /** Messages no field of the form names (shown above the form). */
  other: string[];
}

/**
 * Maps a problem's `errors[].path` onto the props of a form: the exact prop (`proposers.0.email`),
 * else the longest prop that is a prefix of the path (`co.0` -> `co`). Unmatched errors, and a
 * problem without field errors (409, 403, ...), go to `other`.
 */
export function mapFieldErrors(problem: ApiProblem, props: readonly string[]): MappedErrors {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const e of problem.errors) {
    const path = normalizePath(e.path);
    const prop = props.includes(path)
      ? path
      : props.filter((p) => path.startsWith(`${p}.`)).sort((a, b) => b.length - a.length)[0];
    const message = zhMessage(e.message);
    if (prop === undefined) other.push(`${e.path}：${message}`);
    else fields[prop] = fields[prop] ? `${fields[prop]}；${message}` : message;
  }
  if (problem.errors.length === 0) other.push(problem.message);
  return { fields, other };
}
