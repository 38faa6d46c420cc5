/**
 * What a proposal records of the committee and of key proposals (重点提案): the leader leading it
 * (领办领导), the leaders' instructions (批示) with each unit's acknowledgement, and the office's return
 * of a proposal to the committee (not the government's remit). Schemas only (proposal.ts holds them);
 * the decisions are in key-proposals.ts.
 */
import * as z from '#shared/zod.ts';

/** 批示: a leader's instruction on a key proposal, which each assigned unit acknowledges by `deadline`. */
export const instructionSchema = z.lazy(() =>
  z.object({
    /** Numbered from 1 per proposal. */
    n: z.int(),
    /** The leader's name (email.leaders[].name). */
    leader: z.string(),
    text: z.string(),
    at: z.string(),
    /** The units' acknowledgement deadline (ISO instant). */
    deadline: z.string(),
    /** Each unit the instruction went to: when it acknowledged (absent: still owed). */
    units: z.record(z.string(), z.object({ acknowledgedAt: z.optional(z.string()) })),
  }),
);
export type Instruction = z.infer<typeof instructionSchema>;

/** The office returned the proposal to the committee (退回提案委员会): why and when. */
export const committeeReturnSchema = z.lazy(() => z.object({ reason: z.string(), at: z.string() }));
