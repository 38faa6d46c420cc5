/**
 * City config (城市配置): the schema an ops team edits per city (see docs/city-config.md).
 * Pure: parsing of YAML and file errors live in shared/adapters/city-config-loader.ts.
 */
import * as z from 'zod';

/** A policy duration: `5wd` (working days 工作日), `10d` (calendar days), `3mo` (months); may be negative. */
export const durationPattern = /^(-?)(\d+)(wd|d|mo)$/;
export type DurationUnit = 'wd' | 'd' | 'mo';
export interface Duration {
  amount: number;
  unit: DurationUnit;
  text: string;
}

export function parseDuration(text: string): Duration | undefined {
  const m = durationPattern.exec(text);
  if (!m) return undefined;
  const [, sign, digits, unit] = m;
  if (unit !== 'wd' && unit !== 'd' && unit !== 'mo') return undefined;
  const value = Number(digits);
  return { amount: sign === '-' ? -value : value, unit, text };
}

const duration = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const d = parseDuration(text);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: `not a duration: "${text}" (use e.g. 5wd, 10d, 3mo)` });
      return z.NEVER;
    }
    return d;
  });

const nonEmpty = z.string().trim().min(1, 'empty');
const email = z.string().trim().min(1, 'empty').pipe(z.email({ message: 'not an email address' }));
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date (YYYY-MM-DD)')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'no such day');
// YAML turns an unquoted 2023-04-21 into a Date; accept it and keep the date part.
const dateString = z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), isoDate);
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'not a time (HH:MM)');
/** A sender: `addr@host` or `Name <addr@host>`. */
const sender = nonEmpty.regex(/^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/, 'not a sender (use "Name <addr@host>" or addr@host)');

export const recipientKinds = ['unit', 'unitHead', 'office', 'leaders'] as const;
export type RecipientKind = (typeof recipientKinds)[number];

const keyword = z.union([
  nonEmpty,
  z.object({ term: nonEmpty, weight: z.number().positive('must be positive').default(1) }).strict(),
], { error: 'not a keyword (a word, or { term: 词, weight: 2 })' });

/** The term of a keyword, for comparisons. */
export function keywordTerm(k: string | { term: string }): string {
  return typeof k === 'string' ? k : k.term;
}

