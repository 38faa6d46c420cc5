/**
 * Domain events (领域事件). Each state change appends one or more of these as items (EVENT#<seq>)
 * in the same transaction as the proposal update; the table stream delivers them to the reactor.
 * They are the audit trail and the outbox at once.
 */
import * as z from '#shared/zod.ts';

/** Who a reminder or an escalation goes to (same names as RecipientKind in the city config). */
export const recipientKinds = ['unit', 'unitHead', 'office', 'leaders'] as const;

export const proposerSchema = z.lazy(() =>
  z.object({
    memberId: z.string().check(z.trim(), z.minLength(1, 'empty'), z.maxLength(64)),
    name: z.string().check(z.trim(), z.minLength(1, 'empty'), z.maxLength(50)),
    email: z.email({ message: 'not an email address' }).check(z.maxLength(254)),
    /** From the member directory (委员名册), as of submission. */
    mobile: z.optional(z.string()),
    sector: z.optional(z.string()),
    /** 联名确认 of a co-proposer: pending until they accept (a declined one is removed); absent: counts (see shared/domain/proposers.ts). */
    cosign: z.optional(z.enum(['pending', 'accepted'])),
  }),
);
export type Proposer = z.infer<typeof proposerSchema>;

export const actorSchema = z.lazy(() =>
  z.object({
    role: z.enum(['office', 'leader', 'unit', 'member', 'committee', 'system']),
    sub: z.string(),
    unit: z.optional(z.string()),
  }),
);
export type Actor = z.infer<typeof actorSchema>;

export const keywordMatchSchema = z.lazy(() => z.object({ unit: z.string(), score: z.number(), keywords: z.array(z.string()) }));
export type KeywordMatch = z.infer<typeof keywordMatchSchema>;

export const contactModes = ['face_to_face', 'phone', 'visit', 'letter', 'online'] as const;
export const satisfactions = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type ContactMode = (typeof contactModes)[number];
/** A code of the city's reply classes. */
export type ReplyClass = string;
export type Satisfaction = (typeof satisfactions)[number];

export const similarSchema = z.lazy(() => z.object({ id: z.string(), number: z.string(), title: z.string(), score: z.number() }));

const base = () => ({
  eventId: z.string(),
  proposalId: z.string(),
  seq: z.int().check(z.positive()),
  at: z.string(),
  actor: actorSchema,
});

/**
 * Each event type with the shape of its `data`. The schema of a type is built the first time an
 * event of that type is parsed (schemaOf): a function handles a few types per invocation, and
 * building all of them up front was a fifth of a cold start's import time.
 */
