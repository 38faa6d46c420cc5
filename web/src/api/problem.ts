/** problem+json answers (RFC 9457) as a typed error, and their field errors mapped onto form fields. */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * What each problem status means to a clerk. The API's `detail` is Chinese; it is shown where it
 * says what to do (see ApiProblem), else this general message.
 */
const statusMessages: Record<number, string> = {
  0: '网络错误，请检查网络连接后重试',
  400: '提交的内容有误，请检查后重试',
  401: '登录已失效，请重新登录',
  403: '无权进行此操作',
  404: '未找到请求的内容，可能已删除或无权查看',
  405: '不支持此操作',
  409: '提案状态已变化，请刷新页面后重试',
  413: '提交的内容过大',
  429: '请求过于频繁，请稍后重试',
  500: '服务器出错，请稍后重试',
  502: '服务暂不可用，请稍后重试',
  503: '服务暂不可用，请稍后重试',
  504: '服务器响应超时，请稍后重试',
};

const hasChinese = (s: string) => /[\u3400-\u9fff]/.test(s);

/** The Chinese message for a problem's status (the title, when Chinese, for a status not listed). */
export function statusMessage(status: number, title = ''): string {
  return statusMessages[status] ?? (hasChinese(title) ? title : `请求失败（HTTP ${status}）`);
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    /** The API's own words: shown when Chinese for a refusal that says why (403, 409 e.g. "正在等待协办单位…", 422, 429). */
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(hasChinese(detail) && [403, 409, 422, 429].includes(status) ? detail : statusMessage(status, title));
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

/**
 * The API's field messages (English, from its validation) as a clerk reads them. A message already
 * in Chinese is shown as it is; an English one no rule knows, as a plain 内容不正确 (never English).
 */
const zhMessages: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^empty$/, () => '不能为空'],
  [/^Invalid input: expected \w+, received undefined$/, () => '必填'],
  [/^Invalid input: expected (string|number|boolean|array|object)/, () => '格式不正确'],
  [/^Too small: expected string to have >=1 characters?$/, () => '不能为空'],
  [/^Too big: expected string to have <=(\d+) characters?$/, (m) => `不能超过 ${m[1]} 个字`],
  [/^Invalid option/, () => '请选择一项'],
  [/^longer than (\d+) characters$/, (m) => `不能超过 ${m[1]} 个字`],
  [/^not an email( address)?$|^Invalid email/, () => '电子邮箱格式不正确'],
  [/^not a date/, () => '日期格式不正确（年-月-日）'],
  [/^unknown field$/, () => '不支持的字段'],
  [/^unknown unit (.+)$/, (m) => `未知的单位 ${m[1]}`],
  [/^not a unit id$/, () => '不是有效的单位'],
  [/^not a reply number$/, () => '不是有效的答复序号'],
  [/^at least one proposer$/, () => '至少需要一位提案人'],
  [/^at most (\d+) proposers$/, (m) => `提案人不能超过 ${m[1]} 位`],
  [/^at least one unit$/, () => '至少需要一个单位'],
  [/^same memberId as proposers\[(\d+)\]/, (m) => `与第${Number(m[1]) + 1}位提案人的委员编号重复`],
  [/^must include the submitting member$/, () => '提案人须包括提交提案的委员本人'],
  [/^a proposal cannot be merged into itself$/, () => '不能并入提案本身'],
];

export function zhMessage(message: string): string {
  for (const [re, to] of zhMessages) {
    const m = re.exec(message);
    if (m) return to(m);
  }
  return hasChinese(message) ? message : '内容不正确';
}

/** The fields the API names in its errors, as the forms label them (for errors no field of the form shows). */
const fieldNames: Record<string, string> = {
  title: '标题',
  body: '正文',
  category: '类别',
  proposers: '提案人',
  memberId: '委员编号',
  name: '姓名',
  email: '电子邮箱',
  unit: '承办单位',
  lead: '主办单位',
  co: '协办单位',
  text: '内容',
  reason: '理由',
  class: '答复类别',
  mode: '联系方式',
  at: '时间',
  note: '情况记录',
  until: '延至',
  satisfaction: '满意度',
  comment: '评价意见',
  mergeInto: '并入提案',
  decision: '审查结果',
  sector: '界别',
  party: '党派',
  mobile: '手机',
  term: '届次',
  active: '在任',
  collective: '集体提案',
  kind: '类型',
};

/** `proposers[1].email` -> 提案人第2项 电子邮箱; an unknown segment is dropped (`(body)` -> ''). */
export function fieldLabel(path: string): string {
  return normalizePath(path)
    .split('.')
    .map((seg) => (/^\d+$/.test(seg) ? `第${Number(seg) + 1}项` : (fieldNames[seg] ?? '')))
    .filter(Boolean)
    .join(' ')
    .replace(/ (第\d+项)/g, '$1');
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
    const prop = props.includes(path) ? path : props.filter((p) => path.startsWith(`${p}.`)).sort((a, b) => b.length - a.length)[0];
    const message = zhMessage(e.message);
    const label = fieldLabel(e.path);
    if (prop === undefined) other.push(label ? `${label}：${message}` : message);
    else fields[prop] = fields[prop] ? `${fields[prop]}；${message}` : message;
  }
  if (problem.errors.length === 0) other.push(problem.message);
  return { fields, other };
}

/** What to tell a person about a failure: a problem's (or our own Chinese) message; a script's English error in general words. */
export function errorMessage(e: unknown): string {
  if (isProblem(e)) return e.message;
  if (e instanceof Error && hasChinese(e.message)) return e.message;
  console.error(e);
  return '出现错误，请刷新页面后重试';
}
