/**
 * Request and response schemas of the HTTP API (zod). The OpenAPI document is generated from these.
 * Each route's schema is `z.lazy`: built when first used, so a cold container builds only the
 * schema of the request it serves (schema construction is most of zod's share of a cold start).
 */
import * as z from '#shared/zod.ts';
import { actorSchema, contactModes, domainEventTypes, keywordMatchSchema, proposerSchema, satisfactions } from '#events/domain-events.ts';
import { contactSchema, feedbackSchema, proposalSchema, statuses, unitStateSchema } from '#domain/proposal.ts';
import { actions } from '#domain/actions.ts';
import { memberIdSchema } from '#domain/member.ts';
import { collectiveSchema } from '#domain/collective.ts';
import { textMax } from '#domain/limits.ts';

const light = () => z.enum(['green', 'yellow', 'red']);
const obligationIds = [
  'acknowledge',
  'objection',
  'objectionDecision',
  'contact',
  'coOpinion',
  'reply',
  'feedback',
  'rehandle',
  'followUp',
  'extensionDecision',
  'instruction',
  'replyReview',
  'countersign',
] as const;
const obligation = () => z.enum(obligationIds);

/**
 * Fields a submission may not carry, each refused by name with its reason (400), whatever else is
 * wrong: a proposer's name and contact data come from the member directory (委员名册), 重点提案 is the
 * committee's or the office's to set. Any other unknown field is refused too (strict objects).
 */
const refused = (reason: string) => z.optional(z.never(reason));

export const submitProposalBody = z.lazy(() =>
  z.strictObject({
    title: z.string().check(z.trim(), z.minLength(1, '不能为空'), z.maxLength(200, '最多 200 个字符')),
    body: z.string().check(z.trim(), z.minLength(1, '不能为空'), z.maxLength(20_000, '最多 20000 个字符')),
    /** By 委员编号 only: names and addresses come from the member directory. The first is the contact member. */
    proposers: z
      .array(
        z.strictObject({
          memberId: memberIdSchema,
          name: refused('提案人的姓名取自委员名册，提交时只填写委员编号 memberId'),
          email: refused('提案人的电子邮箱取自委员名册，不能在提交时填写'),
          mobile: refused('提案人的手机号码取自委员名册，不能在提交时填写'),
        }),
      )
      .check(
        z.minLength(1, '至少需要一位提案人'),
        z.maxLength(50, 'at most 50 proposers'),
        z.superRefine((list, ctx) => {
          // Each proposer's notices (reply, feedback link) are keyed by memberId: a repeat would lose one.
          list.forEach((p, i) => {
            const first = list.findIndex((q) => q.memberId === p.memberId);
            if (first < i)
              ctx.addIssue({
                code: 'custom',
                path: [i, 'memberId'],
                message: `与 proposers[${first}] 的委员编号相同：每位提案人只能列一次`,
              });
          });
        }),
      ),
    category: z.optional(z.string().check(z.trim(), z.maxLength(50))),
    /** 集体提案: in the name of a 界别, 党派 or 专委会; proposers[0] is its contact member. */
    collective: z.optional(collectiveSchema),
    key: refused('重点提案由政协提案委员会或政府办公室确定，提交时不能设置'),
  }),
);

export { proposalIdParam, replyNumberParam } from '#functions/http/params.ts';

const objectionView = () =>
  z.object({ reason: z.optional(z.string()), at: z.string(), decideBy: z.optional(z.string()), decidedAt: z.optional(z.string()) });

