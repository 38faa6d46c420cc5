/**
 * The city config schema (城市配置): what an ops team may write, with defaults, as zod. Used where
 * the YAML is read (city-config-loader.ts: cdk synth, the local runtime, tools), not in Lambda.
 */
import * as z from '#shared/zod.ts';
import { keywordTerm, localLinkBase, parseDuration, recipientKinds, type Duration } from '#domain/city-config.ts';
import { normalizeText } from '#domain/matcher.ts';
import { defaultReplyClasses } from '#domain/reply-classes.ts';

const duration = z.pipe(
  z.string().check(z.trim()),
  z.transform((text, ctx) => {
    const d = parseDuration(text);
    if (!d) {
      ctx.issues.push({ code: 'custom', message: `not a duration: "${text}" (use e.g. 5wd, 10d, 3mo)`, input: text });
      return z.NEVER;
    }
    return d;
  }),
);
/** A deadline (after the start), a reminder offset (before the deadline), a time after the deadline. */
const deadline = duration.check(z.refine((d) => d.amount > 0, 'must be positive (a time after the start)'));
const reminder = duration.check(z.refine((d) => d.amount < 0, 'must be negative (a time before the deadline, e.g. -3wd)'));
const afterDeadline = duration.check(z.refine((d) => d.amount >= 0, 'must not be negative (a time after the deadline)'));
const interval = duration.check(z.refine((d) => d.amount > 0, 'must be positive'));

/** Rough length in days, only to catch a replyMax shorter than reply written in another unit. */
const approxDays = (d: Duration) => d.amount * { wd: 7 / 5, d: 1, mo: 30 }[d.unit];

