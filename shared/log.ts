/**
 * Structured JSON logs for CloudWatch: one line per call with level, message, timestamp, service
 * `proposals`, the city once the state knows it, the request id during an invocation (set by the
 * requestId middleware, functions/middlewares.ts), the X-Ray trace id in Lambda, then the fields
 * (the shape the Powertools logger writes, in ~40 lines instead of its 20 KB of bundle).
 * LOG_LEVEL: debug | info (default) | warn | error | silent (tests); read on every call, so a test
 * can change it. Errors are reduced to name, message and stack so they serialise; a field that
 * cannot (a cycle, a bigint) is written as text, never thrown.
 * Personal data: every text of a line (message, field values and names, error messages and stacks)
 * goes through `maskPersonalData`, so email addresses and phone numbers are never written whole
 * (logs are kept 180 days). Callers still log ids and counts, never request bodies or whole
 * notifications.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const v = process.env.LOG_LEVEL;
  if (v === 'silent') return Infinity;
  return v === 'debug' || v === 'info' || v === 'warn' || v === 'error' ? order[v] : order.info;
}

function plain(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/** A mainland mobile number (11 digits from 13-19), with or without +86 and separators. */
const MOBILE = /(?<![\w+])(\+?86[-\s]?)?(1[3-9]\d)[-\s]?\d{4}[-\s]?(\d{4})(?!\w)/g;
/** A landline: area code 0xx / 0xxx, then 7 or 8 digits. */
const LANDLINE = /(?<![\w+])\(?(0\d{2,3})\)?[-\s]?\d{3,4}(\d{4})(?!\w)/g;

function maskEmail(address: string): string {
  const at = address.indexOf('@');
  const local = address.slice(0, at);
  return `${local.slice(0, local.length > 2 ? 2 : 1)}***${address.slice(at)}`;
}

/**
 * Masks the email addresses and phone numbers in a text: zhangsan@example.gov.cn ->
 * zh***@example.gov.cn (the domain stays: which provider refuses mail), 13812345678 -> 138****5678,
 * 0571-87654321 -> 0571-****4321.
 */
export function maskPersonalData(text: string): string {
  if (!/[@\d]/.test(text)) return text;
  return text.replace(EMAIL, maskEmail).replace(MOBILE, '$1$2****$3').replace(LANDLINE, '$1-****$2');
}

/** The object, or a copy with masked property names when one holds personal data (e.g. a map by address). */
function withMaskedKeys(o: object): object {
  const entries = Object.entries(o);
  if (entries.every(([k]) => maskPersonalData(k) === k)) return o;
  return Object.fromEntries(entries.map(([k, v]) => [maskPersonalData(k), v]));
}

/** JSON.stringify that masks personal data in every text, writes a cycle as "[Circular]" and a bigint as its digits. */
function stringify(line: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(line, (_key, raw: unknown) => {
    const v = plain(raw);
    if (typeof v === 'string') return maskPersonalData(v);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[Circular]';
      seen.add(v);
      if (!Array.isArray(v)) return withMaskedKeys(v);
    }
    return v;
  });
}

let city: string | undefined;
/**
 * The invocation's request id. One module variable, not an AsyncLocalStorage: a Lambda container runs
 * one invocation at a time. (The local runtime runs several at once in one process; there a line may
 * carry the id of another invocation running beside it, or none.)
 */
let requestId: string | undefined;

function write(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < threshold()) return;
  const trace = /Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1];
  const line = {
    level: level.toUpperCase(),
    message,
    // Wall time of the machine, not the (movable) business clock of shared/clock.ts.
    timestamp: new Date().toISOString(),
    service: 'proposals',
    ...(city ? { city } : {}),
    ...(requestId ? { requestId } : {}),
    ...(trace ? { xray_trace_id: trace } : {}),
    ...fields,
  };
  (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${stringify(line)}\n`);
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
  info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => write('error', m, f),
  /** Adds the city to every later line. */
  forCity: (cityId: string) => {
    city = cityId;
  },
  /** Adds the request id to every later line; undefined (the invocation ended) stops it. */
  forRequest: (id: string | undefined) => {
    requestId = id;
  },
};
