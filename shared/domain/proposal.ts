/**
 * The proposal (提案) and its state machine. Pure: no I/O, no clock (instants come in as arguments).
 */
import { z } from 'zod';
import { actorSchema, keywordMatchSchema, proposerSchema } from '#events/domain-events.ts';

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
] as const;
export type Status = (typeof statuses)[number];

export const proposalSchema = z.object({
  id: z.string(),
  /** 案号, from the city's numbering pattern. */
  number: z.string(),
  year: z.number().int(),
  seq: z.number().int(),
  title: z.string(),
  body: z.string(),
  category: z.string().optional(),
  /** 重点提案 */
  key: z.boolean(),
  proposers: z.array(proposerSchema),
  submittedBy: actorSchema,
  status: z.enum(statuses),
  /** 主办单位 */
  lead: z.string().optional(),
  /** 协办单位 */
  co: z.array(z.string()),
  /** Why the units were chosen: every unit that scored, highest first. */
  matches: z.array(keywordMatchSchema),
  /** Obligation -> deadline instant (ISO). */
  deadlines: z.record(z.string(), z.string()),
  escalationLevel: z.number().int(),
  /** Optimistic lock; equals the seq of the last event appended. */
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Proposal = z.infer<typeof proposalSchema>;

/** Who may take a proposal from one status to another. Checked by every use case. */
const transitions: Record<Status, readonly Status[]> = {
  submitted: ['registered', 'rejected', 'merged'],
  registered: ['assigned', 'triage'],
  triage: ['assigned', 'rejected', 'merged'],
  assigned: ['assigned', 'in_progress', 'triage'],
  in_progress: ['assigned', 'reply_review'],
  reply_review: ['replied', 'in_progress'],
  replied: ['closed', 'rehandling'],
  rehandling: ['reply_review'],
  rejected: [],
  merged: [],
  closed: [],
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
  return pattern.replace(/\{year\}/g, String(year)).replace(/\{seq(?::(\d+))?\}/g, (_, width?: string) => String(seq).padStart(Number(width ?? 0), '0'));
}
