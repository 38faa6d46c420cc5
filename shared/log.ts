/**
 * Structured JSON logs for CloudWatch on the Powertools logger (service `proposals`, the city as a
 * persistent key once the state knows it). LOG_LEVEL: debug | info (default) | warn | error | silent
 * (tests); read on every call, so a test can change it. Errors are reduced to name, message and
 * stack so they serialise.
 */
import { Logger } from '@aws-lambda-powertools/logger';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const v = process.env.LOG_LEVEL;
  if (v === 'silent') return Infinity;
  return v === 'debug' || v === 'info' || v === 'warn' || v === 'error' ? order[v] : order.info;
}

function plain(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  return out;
}

// The level is ours (above); Powertools passes everything it is given. Built on the first line
// written: an invocation that logs nothing (most api requests) never pays for it.
let logger: Logger | undefined;
let city: string | undefined;
const theLogger = () => (logger ??= new Logger({ serviceName: 'proposals', logLevel: 'DEBUG', ...(city ? { persistentKeys: { city } } : {}) }));

function write(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < threshold()) return;
  theLogger()[level](message, plain(fields));
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
  info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => write('error', m, f),
  /** Adds the city to every later line. */
  forCity: (cityId: string) => {
    city = cityId;
    logger?.appendPersistentKeys({ city: cityId });
  },
};
