/**
 * Structured JSON logs (one line per entry) for CloudWatch. LOG_LEVEL: debug | info (default) | warn | error | silent (tests).
 * Errors are reduced to name, message and stack so they serialise.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const v = process.env.LOG_LEVEL;
  if (v === 'silent') return Infinity;
  return v === 'debug' || v === 'info' || v === 'warn' || v === 'error' ? order[v] : order.info;
}

function plain(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

function write(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < threshold()) return;
  const entry: Record<string, unknown> = { level, message, time: new Date().toISOString() };
  for (const [k, v] of Object.entries(fields)) entry[k] = plain(v);
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${JSON.stringify(entry)}\n`);
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
  info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => write('error', m, f),
};
