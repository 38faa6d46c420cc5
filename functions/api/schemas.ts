/**
 * Request and response schemas of the HTTP API (zod). The OpenAPI document is generated from these.
 */
import * as z from 'zod';
import { contactModes, keywordMatchSchema, proposerSchema, replyClasses, satisfactions } from '#events/domain-events.ts';
import { proposalSchema, statuses } from '#domain/proposal.ts';

export const submitProposalBody = z
  .object({
    title: z.string().trim().min(1, 'empty').max(200, 'longer than 200 characters'),
    body: z.string().trim().min(1, 'empty').max(20_000, 'longer than 20000 characters'),
    proposers: z.array(proposerSchema).min(1, 'at least one proposer').max(50, 'at most 50 proposers'),
    category: z.string().trim().max(50).optional(),
    key: z.boolean().optional(),
  })
  .strict();

export const proposalIdParam = z.string().uuid({ message: 'not a proposal id' });

/** A proposal as the API shows it (GET /v1/proposals/{id}, list items). */
export const proposalView = proposalSchema
  .omit({ lead: true, matches: true, seq: true, submittedBy: true, reassignments: true, rehandles: true })
  .extend({
    lead: z.string().nullable(),
    matchedKeywords: z.array(keywordMatchSchema),
    trafficLight: z.enum(['green', 'yellow', 'red']),
  });
export type ProposalView = z.input<typeof proposalView>;

const text = (max: number) => z.string().trim().min(1, 'empty').max(max, `longer than ${max} characters`);
const unitId = z.string().regex(/^[a-z0-9-]+$/, 'not a unit id');

export const reviewBody = z
  .object({
    decision: z.enum(['register', 'reject', 'merge']),
    reason: text(2000).optional(),
    mergeInto: z.string().uuid({ message: 'not a proposal id' }).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.decision === 'merge' && !v.mergeInto) ctx.addIssue({ code: 'custom', path: ['mergeInto'], message: 'required when decision is merge' });
    if (v.decision === 'reject' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required when decision is reject' });
  });

export const assignmentBody = z.object({ lead: unitId, co: z.array(unitId).max(10).default([]), reason: text(2000).optional() }).strict();
export const objectionBody = z.object({ reason: text(2000) }).strict();
export const opinionBody = z.object({ text: text(10_000) }).strict();
export const contactBody = z
  .object({
    unit: unitId,
    mode: z.enum(contactModes),
    at: z.iso.datetime({ offset: true, message: 'not an ISO 8601 time with offset' }),
    note: text(5000),
  })
  .strict();
export const replyBody = z.object({ class: z.enum(replyClasses), text: text(20_000) }).strict();
export const returnBody = z.object({ reason: text(2000) }).strict();
export const feedbackBody = z
  .object({ token: z.string().min(1, 'empty').max(2000), satisfaction: z.enum(satisfactions), comment: z.string().trim().max(2000).optional() })
  .strict();
export const progressBody = z.object({ text: text(10_000), resolved: z.boolean() }).strict();
export const extensionBody = z.object({ until: z.iso.date({ message: 'not a date (YYYY-MM-DD)' }), reason: text(2000).optional() }).strict();
export const replyNumberParam = z.coerce.number({ message: 'not a reply number' }).int('not a reply number').positive('not a reply number');
export const unitParam = unitId;

export const listQuery = z
  .object({
    status: z.enum(statuses).optional(),
    unit: unitId.optional(),
    year: z.coerce.number({ message: 'not a year' }).int().min(2000).max(2100).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number({ message: 'not a number' }).int().min(1).max(100).default(20),
    cursor: z.string().max(2000).optional(),
  })
  .strict();
