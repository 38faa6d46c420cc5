/**
 * The proposal (提案) and its state machine. Pure: no I/O, no clock (instants come in as arguments).
 */
import * as z from '#shared/zod.ts';
import { actorSchema, contactModes, keywordMatchSchema, proposerSchema, satisfactions, similarSchema } from '#events/domain-events.ts';
import { committeeReturnSchema, instructionSchema } from '#domain/key-proposal-state.ts';
import { collectiveSchema } from '#domain/collective.ts';

export const statuses = [
  'submitted', // 已提交
  'registered', // 已立案
  'rejected', // 不予立案
  'merged', // 已并案
  'triage', // 待人工交办 (no unit matched)
  'assigned', // 已交办
  'in_progress', // 办理中
  'reply_review', // 答复审核中
  'replied', // 已答复
  'rehandling', // 重新办理
  'closed', // 已办结
  'withdrawn', // 已撤回 (撤案 by a proposer before the reply)
] as const;
export type Status = (typeof statuses)[number];

export const unitStateSchema = z.lazy(() =>
  z.object({
    role: z.enum(['lead', 'co']),
    assignedAt: z.string(),
    acknowledgedAt: z.optional(z.string()),
    /** This unit's own 签收 deadline, set when the office kept the assignment over its objection. */
    acknowledgeBy: z.optional(z.string()),
    /**
     * 申请调整; `decidedAt` once the office assigned again (until then the unit's 签收 waits, and the
     * office owes the decision by `decideBy`).
     */
    objection: z.optional(
      z.object({ reason: z.string(), at: z.string(), decideBy: z.optional(z.string()), decidedAt: z.optional(z.string()) }),
    ),
    opinion: z.optional(z.object({ text: z.string(), at: z.string() })),
    /** A lead unit's part: its round (1, then one more after each 重新办理) and how often it was re-handled (parts.ts). */
    round: z.optional(z.int()),
    rehandles: z.optional(z.int()),
  }),
);
export type UnitState = z.infer<typeof unitStateSchema>;

/** The unit objected (申请调整) and the office has not decided yet. */
export const objectionPending = (u: UnitState): boolean => u.objection !== undefined && !u.objection.decidedAt;

export const contactSchema = z.lazy(() =>
  z.object({ unit: z.string(), mode: z.enum(contactModes), at: z.string(), note: z.string(), recordedAt: z.string() }),
);

/** 督办记录: the office's own supervision of a unit (实地督查, 电话督办, 座谈). */
export const supervisionModes = ['onsite', 'phone', 'meeting'] as const;
export type SupervisionMode = (typeof supervisionModes)[number];
export const supervisionSchema = z.lazy(() =>
  z.object({ unit: z.string(), mode: z.enum(supervisionModes), note: z.string(), at: z.string(), recordedAt: z.string() }),
);

/** 申请延期 by the lead unit; the office decides (approve: the reply deadline moves to `until`) by `decideBy`. */
export const extensionRequestSchema = z.lazy(() =>
  z.object({
    n: z.int(),
    unit: z.string(),
    /** The reply deadline asked for (ISO instant: the end of that working day). */
    until: z.string(),
    reason: z.string(),
    at: z.string(),
    decideBy: z.string(),
    decision: z.optional(z.object({ approve: z.boolean(), reason: z.optional(z.string()), at: z.string() })),
  }),
);
export type ExtensionRequest = z.infer<typeof extensionRequestSchema>;

/** 公开属性 of a reply letter: 公开, 依申请公开, 不予公开 (the last two with a reason). */
export const disclosures = ['public', 'on_request', 'private'] as const;
export type Disclosure = (typeof disclosures)[number];

/** The 答复函's formal parts; the text is the reply's own. 文号 and 签发人 are set at 签发. */
export const replyLetterSchema = z.lazy(() =>
  z.object({
    /** 联系人 and 联系电话 of the unit for this reply. */
    contactName: z.string(),
    contactPhone: z.string(),
    disclosure: z.enum(disclosures),
    disclosureReason: z.optional(z.string()),
    /** 文号, e.g. 卫健函〔2026〕12号: numbered per unit and year at 签发 (city config replies.letterNumber). */
    docNumber: z.optional(z.string()),
    /** 签发人: the unit head who signed it off (or the unit, where the city has no 签发 step). */
    signer: z.optional(z.string()),
  }),
);
export type ReplyLetter = z.infer<typeof replyLetterSchema>;