const dataShapes = {
  ProposalSubmitted: () => ({ number: z.string(), title: z.string(), year: z.int() }),
  /** `manual`: the office reviewed it; `committee`: the committee (city config `review`). */
  ProposalRegistered: () => ({ mode: z.enum(['auto', 'manual', 'committee']) }),
  ProposalAssigned: () => ({
    lead: z.string(),
    co: z.array(z.string()),
    /** 分办: every lead unit (`lead` first), when the office split it between several. */
    leads: z.optional(z.array(z.string())),
    matches: z.array(keywordMatchSchema),
    by: z.enum(['keywords', 'office']),
    /** Obligation -> deadline instant (ISO) set by this assignment. */
    deadlines: z.record(z.string(), z.string()),
    reason: z.optional(z.string()),
  }),
  ProposalTriaged: () => ({ matches: z.array(keywordMatchSchema), reason: z.string() }),
  SimilarProposalsFound: () => ({ similar: z.array(similarSchema) }),
  ProposalRejected: () => ({ reason: z.string() }),
  ProposalMerged: () => ({ into: z.string(), intoNumber: z.string(), reason: z.optional(z.string()) }),
  /** On the main proposal when another is merged into it (并案). */
  ProposalAbsorbed: () => ({ from: z.string(), fromNumber: z.string(), proposers: z.array(proposerSchema) }),
  AssignmentChanged: () => ({
    lead: z.string(),
    co: z.array(z.string()),
    leads: z.optional(z.array(z.string())),
    previous: z.object({ lead: z.optional(z.string()), co: z.array(z.string()), leads: z.optional(z.array(z.string())) }),
    reason: z.optional(z.string()),
    deadlines: z.record(z.string(), z.string()),
  }),
  UnitAcknowledged: () => ({ unit: z.string() }),
  UnitObjected: () => ({ unit: z.string(), reason: z.string() }),
  /** The office assigned again and kept the objecting unit (维持原交办); `deadline`: its new 签收 deadline, unless it has signed. */
  ObjectionDeclined: () => ({ unit: z.string(), reason: z.optional(z.string()), deadline: z.optional(z.string()) }),
  CoOpinionGiven: () => ({ unit: z.string(), text: z.string() }),
  ContactRecorded: () => ({ unit: z.string(), mode: z.enum(contactModes), contactAt: z.string(), note: z.string() }),
  /** The lead unit saved reply `n` as a draft (起草, or an edit of it): nothing leaves the unit. */
  ReplyDrafted: () => ({ n: z.int(), unit: z.string(), replyClass: z.string(), text: z.string(), round: z.int() }),
  /**
   * The lead unit submitted reply `n` on: `next` says where it went (to its head for 签发, or, signed,
   * to the co-units for 会签 or the office for review). Absent in older events: to the office.
   */
  ReplySubmitted: () => ({
    n: z.int(),
    unit: z.string(),
    replyClass: z.string(),
    text: z.string(),
    round: z.int(),
    next: z.optional(z.enum(['signing', 'countersign', 'review'])),
  }),
  /** 签发 by the unit head: the reply left the unit (to 会签 or the office). */
  ReplySigned: () => ({
    n: z.int(),
    unit: z.string(),
    signer: z.string(),
    docNumber: z.optional(z.string()),
    next: z.enum(['countersign', 'review']),
  }),
  /** 会签 by a co-unit; `complete`: it was the last, the reply went to the office. */
  ReplyCountersigned: () => ({ n: z.int(), unit: z.string(), note: z.optional(z.string()), complete: z.boolean() }),
  /**
   * The reply went to the proposers. `feedbackDeadline`: when every part is answered (always, but for
   * a 分办 part approved before the others); `unit`: the part's unit of a 分办 proposal.
   */
  ReplyApproved: () => ({
    n: z.int(),
    feedbackDeadline: z.optional(z.string()),
    unit: z.optional(z.string()),
    /** The office corrected the class when approving. */
    classCorrection: z.optional(z.object({ from: z.string(), to: z.string(), reason: z.string() })),
  }),
  ReplyReturned: () => ({ n: z.int(), reason: z.string() }),
  /** `second`: a rating of the 二次答复 that followed reply `n`. */
  FeedbackGiven: () => ({
    n: z.int(),
    memberId: z.string(),
    satisfaction: z.enum(satisfactions),
    comment: z.optional(z.string()),
    second: z.optional(z.literal(true)),
  }),
  /** After a proposer's 不满意 (`comment`: theirs), or ordered by the office (`orderedBy: office`, `reason`). */
  RehandlingStarted: () => ({
    n: z.int(),
    deadline: z.string(),
    /** 分办: the part re-handled. */
    unit: z.optional(z.string()),
    comment: z.optional(z.string()),
    orderedBy: z.optional(z.literal('office')),
    reason: z.optional(z.string()),
  }),
  ProposalClosed: () => ({
    reason: z.enum(['all_rated', 'feedback_deadline']),
    followUp: z.boolean(),
    followUpDeadline: z.optional(z.string()),
  }),
  /** 跟踪落实 progress; a `resolved` one is the second reply (二次答复) to reply `n`; `capped`: the last period allowed. */
  ProgressReported: () => ({
    text: z.string(),
    resolved: z.boolean(),
    n: z.optional(z.int()),
    capped: z.optional(z.boolean()),
    /** 分办: the part's unit. */
    unit: z.optional(z.string()),
  }),
  /** A co-proposer's answer to the 联名 request: accepted (the proposal counts as theirs) or declined (removed from the proposers). */
  CosignAnswered: () => ({ memberId: z.string(), name: z.string(), accept: z.boolean() }),
  /** `unit`: 分办, the part whose deadline moved. */
  ReplyDeadlineExtended: () => ({ until: z.string(), reason: z.optional(z.string()), unit: z.optional(z.string()) }),
  /** 督办记录: the office supervised `unit` (实地督查 onsite, 电话督办 phone, 座谈 meeting) at `supervisedAt`. */
  SupervisionRecorded: () => ({
    unit: z.string(),
    mode: z.enum(['onsite', 'phone', 'meeting']),
    supervisedAt: z.string(),
    note: z.string(),
  }),
  /** 申请延期 by the lead unit: the reply deadline it asks for (`until`), the office decides by `decideBy`. */
  ExtensionRequested: () => ({ n: z.int(), unit: z.string(), until: z.string(), reason: z.string(), decideBy: z.string() }),
  /** The office approved (the reply deadline is now `until`) or refused request `n`. */
  ExtensionDecided: () => ({ n: z.int(), unit: z.string(), approve: z.boolean(), until: z.string(), reason: z.optional(z.string()) }),
  /** The office corrected the title or the category; `previous` keeps the old values (absent category: there was none). */
  ProposalEdited: () => ({
    changes: z.object({ title: z.optional(z.string()), category: z.optional(z.string()) }),
    previous: z.object({ title: z.optional(z.string()), category: z.optional(z.string()) }),
    reason: z.string(),
  }),
  /** 撤案 by a proposer before the reply; `units`: those that were handling it (told). */
  ProposalWithdrawn: () => ({ memberId: z.string(), reason: z.string(), units: z.array(z.string()) }),
  /** 重点提案 set or cleared by the committee or the office, with its 领办领导 (a leader's name). */
  KeyProposalSet: () => ({
    key: z.boolean(),
    leader: z.optional(z.string()),
    previous: z.object({ key: z.boolean(), leader: z.optional(z.string()) }),
  }),
  /** 批示 by the leading leader: the units each acknowledge it by `deadline`. */
  InstructionGiven: () => ({ n: z.int(), leader: z.string(), text: z.string(), units: z.array(z.string()), deadline: z.string() }),
  InstructionAcknowledged: () => ({ n: z.int(), unit: z.string() }),
  /** 退回提案委员会: the office found it outside the government's remit; the units it had (if any) lose it. */
  ReturnedToCommittee: () => ({ reason: z.string(), previous: z.object({ lead: z.optional(z.string()), co: z.array(z.string()) }) }),
  /** From the sweep: a reminder before a deadline, or an escalation step after it. */
  // `to`: who the notice goes to (the unit's addresses, its head, the office, the leaders); `key`: 重点提案.
  ReminderDue: () => ({
    obligation: z.string(),
    unit: z.optional(z.string()),
    deadline: z.string(),
    step: z.int(),
    to: z.array(z.enum(recipientKinds)),
    key: z.boolean(),
  }),
  Escalated: () => ({
    obligation: z.string(),
    unit: z.optional(z.string()),
    deadline: z.string(),
    level: z.int(),
    step: z.int(),
    to: z.array(z.enum(recipientKinds)),
    key: z.boolean(),
  }),
  /** From the mailer: a notice about this proposal failed for good (bad address, rejected, bad vars). */
  NoticeFailed: () => ({ noticeId: z.string(), kind: z.string(), to: z.array(z.string()), reason: z.string() }),
  /** From the mailer: addresses on the suppression list (bounced) were skipped for a notice. */
  RecipientSuppressed: () => ({ noticeId: z.string(), kind: z.string(), emails: z.array(z.string()) }),
} satisfies Record<string, () => z.core.$ZodShape>;

