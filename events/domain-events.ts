/**
 * Domain events (领域事件). Each state change appends one or more of these as items (EVENT#<seq>)
 * in the same transaction as the proposal update; the table stream delivers them to the reactor.
 * They are the audit trail and the outbox at once.
 */
import * as z from '#shared/zod.ts';

/** Who a reminder or an escalation goes to (same names as RecipientKind in the city config). */
export const recipientKinds = ['unit', 'unitHead', 'office', 'leaders'] as const;

export const proposerSchema = z.object({
  memberId: z.string().check(z.trim(), z.minLength(1, 'empty'), z.maxLength(64)),
  name: z.string().check(z.trim(), z.minLength(1, 'empty'), z.maxLength(50)),
  email: z.email({ message: 'not an email address' }).check(z.maxLength(254)),
});
export type Proposer = z.infer<typeof proposerSchema>;

export const actorSchema = z.object({
  role: z.enum(['office', 'leader', 'unit', 'member', 'system']),
  sub: z.string(),
  unit: z.optional(z.string()),
});
export type Actor = z.infer<typeof actorSchema>;

export const keywordMatchSchema = z.object({ unit: z.string(), score: z.number(), keywords: z.array(z.string()) });
export type KeywordMatch = z.infer<typeof keywordMatchSchema>;

export const contactModes = ['face_to_face', 'phone', 'visit', 'letter', 'online'] as const;
export const replyClasses = ['A', 'B', 'C', 'D'] as const;
export const satisfactions = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type ContactMode = (typeof contactModes)[number];
export type ReplyClass = (typeof replyClasses)[number];
export type Satisfaction = (typeof satisfactions)[number];

export const similarSchema = z.object({ id: z.string(), number: z.string(), title: z.string(), score: z.number() });

const base = {
  eventId: z.string(),
  proposalId: z.string(),
  seq: z.int().check(z.positive()),
  at: z.string(),
  actor: actorSchema,
};

function ev<T extends string, S extends z.core.$ZodShape>(type: T, data: S) {
  return z.object({ ...base, type: z.literal(type), data: z.object(data) });
}

export const domainEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('ProposalSubmitted'),
    data: z.object({ number: z.string(), title: z.string(), year: z.int() }),
  }),
  z.object({ ...base, type: z.literal('ProposalRegistered'), data: z.object({ mode: z.enum(['auto', 'manual']) }) }),
  z.object({
    ...base,
    type: z.literal('ProposalAssigned'),
    data: z.object({
      lead: z.string(),
      co: z.array(z.string()),
      matches: z.array(keywordMatchSchema),
      by: z.enum(['keywords', 'office']),
      /** Obligation -> deadline instant (ISO) set by this assignment. */
      deadlines: z.record(z.string(), z.string()),
      reason: z.optional(z.string()),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('ProposalTriaged'),
    data: z.object({ matches: z.array(keywordMatchSchema), reason: z.string() }),
  }),
  ev('SimilarProposalsFound', { similar: z.array(similarSchema) }),
  ev('ProposalRejected', { reason: z.string() }),
  ev('ProposalMerged', { into: z.string(), intoNumber: z.string(), reason: z.optional(z.string()) }),
  /** On the main proposal when another is merged into it (并案). */
  ev('ProposalAbsorbed', { from: z.string(), fromNumber: z.string(), proposers: z.array(proposerSchema) }),
  ev('AssignmentChanged', {
    lead: z.string(),
    co: z.array(z.string()),
    previous: z.object({ lead: z.optional(z.string()), co: z.array(z.string()) }),
    reason: z.optional(z.string()),
    deadlines: z.record(z.string(), z.string()),
  }),
  ev('UnitAcknowledged', { unit: z.string() }),
  ev('UnitObjected', { unit: z.string(), reason: z.string() }),
  ev('CoOpinionGiven', { unit: z.string(), text: z.string() }),
  ev('ContactRecorded', { unit: z.string(), mode: z.enum(contactModes), contactAt: z.string(), note: z.string() }),
  ev('ReplySubmitted', { n: z.int(), unit: z.string(), replyClass: z.enum(replyClasses), text: z.string(), round: z.int() }),
  ev('ReplyApproved', { n: z.int(), feedbackDeadline: z.string() }),
  ev('ReplyReturned', { n: z.int(), reason: z.string() }),
  ev('FeedbackGiven', { n: z.int(), memberId: z.string(), satisfaction: z.enum(satisfactions), comment: z.optional(z.string()) }),
  ev('RehandlingStarted', { n: z.int(), deadline: z.string(), comment: z.optional(z.string()) }),
  ev('ProposalClosed', { reason: z.enum(['all_rated', 'feedback_deadline']), followUp: z.boolean(), followUpDeadline: z.optional(z.string()) }),
  ev('ProgressReported', { text: z.string(), resolved: z.boolean() }),
  ev('ReplyDeadlineExtended', { until: z.string(), reason: z.optional(z.string()) }),
  /** From the sweep: a reminder before a deadline, or an escalation step after it. */
  // `to`: who the notice goes to (the unit's addresses, its head, the office, the leaders); `key`: 重点提案.
  ev('ReminderDue', { obligation: z.string(), unit: z.optional(z.string()), deadline: z.string(), step: z.int(), to: z.array(z.enum(recipientKinds)), key: z.boolean() }),
  ev('Escalated', {
    obligation: z.string(),
    unit: z.optional(z.string()),
    deadline: z.string(),
    level: z.int(),
    step: z.int(),
    to: z.array(z.enum(recipientKinds)),
    key: z.boolean(),
  }),
  /** From the mailer: a notice about this proposal failed for good (bad address, rejected, bad vars). */
  ev('NoticeFailed', { noticeId: z.string(), kind: z.string(), to: z.array(z.string()), reason: z.string() }),
  /** From the mailer: addresses on the suppression list (bounced) were skipped for a notice. */
  ev('RecipientSuppressed', { noticeId: z.string(), kind: z.string(), emails: z.array(z.string()) }),
]);

export type DomainEvent = z.infer<typeof domainEventSchema>;
export type DomainEventType = DomainEvent['type'];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
/** What a use case produces: the envelope fields (id, seq) are filled in by the repository. */
export type NewEvent = { [T in DomainEventType]: Omit<EventOf<T>, 'eventId' | 'proposalId' | 'seq'> }[DomainEventType];