/**
 * Reply statuses (答复状态): draft (saved by the lead unit, editable) -> signing (waits for the unit
 * head's 签发, where the city asks for it) -> countersign (co-units 会签, where the city asks) ->
 * review (the office's 审核, with its own deadline) -> approved (sent to the proposers); returned by
 * the office. A reply "left the unit" at `signedAt`: what 按时办复 measures.
 */
export const replyStatuses = ['draft', 'signing', 'countersign', 'review', 'approved', 'returned'] as const;
export type ReplyStatus = (typeof replyStatuses)[number];

export const replySchema = z.lazy(() =>
  z.object({
    n: z.int(),
    /** 1 = first reply; one more after each re-handling (重新办理) of its part. */
    round: z.int(),
    unit: z.string(),
    /** A code of the city's reply classes (replies.classes; default A-D). */
    replyClass: z.string(),
    text: z.string(),
    status: z.enum(replyStatuses),
    /** When it was first saved (a draft) or submitted. */
    submittedAt: z.string(),
    /** 签发: when the reply left the unit (signed off by its head, or submitted where there is no such step). */
    signedAt: z.optional(z.string()),
    /** 会签 by the co-units, each once. */
    countersigns: z._default(z.array(z.object({ unit: z.string(), at: z.string(), note: z.optional(z.string()) })), []),
    /** The office's review: when it started, and its deadline (policy.replyReview). */
    reviewFrom: z.optional(z.string()),
    reviewBy: z.optional(z.string()),
    decidedAt: z.optional(z.string()),
    returnReason: z.optional(z.string()),
    /** The office corrected the class (from -> replyClass) with a reason. */
    classCorrection: z.optional(z.object({ from: z.string(), reason: z.string() })),
    letter: z.optional(replyLetterSchema),
  }),
);
export type Reply = z.infer<typeof replySchema>;

export const feedbackSchema = z.lazy(() =>
  z.object({
    n: z.int(),
    memberId: z.string(),
    satisfaction: z.enum(satisfactions),
    comment: z.optional(z.string()),
    at: z.string(),
    /** A rating of the 二次答复 (the final progress report of reply n), not of reply n itself. */
    second: z.optional(z.literal(true)),
  }),
);
export type Feedback = z.infer<typeof feedbackSchema>;

/** 跟踪落实 of a followed-up reply class. */
export const followUpSchema = z.lazy(() =>
  z.object({
    open: z.boolean(),
    progress: z.array(z.object({ text: z.string(), resolved: z.boolean(), at: z.string() })),
    /** 二次答复: the final (resolved) progress report, sent to the proposers for reply `n`. */
    secondReply: z.optional(z.object({ n: z.int(), text: z.string(), at: z.string() })),
    /** The follow-up ended at the city's cap of periods (replies.followUpMax) without a final report. */
    capped: z.optional(z.boolean()),
  }),
);