const nonEmpty = z.string().check(z.trim(), z.minLength(1, 'empty'));
const email = z.pipe(z.string().check(z.trim(), z.minLength(1, 'empty')), z.email({ message: 'not an email address' }));
const isoDate = z.string().check(
  z.superRefine((s, ctx) => {
    const d = new Date(`${s}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) ctx.addIssue({ code: 'custom', message: 'not a date (YYYY-MM-DD)' });
    else if (Number.isNaN(d.getTime()) || !d.toISOString().startsWith(s)) ctx.addIssue({ code: 'custom', message: 'no such day' });
  }),
);
// YAML turns an unquoted 2023-04-21 into a Date; accept it and keep the date part.
const dateString = z.pipe(
  z.transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)),
  isoDate,
);
/** An AWS region name such as cn-northwest-1 or ap-southeast-1. */
const awsRegion = nonEmpty.check(
  z.regex(/^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-[a-z]+-\d$/, 'not an AWS region (e.g. cn-northwest-1, ap-southeast-1)'),
);
const clockTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'not a time (HH:MM)'));
/** A sender: `addr@host` or `Name <addr@host>`. */
const sender = nonEmpty.check(
  z.regex(
    /^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/,
    'not a sender (use "Name <addr@host>" or addr@host)',
  ),
);

const keyword = z.union(
  [nonEmpty, z.strictObject({ term: nonEmpty, weight: z._default(z.number().check(z.positive('must be positive')), 1) })],
  { error: 'not a keyword (a word, or { term: 词, weight: 2 })' },
);

const unit = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'use a-z, 0-9 and -')),
  name: nonEmpty,
  /** 简称 for the 文号 of its reply letters (e.g. 卫健); default: the name. */
  short: z.optional(nonEmpty),
  email: z.array(email).check(z.minLength(1, 'at least one address')),
  head: z._default(z.array(email), []),
  // Duplicates as the matcher sees them: case and full/half width folded.
  keywords: z._default(z.array(keyword), []).check(
    z.superRefine((list, ctx) => {
      const seen = new Map<string, number>();
      list.forEach((k, i) => {
        const term = normalizeText(keywordTerm(k));
        const first = seen.get(term);
        if (first !== undefined)
          ctx.addIssue({ code: 'custom', path: [i], message: `duplicate keyword "${keywordTerm(k)}" (also [${first}])` });
        else seen.set(term, i);
      });
    }),
  ),
});

const escalationStep = z.strictObject({
  after: afterDeadline,
  level: z.int().check(z.gte(1)),
  to: z.array(z.enum(recipientKinds)).check(z.minLength(1)),
  repeat: z.optional(interval),
});

const policy = z
  .strictObject({
    acknowledge: z._default(deadline, parseDuration('5wd')!),
    objection: z._default(deadline, parseDuration('7wd')!),
    /** The office decides a unit's 申请调整 (reassign, or keep it) within this, from the objection. */
    objectionDecision: z._default(deadline, parseDuration('5wd')!),
    /** The office reviews (审核) a reply within this, from the moment it reaches the office. */
    replyReview: z._default(deadline, parseDuration('5wd')!),
    /** Each co-unit countersigns (会签) the lead's signed reply within this (replies.countersign). */
    countersign: z._default(deadline, parseDuration('5wd')!),
    /** The office decides a lead unit's 申请延期 (approve or refuse) within this, from the request. */
    extensionDecision: z._default(deadline, parseDuration('5wd')!),
    contact: z._default(deadline, parseDuration('15wd')!),
    coOpinion: z._default(deadline, parseDuration('1mo')!),
    reply: z._default(deadline, parseDuration('3mo')!),
    replyMax: z._default(deadline, parseDuration('6mo')!),
    feedback: z._default(deadline, parseDuration('15wd')!),
    rehandle: z._default(deadline, parseDuration('1mo')!),
    followUp: z._default(deadline, parseDuration('3mo')!),
    /** Each unit acknowledges a leader's 批示 on a key proposal within this. */
    instruction: z._default(deadline, parseDuration('5wd')!),
    /** 重新办理 at most this many times (after a 不满意 or by the office's order); 0: never. */
    maxRehandles: z._default(z.int().check(z.gte(0), z.lte(5)), 1),
    reminders: z._default(z.array(reminder), []),
    // The timers need the steps in time order: `after` increasing, in one unit (5wd and 7d have no fixed order).
    escalation: z._default(z.array(escalationStep), []).check(
      z.superRefine((steps, ctx) => {
        const last = steps.length - 1;
        steps.forEach((step, i) => {
          const prev = steps[i - 1];
          const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [i, field], message });
          if (step.repeat && i !== last) issue('repeat', `only the last step repeats: move it to escalation[${last}]`);
          if (!prev) return;
          if (step.level <= prev.level) issue('level', 'levels must increase');
          if (step.after.unit !== steps[0]!.after.unit)
            issue('after', `use the unit of escalation[0].after (${steps[0]!.after.unit}): steps in different units have no certain order`);
          else if (step.after.unit === prev.after.unit && step.after.amount <= prev.after.amount)
            issue('after', `must be later than escalation[${i - 1}].after (${prev.after.text})`);
        });
      }),
    ),
    bulletin: z._default(z.enum(['weekly', 'monthly', 'quarterly', 'off']), 'monthly'),
    /** Key proposals (重点提案): other reminder offsets, and the leaders added to every notice. */
    key: z._default(z.strictObject({ reminders: z.optional(z.array(reminder)), addLeaders: z._default(z.boolean(), true) }), {
      addLeaders: true,
    }),
  })
  .check(
    z.superRefine((p, ctx) => {
      if (approxDays(p.replyMax) < approxDays(p.reply))
        ctx.addIssue({ code: 'custom', path: ['replyMax'], message: `shorter than reply (${p.reply.text})` });
    }),
  );

/**
 * Replies (答复): 签发 by the unit head, 会签 by the co-units, the classes, the 文号 pattern of the
 * letters, the follow-up cap, and where the 通报 goes. Defaults keep a config of the older shape
 * behaving as before: no 签发 and no 会签 step.
 */
const replies = z.strictObject({
  signOff: z._default(z.boolean(), false),
  countersign: z._default(z.boolean(), false),
  classes: z._default(
    z
      .array(
        z.strictObject({
          code: z.string().check(z.regex(/^[A-Za-z0-9]{1,4}$/, 'use 1 to 4 letters or digits')),
          name: nonEmpty,
          followUp: z._default(z.boolean(), false),
        }),
      )
      .check(
        z.minLength(1, 'at least one class'),
        z.superRefine((list, ctx) => {
          list.forEach((c, i) => {
            const first = list.findIndex((x) => x.code === c.code);
            if (first < i) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `same code as classes[${first}]` });
          });
        }),
      ),
    defaultReplyClasses,
  ),
  /** 文号: {unitShort}, {unit} (id), {year}, {seq}, {seq:N}. */
  letterNumber: z._default(
    nonEmpty.check(z.refine((s) => /\{seq(?::\d{1,2})?\}/.test(s), 'must contain {seq} or {seq:N}')),
    '{unitShort}函〔{year}〕{seq}号',
  ),
  /** 跟踪落实 ends after this many progress periods without a final report (capped). */
  followUpMax: z._default(z.int().check(z.gte(1), z.lte(12)), 4),
  /** The 通报 also goes to every unit (公开亮相: 表扬 the best, 批评 those with overdue items). */
  bulletinToUnits: z._default(z.boolean(), false),
});

/** 办理考评: weights of the per-unit score (each figure a rate 0..1; the score is 0..100). */
const assessment = z.strictObject({
  weights: z._default(
    z.strictObject({
      acknowledgeOnTime: z._default(z.number().check(z.nonnegative()), 15),
      contact: z._default(z.number().check(z.nonnegative()), 20),
      replyOnTime: z._default(z.number().check(z.nonnegative()), 25),
      satisfaction: z._default(z.number().check(z.nonnegative()), 30),
      secondReply: z._default(z.number().check(z.nonnegative()), 10),
    }),
    { acknowledgeOnTime: 15, contact: 20, replyOnTime: 25, satisfaction: 30, secondReply: 10 },
  ),
});

export const cityConfigSchema = z
  .strictObject({
    id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'use a-z, 0-9 and -'), z.maxLength(40)),
    name: nonEmpty,
    timeZone: nonEmpty.check(z.refine(isTimeZone, 'unknown time zone')),
    aws: z
      .strictObject({
        account: z
          .string({ error: (iss) => (iss.input === undefined ? 'required' : 'write it in quotes, e.g. "123456789012"') })
          .check(z.regex(/^\d{12}$/, 'not a 12-digit AWS account id')),
        region: awsRegion,
        sesRegion: z.optional(
          awsRegion.check(
            z.refine((r) => !r.startsWith('cn-'), 'SES is not offered in cn-* regions: use a global region, e.g. ap-southeast-1'),
          ),
        ),
      })
      .check(
        z.superRefine((aws, ctx) => {
          if (aws.region.startsWith('cn-') && !aws.sesRegion) {
            ctx.addIssue({
              code: 'custom',
              path: ['sesRegion'],
              message: `required when aws.region is ${aws.region}: SES is not offered in cn-* regions (e.g. sesRegion: ap-southeast-1)`,
            });
          }
        }),
      ),
    email: z.strictObject({
      from: sender,
      office: z.array(email).check(z.minLength(1, 'at least one address')),
      /** 分管领导: a leader with `units` is in charge of those units only; without, of every unit. */
      leaders: z._default(z.array(z.strictObject({ name: nonEmpty, email, units: z.optional(z.array(nonEmpty)) })), []).check(
        z.superRefine((list, ctx) => {
          // A key proposal names its 领办领导 by name: each name once.
          list.forEach((l, i) => {
            const first = list.findIndex((x) => x.name === l.name);
            if (first < i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `same name as leaders[${first}]` });
          });
        }),
      ),
      /** 政协提案委员会: where a proposal the office returns (not the government's remit) is announced. */
      committee: z._default(z.array(email), []),
      /** Base URL of links in emails: the API's public base URL (or a front end serving /v1/ from it). The default only suits local runs. */
      linkBase: z._default(z.url(), localLinkBase),
      maxSendRate: z._default(z.number().check(z.positive()), 10),
    }),
    /**
     * Where tokens come from when the region has no Cognito user pools (AWS China): an OIDC issuer
     * and the audience (client id) its tokens carry. Elsewhere the stack creates a user pool.
     */
    auth: z.optional(z.strictObject({ jwtIssuer: z.url({ message: 'not a URL' }), jwtAudience: nonEmpty })),
    numbering: z._default(
      z.string().check(
        z.superRefine((s, ctx) => {
          const message = numberingProblem(s);
          if (message) ctx.addIssue({ code: 'custom', message });
        }),
      ),
      '{year}-{seq:3}',
    ),
    /**
     * Who reviews (立案 / 不予立案 / 并案): `auto` (立案 and 交办 by keyword at once; the office may still
     * reject or merge), `office` (the government office; `manual` is its older name) or `committee`
     * (政协提案委员会; the office may return a proposal to it as not the government's remit).
     */
    review: z._default(
      z.pipe(
        z.enum(['auto', 'office', 'committee', 'manual']),
        z.transform((r) => (r === 'manual' ? 'office' : r)),
      ),
      'auto',
    ),
    replyWaitsForCoOpinions: z._default(z.boolean(), true),
    replies: z._default(replies, replies.parse({})),
    assessment: z._default(assessment, assessment.parse({})),
    /** 联名: co-proposers confirm before the proposal counts as theirs (confirm: false: they count at once). */
    cosign: z._default(z.strictObject({ confirm: z._default(z.boolean(), true) }), { confirm: true }),
    /** Submissions: how many proposals one member may submit per day (the city's day); absent: no limit. */
    submissions: z._default(z.strictObject({ dailyLimit: z.optional(z.int().check(z.positive('must be positive'))) }), {}),
    calendar: z._default(
      z
        .strictObject({
          country: z._default(z.literal('CN'), 'CN'),
          extraHolidays: z._default(z.array(dateString), []),
          extraWorkdays: z._default(z.array(dateString), []),
          quietHours: z.optional(
            z.strictObject({ from: clockTime, to: clockTime }).check(
              z.refine((q) => q.from !== q.to, {
                path: ['to'],
                message: 'same as from: that is no quiet hours (leave quietHours out instead)',
              }),
            ),
          ),
          /** Years whose national schedule the city entered in extraHolidays/extraWorkdays (beyond the package's data). */
          addedYears: z._default(z.array(z.int().check(z.gte(2000), z.lte(2100))), []),
        })
        .check(
          z.superRefine((c, ctx) => {
            c.extraWorkdays.forEach((day, i) => {
              const j = c.extraHolidays.indexOf(day);
              if (j >= 0)
                ctx.addIssue({
                  code: 'custom',
                  path: ['extraWorkdays', i],
                  message: `${day} is also calendar.extraHolidays[${j}]: a day is either a holiday or a workday`,
                });
            });
          }),
        ),
      { country: 'CN', extraHolidays: [], extraWorkdays: [], addedYears: [] },
    ),
    policy: z._default(policy, policy.parse({})),
    assignment: z._default(
      z.strictObject({
        titleWeight: z._default(z.number().check(z.positive()), 3),
        minScore: z._default(z.number().check(z.nonnegative()), 2),
        coMinScore: z._default(z.number().check(z.nonnegative()), 2),
        maxCoUnits: z._default(z.int().check(z.nonnegative()), 3),
      }),
      { titleWeight: 3, minScore: 2, coMinScore: 2, maxCoUnits: 3 },
    ),
    // Checks across units sit on the array, so they still run when another field is wrong.
    units: z.array(unit).check(
      z.minLength(1, 'at least one unit'),
      z.superRefine((units, ctx) => {
        const seen = new Map<string, number>();
        units.forEach((u, i) => {
          const first = seen.get(u.id);
          if (first !== undefined)
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate unit id "${u.id}" (also units[${first}])` });
          else seen.set(u.id, i);
        });
      }),
    ),
  })
  .check(
    z.superRefine((c, ctx) => {
      const ids = new Set(c.units.map((u) => u.id));
      c.email.leaders.forEach((l, i) =>
        l.units?.forEach((u, j) => {
          if (!ids.has(u)) ctx.addIssue({ code: 'custom', path: ['email', 'leaders', i, 'units', j], message: `no unit "${u}" in units` });
        }),
      );
    }),
  );

/**
 * What is wrong with a case number pattern, if anything: it must hold {seq} or {seq:N}, and every
 * brace must be one of the placeholders formatCaseNumber (proposal.ts) replaces.
 */
function numberingProblem(pattern: string): string | undefined {
  const stray = /\{[^{}]*\}?|\}/.exec(pattern.replace(/\{year\}|\{seq(?::\d{1,2})?\}/g, ''));
  if (stray) return `"${stray[0]}" is not a placeholder: use {year}, {seq} or {seq:N} (N: zero-padded width, up to 99)`;
  if (!/\{seq(?::\d{1,2})?\}/.test(pattern)) return 'must contain {seq} or {seq:N}';
  return undefined;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