/** A proposal as the API shows it (GET /v1/proposals/{id}, list items). */
export const proposalView = z.lazy(() =>
  z.extend(
    z.omit(proposalSchema._zod.innerType, {
      lead: true,
      matches: true,
      seq: true,
      submittedBy: true,
      reassignments: true,
      rehandles: true,
    }),
    {
      lead: z.nullable(z.string()),
      // Optional here what some roles do not see (functions/api/projections.ts, docs/access.md).
      /** A proposer's email and mobile: for the office, the committee, the leaders, the units, and the proposer themself. */
      proposers: z.array(z.extend(proposerSchema._zod.innerType, { email: z.optional(z.string()) })),
      /** Another unit's objection shows without its reason; a proposer sees no objection or opinion. */
      units: z.record(z.string(), z.extend(unitStateSchema._zod.innerType, { objection: z.optional(objectionView()) })),
      /** A contact's note: not for the proposers, nor for a co-unit of another unit's contact. */
      contacts: z.array(z.extend(contactSchema._zod.innerType, { note: z.optional(z.string()) })),
      /** Who rated: for the office, the committee, the leaders, and a proposer's own ratings. */
      feedback: z.array(z.extend(feedbackSchema._zod.innerType, { memberId: z.optional(z.string()) })),
      matchedKeywords: z.array(keywordMatchSchema),
      trafficLight: light(),
      /** The open obligations (who owes what by when), each with its light. */
      obligations: z.array(
        z.object({ id: z.string(), obligation: obligation(), unit: z.optional(z.string()), deadline: z.string(), trafficLight: light() }),
      ),
      /** The actions the caller may take now (the console offers exactly these). */
      actions: z.array(z.enum(actions)),
    },
  ),
);
export type ProposalView = z.input<typeof proposalView>;

const text = (max: number) => z.string().check(z.trim(), z.minLength(1, '不能为空'), z.maxLength(max, `最多 ${max} 个字符`));
const unitId = z.lazy(() => z.string().check(z.regex(/^[a-z0-9-]+$/, '不是有效的承办单位编号')));

export const reviewBody = z.lazy(() =>
  z
    .strictObject({
      decision: z.enum(['register', 'reject', 'merge']),
      reason: z.optional(text(2000)),
      mergeInto: z.optional(z.uuid({ message: '不是有效的提案编号' })),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.decision === 'merge' && !v.mergeInto)
          ctx.addIssue({ code: 'custom', path: ['mergeInto'], message: '并案（decision 为 merge）时必填' });
      }),
    ),
);

export const assignmentBody = z.lazy(() =>
  z.strictObject({
    lead: unitId,
    co: z._default(z.array(unitId).check(z.maxLength(10)), []),
    /** 分办: further lead units, each answering its own part of the proposal (`lead` is the first; it may be listed here too). */
    leads: z.optional(z.array(unitId).check(z.maxLength(10))),
    reason: z.optional(text(2000)),
  }),
);
export const objectionBody = z.lazy(() => z.strictObject({ reason: text(textMax.objection) }));
export const opinionBody = z.lazy(() => z.strictObject({ text: text(textMax.opinion) }));
export const contactBody = z.lazy(() =>
  z.strictObject({
    unit: unitId,
    mode: z.enum(contactModes),
    at: z.iso.datetime({ offset: true, message: '应为带时区偏移的时间，例如 2026-03-01T09:00:00+08:00' }),
    note: text(textMax.contactNote),
  }),
);
export const returnBody = z.lazy(() => z.strictObject({ reason: text(2000) }));
export const feedbackBody = z.lazy(() =>
  z.strictObject({
    token: z.string().check(z.minLength(1, '不能为空'), z.maxLength(2000)),
    satisfaction: z.enum(satisfactions),
    comment: z.optional(z.string().check(z.trim(), z.maxLength(textMax.ratingComment, `最多 ${textMax.ratingComment} 个字符`))),
  }),
);
export const memberFeedbackBody = z.lazy(() =>
  z.strictObject({
    n: z.int('不是有效的答复序号').check(z.positive('不是有效的答复序号')),
    satisfaction: z.enum(satisfactions),
    comment: z.optional(z.string().check(z.trim(), z.maxLength(textMax.ratingComment, `最多 ${textMax.ratingComment} 个字符`))),
    /** Rate the 二次答复 (the final progress report) of reply n rather than reply n itself. */
    second: z.optional(z.boolean()),
  }),
);
export const tasksQuery = z.lazy(() =>
  z.strictObject({
    year: z.optional(z.pipe(z.coerce.number({ message: '不是有效的年份' }), z.int()).check(z.gte(2000), z.lte(2100))),
  }),
);
export const progressBody = z.lazy(() => z.strictObject({ text: text(textMax.progress), resolved: z.boolean() }));
export const extensionBody = z.lazy(() =>
  z.strictObject({
    until: z.iso.date({ message: '应为日期，例如 2026-03-01' }),
    reason: z.optional(text(2000)),
    /** 分办: whose part's reply deadline moves; the first lead's when not given. */
    unit: z.optional(unitId),
  }),
);
export const unitParam = unitId;