type DataShapes = typeof dataShapes;
export type DomainEventType = keyof DataShapes;
export const domainEventTypes = Object.keys(dataShapes) as DomainEventType[];

const buildSchema = <T extends DomainEventType>(type: T) =>
  z.object({ ...base(), type: z.literal(type), data: z.object(dataShapes[type]() as ReturnType<DataShapes[T]>) });

export type DomainEvent = { [T in DomainEventType]: z.output<ReturnType<typeof buildSchema<T>>> }[DomainEventType];

const built = new Map<string, z.ZodMiniType<DomainEvent>>();
let typeOnly: z.ZodMiniType | undefined;
type SafeParse = ReturnType<z.ZodMiniType<DomainEvent>['safeParse']>;

/** The schema of one event type, built on first use. */
function schemaOf(type: DomainEventType): z.ZodMiniType<DomainEvent> {
  let s = built.get(type);
  if (!s) built.set(type, (s = buildSchema(type) as unknown as z.ZodMiniType<DomainEvent>));
  return s;
}

const typeOf = (input: unknown): unknown => (typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined);
const isEventType = (t: unknown): t is DomainEventType => typeof t === 'string' && Object.hasOwn(dataShapes, t);

/**
 * Parses a domain event (what z.discriminatedUnion('type', ...) would, with each type's schema built
 * on first use). An unknown or missing `type` is an issue at path `type` naming the known types.
 */
export const domainEventSchema = {
  safeParse(input: unknown): SafeParse {
    const type = typeOf(input);
    if (isEventType(type)) return schemaOf(type).safeParse(input);
    typeOnly ??= z.object({ type: z.enum(domainEventTypes) });
    // Fails (the known types were handled above), with the issue at path `type` listing them.
    return typeOnly.safeParse(input) as SafeParse;
  },
  parse(input: unknown): DomainEvent {
    const r = domainEventSchema.safeParse(input);
    if (!r.success) throw r.error;
    return r.data;
  },
};

export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
/** What a use case produces: the envelope fields (id, seq) are filled in by the repository. */
export type NewEvent = { [T in DomainEventType]: Omit<EventOf<T>, 'eventId' | 'proposalId' | 'seq'> }[DomainEventType];
