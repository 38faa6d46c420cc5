/**
 * Request and response schemas of the HTTP API (zod). The OpenAPI document is generated from these.
 */
import { z } from 'zod';
import { proposerSchema } from '#events/domain-events.ts';
import { statuses } from '#domain/proposal.ts';

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

export const proposalView = z.object({
  id: z.string(),
  number: z.string(),
  year: z.number(),
  status: z.enum(statuses),
  title: z.string(),
  body: z.string(),
  category: z.string().optional(),
  key: z.boolean(),
  proposers: z.array(proposerSchema),
  lead: z.string().nullable(),
  co: z.array(z.string()),
  matchedKeywords: z.array(z.object({ unit: z.string(), score: z.number(), keywords: z.array(z.string()) })),
  deadlines: z.record(z.string(), z.string()),
  replies: z.array(z.unknown()),
  feedback: z.array(z.unknown()),
  escalationLevel: z.number(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProposalView = z.infer<typeof proposalView>;