const unit = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'use a-z, 0-9 and -'),
    name: nonEmpty,
    email: z.array(email).min(1, 'at least one address'),
    head: z.array(email).default([]),
    keywords: z
      .array(keyword)
      .default([])
      .superRefine((list, ctx) => {
        const seen = new Map<string, number>();
        list.forEach((k, i) => {
          const term = keywordTerm(k);
          const first = seen.get(term);
          if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate keyword "${term}" (also [${first}])` });
          else seen.set(term, i);
        });
      }),
  })
  .strict();

const escalationStep = z
  .object({
    after: duration,
    level: z.number().int().min(1),
    to: z.array(z.enum(recipientKinds)).min(1),
    repeat: duration.optional(),
  })
  .strict();

const policy = z
  .object({
    acknowledge: duration.default(parseDuration('5wd')!),
    objection: duration.default(parseDuration('7wd')!),
    contact: duration.default(parseDuration('15wd')!),
    coOpinion: duration.default(parseDuration('1mo')!),
    reply: duration.default(parseDuration('3mo')!),
    replyMax: duration.default(parseDuration('6mo')!),
    feedback: duration.default(parseDuration('15wd')!),
    rehandle: duration.default(parseDuration('1mo')!),
    followUp: duration.default(parseDuration('3mo')!),
    reminders: z.array(duration).default([]),
    escalation: z
      .array(escalationStep)
      .default([])
      .superRefine((steps, ctx) => {
        steps.forEach((step, i) => {
          const prev = steps[i - 1];
          if (prev && step.level <= prev.level) ctx.addIssue({ code: 'custom', path: [i, 'level'], message: 'levels must increase' });
        });
      }),
    bulletin: z.enum(['weekly', 'monthly', 'quarterly', 'off']).default('monthly'),
    /** Key proposals (重点提案): other reminder offsets, and the leaders added to every notice. */
    key: z
      .object({ reminders: z.array(duration).optional(), addLeaders: z.boolean().default(true) })
      .strict()
      .default({ addLeaders: true }),
  })
  .strict();

export const cityConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'use a-z, 0-9 and -').max(40),
    name: nonEmpty,
    timeZone: nonEmpty.refine(isTimeZone, 'unknown time zone'),
    aws: z
      .object({
        account: z
          .string({ error: (iss) => (iss.input === undefined ? 'required' : 'write it in quotes, e.g. "123456789012"') })
          .regex(/^\d{12}$/, 'not a 12-digit AWS account id'),
        region: nonEmpty,
        sesRegion: nonEmpty.optional(),
      })
      .strict(),
    email: z
      .object({
        from: sender,
        office: z.array(email).min(1, 'at least one address'),
        leaders: z.array(z.object({ name: nonEmpty, email }).strict()).default([]),
        /** Base URL of links in emails (the web front end or the API). */
        linkBase: z.url().default('http://127.0.0.1:3000'),
        maxSendRate: z.number().positive().default(10),
      })
      .strict(),
    /**
     * Where tokens come from when the region has no Cognito user pools (AWS China): an OIDC issuer
     * and the audience (client id) its tokens carry. Elsewhere the stack creates a user pool.
     */
    auth: z.object({ jwtIssuer: z.url({ message: 'not a URL' }), jwtAudience: nonEmpty }).strict().optional(),
    numbering: z
      .string()
      .refine((s) => s.includes('{seq'), 'must contain {seq} or {seq:N}')
      .default('{year}-{seq:3}'),
    review: z.enum(['auto', 'manual']).default('auto'),
    replyWaitsForCoOpinions: z.boolean().default(true),
    calendar: z
      .object({
        country: z.literal('CN').default('CN'),
        extraHolidays: z.array(dateString).default([]),
        extraWorkdays: z.array(dateString).default([]),
        quietHours: z.object({ from: clockTime, to: clockTime }).strict().optional(),
        /** Years whose national schedule the city entered in extraHolidays/extraWorkdays (beyond the package's data). */
        addedYears: z.array(z.number().int().min(2000).max(2100)).default([]),
      })
      .strict()
      .default({ country: 'CN', extraHolidays: [], extraWorkdays: [], addedYears: [] }),
    policy: policy.default(policy.parse({})),
    assignment: z
      .object({
        titleWeight: z.number().positive().default(3),
        minScore: z.number().nonnegative().default(2),
        coMinScore: z.number().nonnegative().default(2),
        maxCoUnits: z.number().int().nonnegative().default(3),
      })
      .strict()
      .default({ titleWeight: 3, minScore: 2, coMinScore: 2, maxCoUnits: 3 }),
    // Checks across units sit on the array, so they still run when another field is wrong.
    units: z
      .array(unit)
      .min(1, 'at least one unit')
      .superRefine((units, ctx) => {
        const seen = new Map<string, number>();
        units.forEach((u, i) => {
          const first = seen.get(u.id);
          if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate unit id "${u.id}" (also units[${first}])` });
          else seen.set(u.id, i);
        });
      }),
  })
  .strict();

export type CityConfig = z.output<typeof cityConfigSchema>;
export type CityConfigInput = z.input<typeof cityConfigSchema>;
export type UnitConfig = CityConfig['units'][number];

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The display name (e.g. 市商务局) of a unit id; an unknown id is shown as itself. */
export function unitNames(config: Pick<CityConfig, 'units'>): (id: string) => string {
  const names = new Map(config.units.map((u) => [u.id, u.name]));
  return (id) => names.get(id) ?? id;
}

/** Formats a zod issue path the way ops teams read it: `units[3].keywords[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}
