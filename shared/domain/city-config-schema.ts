/**
 * The city config schema (城市配置): what an ops team may write, with defaults, as zod. Used where
 * the YAML is read (city-config-loader.ts: cdk synth, the local runtime, tools), not in Lambda.
 */
import * as z from '#shared/zod.ts';
import { keywordTerm, parseDuration, recipientKinds } from '#domain/city-config.ts';

const duration = z.pipe(z.string().check(z.trim()), z.transform((text, ctx) => {
  const d = parseDuration(text);
  if (!d) {
    ctx.issues.push({ code: 'custom', message: `not a duration: "${text}" (use e.g. 5wd, 10d, 3mo)`, input: text });
    return z.NEVER;
  }
  return d;
}));

const nonEmpty = z.string().check(z.trim(), z.minLength(1, 'empty'));
const email = z.pipe(z.string().check(z.trim(), z.minLength(1, 'empty')), z.email({ message: 'not an email address' }));
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date (YYYY-MM-DD)'), z.refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}, 'no such day'));
// YAML turns an unquoted 2023-04-21 into a Date; accept it and keep the date part.
const dateString = z.pipe(z.transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)), isoDate);
const clockTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'not a time (HH:MM)'));
/** A sender: `addr@host` or `Name <addr@host>`. */
const sender = nonEmpty.check(z.regex(/^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/, 'not a sender (use "Name <addr@host>" or addr@host)'));


const keyword = z.union([
  nonEmpty,
  z.strictObject({ term: nonEmpty, weight: z._default(z.number().check(z.positive('must be positive')), 1) }),
], { error: 'not a keyword (a word, or { term: 词, weight: 2 })' });


const unit = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'use a-z, 0-9 and -')),
  name: nonEmpty,
  email: z.array(email).check(z.minLength(1, 'at least one address')),
  head: z._default(z.array(email), []),
  keywords: z._default(z.array(keyword), []).check(z.superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((k, i) => {
    const term = keywordTerm(k);
    const first = seen.get(term);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate keyword "${term}" (also [${first}])` });
    else seen.set(term, i);
    });
  })),
});

const escalationStep = z.strictObject({
  after: duration,
  level: z.int().check(z.gte(1)),
  to: z.array(z.enum(recipientKinds)).check(z.minLength(1)),
  repeat: z.optional(duration),
});

const policy = z.strictObject({
  acknowledge: z._default(duration, parseDuration('5wd')!),
  objection: z._default(duration, parseDuration('7wd')!),
  contact: z._default(duration, parseDuration('15wd')!),
  coOpinion: z._default(duration, parseDuration('1mo')!),
  reply: z._default(duration, parseDuration('3mo')!),
  replyMax: z._default(duration, parseDuration('6mo')!),
  feedback: z._default(duration, parseDuration('15wd')!),
  rehandle: z._default(duration, parseDuration('1mo')!),
  followUp: z._default(duration, parseDuration('3mo')!),
  reminders: z._default(z.array(duration), []),
  escalation: z._default(z.array(escalationStep), []).check(z.superRefine((steps, ctx) => {
    steps.forEach((step, i) => {
    const prev = steps[i - 1];
    if (prev && step.level <= prev.level) ctx.addIssue({ code: 'custom', path: [i, 'level'], message: 'levels must increase' });
    });
  })),
  bulletin: z._default(z.enum(['weekly', 'monthly', 'quarterly', 'off']), 'monthly'),
  /** Key proposals (重点提案): other reminder offsets, and the leaders added to every notice. */
  key: z._default(z.strictObject({ reminders: z.optional(z.array(duration)), addLeaders: z._default(z.boolean(), true) }), { addLeaders: true }),
});

export const cityConfigSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'use a-z, 0-9 and -'), z.maxLength(40)),
  name: nonEmpty,
  timeZone: nonEmpty.check(z.refine(isTimeZone, 'unknown time zone')),
  aws: z.strictObject({
    account: z.string({ error: (iss) => (iss.input === undefined ? 'required' : 'write it in quotes, e.g. "123456789012"') }).check(z.regex(/^\d{12}$/, 'not a 12-digit AWS account id')),
    region: nonEmpty,
    sesRegion: z.optional(nonEmpty),
  }),
  email: z.strictObject({
    from: sender,
    office: z.array(email).check(z.minLength(1, 'at least one address')),
    leaders: z._default(z.array(z.strictObject({ name: nonEmpty, email })), []),
    /** Base URL of links in emails (the web front end or the API). */
    linkBase: z._default(z.url(), 'http://127.0.0.1:3000'),
    maxSendRate: z._default(z.number().check(z.positive()), 10),
  }),
  /**
   * Where tokens come from when the region has no Cognito user pools (AWS China): an OIDC issuer
   * and the audience (client id) its tokens carry. Elsewhere the stack creates a user pool.
   */
  auth: z.optional(z.strictObject({ jwtIssuer: z.url({ message: 'not a URL' }), jwtAudience: nonEmpty })),
  numbering: z._default(z.string().check(z.refine((s) => s.includes('{seq'), 'must contain {seq} or {seq:N}')), '{year}-{seq:3}'),
  review: z._default(z.enum(['auto', 'manual']), 'auto'),
  replyWaitsForCoOpinions: z._default(z.boolean(), true),
  calendar: z._default(z.strictObject({
    country: z._default(z.literal('CN'), 'CN'),
    extraHolidays: z._default(z.array(dateString), []),
    extraWorkdays: z._default(z.array(dateString), []),
    quietHours: z.optional(z.strictObject({ from: clockTime, to: clockTime })),
    /** Years whose national schedule the city entered in extraHolidays/extraWorkdays (beyond the package's data). */
    addedYears: z._default(z.array(z.int().check(z.gte(2000), z.lte(2100))), []),
  }), { country: 'CN', extraHolidays: [], extraWorkdays: [], addedYears: [] }),
  policy: z._default(policy, policy.parse({})),
  assignment: z._default(z.strictObject({
    titleWeight: z._default(z.number().check(z.positive()), 3),
    minScore: z._default(z.number().check(z.nonnegative()), 2),
    coMinScore: z._default(z.number().check(z.nonnegative()), 2),
    maxCoUnits: z._default(z.int().check(z.nonnegative()), 3),
  }), { titleWeight: 3, minScore: 2, coMinScore: 2, maxCoUnits: 3 }),
  // Checks across units sit on the array, so they still run when another field is wrong.
  units: z.array(unit).check(z.minLength(1, 'at least one unit'), z.superRefine((units, ctx) => {
    const seen = new Map<string, number>();
    units.forEach((u, i) => {
    const first = seen.get(u.id);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate unit id "${u.id}" (also units[${first}])` });
    else seen.set(u.id, i);
    });
  })),
});

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