export const listQuery = z.lazy(() =>
  z.strictObject({
    status: z.optional(z.enum(statuses)),
    unit: z.optional(unitId),
    year: z.optional(z.pipe(z.coerce.number({ message: '不是有效的年份' }), z.int()).check(z.gte(2000), z.lte(2100))),
    overdue: z.optional(z.enum(['true', 'false'])),
    key: z.optional(z.enum(['true', 'false'])),
    /** Text in the number, title, body or a proposer's name. */
    q: z.optional(z.string().check(z.trim(), z.maxLength(100, 'longer than 100 characters'))),
    limit: z._default(z.pipe(z.coerce.number({ message: '应为数字' }), z.int()).check(z.gte(1), z.lte(100)), 20),
    cursor: z.optional(z.string().check(z.maxLength(2000))),
  }),
);

/*
 * Answers, for the OpenAPI document only (the handlers build them; test/functional/api-http.test.ts
 * checks real answers against these).
 */
export const submittedView = z.lazy(() => z.object({ id: z.uuid(), number: z.string(), status: z.enum(statuses) }));
export const proposalList = z.lazy(() => z.object({ items: z.array(proposalView), cursor: z.optional(z.string()) }));
/** A domain event: the envelope; `data` depends on `type` (see events/domain-events.ts). */
export const domainEventView = z.lazy(() =>
  z.object({
    eventId: z.string(),
    proposalId: z.string(),
    seq: z.int(),
    at: z.string(),
    actor: actorSchema,
    type: z.enum(domainEventTypes),
    data: z.record(z.string(), z.unknown()),
  }),
);
export const eventList = z.lazy(() => z.object({ items: z.array(domainEventView) }));
export const meView = z.lazy(() =>
  z.object({
    identity: z.object({
      role: z.enum(['office', 'leader', 'unit', 'member', 'committee']),
      sub: z.string(),
      unit: z.optional(z.string()),
      /** The unit's head, who signs off its replies (签发). */
      unitHead: z.optional(z.boolean()),
      name: z.optional(z.string()),
      memberId: z.optional(z.string()),
      /** A leader's name (as email.leaders[].name), and the units they are in charge of (absent: all). */
      leader: z.optional(z.string()),
      inCharge: z.optional(z.array(z.string())),
    }),
    /** How the console names the signed-in person (the unit's name for a unit). */
    displayName: z.string(),
    city: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
    /** The current year in the city's time zone. */
    year: z.int(),
    now: z.string(),
    units: z.array(z.object({ id: z.string(), name: z.string() })),
    leaders: z.array(z.object({ name: z.string() })),
    /** The city's reply steps (签发, 会签) and reply classes (答复分类). */
    replies: z.object({
      signOff: z.boolean(),
      countersign: z.boolean(),
      classes: z.array(z.object({ code: z.string(), name: z.string(), followUp: z.boolean() })),
    }),
  }),
);
export const taskList = z.lazy(() =>
  z.object({
    items: z.array(
      z.object({
        proposalId: z.string(),
        number: z.string(),
        title: z.string(),
        key: z.boolean(),
        status: z.enum(statuses),
        /** What is owed: an obligation, an office step (review, assign, approveReply), or supervise (督办: an overdue unit). */
        task: z.enum([...obligationIds, 'review', 'assign', 'approveReply', 'signReply', 'supervise', 'cosign']),
        /** Chinese name of the task (签收, 答复, 审核答复, 督办：答复 ...). */
        name: z.string(),
        obligation: z.optional(obligation()),
        unit: z.optional(z.string()),
        unitName: z.optional(z.string()),
        deadline: z.optional(z.string()),
        trafficLight: light(),
        overdue: z.boolean(),
      }),
    ),
  }),
);
export const feedbackPageQuery = z.lazy(() => z.object({ token: z.string() }));

/** The schemas the OpenAPI document names once (components) and references wherever a route uses them. */
export const openApiComponents = { ProposalView: proposalView, DomainEvent: domainEventView };
