/**
 * The vars of the committee's and the key proposals' notices (events/notices.ts lists every kind):
 * - keyProposal             重点提案 to its leading leader (领办): number, title, proposalId, key, leader?
 *                           (the leader's name; absent when cleared), change set|cleared
 * - instruction             领导批示 to each assigned unit: number, title, proposalId, unit, leader, text,
 *                           n, deadline (YYYY-MM-DD, its acknowledgement)
 * - instructionAcknowledged 批示已签收 to the leader: number, title, proposalId, unit, leader, n
 * - returnedToCommittee     退回提案委员会 to the committee: number, title, proposalId, reason
 */
import * as z from '#shared/zod.ts';

const text = z.lazy(() => z.string().check(z.minLength(1, 'empty')));
const date = z.lazy(() => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date (YYYY-MM-DD)')));
const n = z.lazy(() => z.int().check(z.positive()));
const proposal = { number: text, title: text, proposalId: text };

export const keyProposalNoticeSchemas = {
  keyProposal: z.lazy(() => z.object({ ...proposal, key: z.boolean(), leader: z.optional(text), change: z.enum(['set', 'cleared']) })),
  instruction: z.lazy(() => z.object({ ...proposal, unit: text, leader: text, text, n, deadline: date })),
  instructionAcknowledged: z.lazy(() => z.object({ ...proposal, unit: text, leader: text, n })),
  returnedToCommittee: z.lazy(() => z.object({ ...proposal, reason: text })),
};
