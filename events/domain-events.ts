/**
 * Domain events (领域事件). Each state change appends one or more of these as items (EVENT#<seq>)
 * in the same transaction as the proposal update; the table stream delivers them to the reactor.
 * They are the audit trail and the outbox at once.
 */
import { z } from 'zod';

export const proposerSchema = z.object({
  memberId: z.string().trim().min(1, 'empty').max(64),
  name: z.string().trim().min(1, 'empty').max(50),
  email: z.email({ message: 'not an email address' }).max(254),
});
export type Proposer = z.infer<typeof proposerSchema>;

export const actorSchema = z.object({
  role: z.enum(['office', 'leader', 'unit', 'member', 'system']),
  sub: z.string(),
  unit: z.string().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

export const keywordMatchSchema = z.object({ unit: z.string(), score: z.number(), keywords: z.array(z.string()) });
export type KeywordMatch = z.infer<typeof keywordMatchSchema>;

const base = {
  eventId: z.string(),
  proposalId: z.string(),
  seq: z.number().int().positive(),
  at: z.string(),
  actor: actorSchema,
};

export const domainEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('ProposalSubmitted'),
    data: z.object({ number: z.string(), title: z.string(), year: z.number().int() }),
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
      reason: z.string().optional(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('ProposalTriaged'),
    data: z.object({ matches: z.array(keywordMatchSchema), reason: z.string() }),
  }),
]);

export type DomainEvent = z.infer<typeof domainEventSchema>;
export type DomainEventType = DomainEvent['type'];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
/** What a use case produces: the envelope fields (id, seq) are filled in by the repository. */
export type NewEvent = { [T in DomainEventType]: Omit<EventOf<T>, 'eventId' | 'proposalId' | 'seq'> }[DomainEventType];