export const proposalSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    /** 案号, from the city's numbering pattern. */
    number: z.string(),
    year: z.int(),
    seq: z.int(),
    title: z.string(),
    body: z.string(),
    category: z.optional(z.string()),
    /** 重点提案 */
    key: z.boolean(),
    /** 领办领导 of a key proposal (email.leaders[].name), set by the committee or the office. */
    leader: z.optional(z.string()),
    /** 批示 of the leading leader, each acknowledged by the units. */
    instructions: z._default(z.array(instructionSchema), []),
    /** The office's last return of it to the committee (退回提案委员会: not the government's remit). */
    committeeReturn: z.optional(committeeReturnSchema),
    proposers: z.array(proposerSchema),
    /** 集体提案: in the name of a 界别, 党派 or 专委会; the first proposer is its contact member. */
    collective: z.optional(collectiveSchema),
    submittedBy: actorSchema,
    status: z.enum(statuses),
    /** 主办单位 */
    lead: z.optional(z.string()),
    /** 分办: every lead unit, `lead` first, when the office split the proposal between several (else empty). */
    leads: z._default(z.array(z.string()), []),
    /** 协办单位 */
    co: z.array(z.string()),
    /** Why the units were chosen: every unit that scored, highest first. */
    matches: z.array(keywordMatchSchema),
    /** Obligation -> deadline instant (ISO). */
    deadlines: z.record(z.string(), z.string()),
    escalationLevel: z.int(),
    /** Per assigned unit: its role and what it has done (签收, 申请调整, 会签). */
    units: z._default(z.record(z.string(), unitStateSchema), {}),
    /** 面商 and other contacts with the proposers. */
    contacts: z._default(z.array(contactSchema), []),
    replies: z._default(z.array(replySchema), []),
    feedback: z._default(z.array(feedbackSchema), []),
    /** Class B/C after closing: 跟踪落实 until resolved. */
    followUp: z.optional(followUpSchema),
    /** 分办: the follow-up of each other lead unit's part (parts.ts followUpOf). */
    partFollowUps: z._default(z.record(z.string(), followUpSchema), {}),
    rejectReason: z.optional(z.string()),
    /** 督办记录 by the office. */
    supervisions: z._default(z.array(supervisionSchema), []),
    /** 申请延期 by the lead unit, numbered from 1; at most one waits for the office at a time. */
    extensionRequests: z._default(z.array(extensionRequestSchema), []),
    /** 撤案: the proposer who withdrew it, why, when. */
    withdrawal: z.optional(z.object({ memberId: z.string(), reason: z.string(), at: z.string() })),
    mergedInto: z.optional(z.string()),
    mergedFrom: z._default(z.array(z.string()), []),
    /** Earlier proposals that look alike (merge candidates for the office). */
    similar: z._default(z.array(similarSchema), []),
    /** How many times the office changed the units after the first assignment. */
    reassignments: z._default(z.int(), 0),
    rehandles: z._default(z.int(), 0),
    closedAt: z.optional(z.string()),
    /** Deadlines computed outside the years the holiday data covers (weekdays only): shown loudly. */
    calendarWarnings: z._default(z.array(z.string()), []),
    /** Optimistic lock; equals the seq of the last event appended. */
    version: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
export type Proposal = z.output<typeof proposalSchema>;
export type ProposalInput = z.input<typeof proposalSchema>;

/**
 * Who may take a proposal from one status to another. Checked by every use case. Back to `submitted`:
 * the office returned it to the committee (退回提案委员会), which reviews it again.
 */
const transitions: Record<Status, readonly Status[]> = {
  submitted: ['registered', 'rejected', 'merged', 'withdrawn'],
  registered: ['assigned', 'triage', 'withdrawn', 'submitted'],
  triage: ['assigned', 'rejected', 'merged', 'withdrawn', 'submitted'],
  assigned: ['assigned', 'in_progress', 'triage', 'merged', 'withdrawn', 'submitted'],
  in_progress: ['assigned', 'reply_review', 'merged', 'withdrawn', 'submitted'],
  // 分办 (parts.ts settledStatus): a returned reply or a re-handled part while others wait.
  reply_review: ['replied', 'in_progress', 'rehandling', 'withdrawn'],
  replied: ['closed', 'rehandling'],
  rehandling: ['reply_review', 'in_progress'],
  rejected: [],
  merged: [],
  closed: [],
  withdrawn: [],
};

export function canTransition(from: Status, to: Status): boolean {
  return transitions[from].includes(to);
}

export class IllegalTransition extends Error {
  constructor(
    readonly from: Status,
    readonly to: Status,
  ) {
    super(`illegal transition from ${from} to ${to}`);
    this.name = 'IllegalTransition';
  }
}

export function transition(p: Proposal, to: Status, at: string): Proposal {
  if (!canTransition(p.status, to)) throw new IllegalTransition(p.status, to);
  return { ...p, status: to, updatedAt: at };
}

/**
 * Formats a case number (案号) from the city's pattern, e.g. "{year}-{seq:3}" -> "2026-007".
 * Supported placeholders: {year}, {seq}, {seq:N} (zero-padded to N digits).
 */
export function formatCaseNumber(pattern: string, year: number, seq: number): string {
  return pattern
    .replace(/\{year\}/g, String(year))
    .replace(/\{seq(?::(\d+))?\}/g, (_, width?: string) => String(seq).padStart(Number(width ?? 0), '0'));
}

/**
 * The 文号 of a unit's reply letter from the city's pattern (replies.letterNumber), e.g.
 * "{unitShort}函〔{year}〕{seq}号" -> "卫健函〔2026〕12号". Placeholders: {unitShort}, {unit} (id),
 * {year}, {seq}, {seq:N}.
 */
export function formatLetterNumber(pattern: string, unit: { id: string; short: string }, year: number, seq: number): string {
  return formatCaseNumber(pattern.replace(/\{unitShort\}/g, unit.short).replace(/\{unit\}/g, unit.id), year, seq);
}
