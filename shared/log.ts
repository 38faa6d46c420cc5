/**
 * Structured JSON logs for CloudWatch: one line per call with level, message, timestamp, service
 * `proposals`, the city once the state knows it, the request id during an invocation (set by the
 * requestId middleware, functions/middlewares.ts), the X-Ray trace id in Lambda, then the fields
 * (the shape the Powertools logger writes, in ~40 lines instead of its 20 KB of bundle).
 * LOG_LEVEL: debug | info (default) | warn | error | silent (tests); read on every call, so a test
 * can change it. Errors are reduced to name, message and stack so they serialise; a field that
 * cannot (a cycle, a bigint) is written as text, never thrown.
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

/** JSON.stringify that writes a cycle as "[Circular]" and a bigint as its digits. */
function stringify(line: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(line, (_key, raw: unknown) => {
    const v = plain(raw);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[Circular]';
      seen.add(v);
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
