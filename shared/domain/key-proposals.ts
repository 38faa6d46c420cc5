/**
 * The committee's and the leaders' part of the workflow, as pure decisions in the manner of
 * workflow.ts: (proposal, command, context) -> the next state and its events; no events: already so.
 * - setKey: 重点提案 set or cleared (by the committee or the office), with its 领办领导;
 * - instruct: the leading leader's 批示, which every assigned unit acknowledges by a deadline;
 * - acknowledgeInstruction: a unit's acknowledgement of a 批示 (its obligation ends);
 * - returnToCommittee: the office sends a proposal back to the committee (not the government's
 *   remit): it is `submitted` again, for the committee to review; the units it had lose it.
 * Who reviews is the city's choice (config `review`): `reviewerOf`.
 */
import { followUpOpen } from '#domain/parts.ts';
import type { NewEvent } from '#events/domain-events.ts';
import type { Identity } from '#domain/access.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { transition, type Proposal, type Status } from '#domain/proposal.ts';
import { WorkflowConflict, type Ctx, type Decision } from '#domain/workflow.ts';
import { statusNames } from '#domain/glossary.ts';
import { roomFor } from '#domain/limits.ts';

/** The role that reviews (立案 / 不予立案 / 并案) in this city. */
export function reviewerOf(config: Pick<CityConfig, 'review'>): 'office' | 'committee' {
  return config.review === 'committee' ? 'committee' : 'office';
}

const unchanged = (p: Proposal): Decision => ({ next: p, events: [] });
const conflict = (p: Proposal, message: string) => new WorkflowConflict(message, p.status);

/** Statuses in which a proposal is live (can still be designated key, or instructed on). */
const live: readonly Status[] = ['submitted', 'registered', 'triage', 'assigned', 'in_progress', 'reply_review', 'replied', 'rehandling'];

/** 重点提案: set (with its leading leader, or none yet) or cleared. `leader` is a configured leader's name. */
export function setKey(p: Proposal, ctx: Ctx, key: boolean, leader?: string): Decision {
  if (!live.includes(p.status) && !(p.status === 'closed' && followUpOpen(p)))
    throw conflict(p, `提案当前状态为「${statusNames[p.status]}」，不能设定重点提案`);
  const nextLeader = key ? leader : undefined;
  if (p.key === key && p.leader === nextLeader) return unchanged(p);
  const { leader: _old, ...rest } = p;
  return {
    next: { ...rest, key, ...(nextLeader ? { leader: nextLeader } : {}), updatedAt: ctx.at },
    events: [
      {
        type: 'KeyProposalSet',
        at: ctx.at,
        actor: ctx.actor,
        data: {
          key,
          ...(nextLeader ? { leader: nextLeader } : {}),
          previous: { key: p.key, ...(p.leader ? { leader: p.leader } : {}) },
        },
      },
    ],
  };
}

/** The units a 批示 goes to: every unit assigned now (lead and co). */
const assignedUnits = (p: Proposal): string[] => Object.keys(p.units);

/** 批示 by `leader` on a key proposal they lead; each assigned unit acknowledges it by ctx.due('instruction'). */
export function instruct(p: Proposal, ctx: Ctx, leader: string, text: string): Decision {
  if (!p.key || !p.leader) throw conflict(p, '只有已确定领办领导的重点提案才能批示');
  if (p.leader !== leader) throw conflict(p, `本提案的领办领导是 ${p.leader}`);
  if (!live.includes(p.status) && !(p.status === 'closed' && followUpOpen(p)))
    throw conflict(p, `提案当前状态为「${statusNames[p.status]}」，不能批示`);
  const units = assignedUnits(p);
  if (units.length === 0) throw conflict(p, '提案尚未交办承办单位，无法批示');
  const last = p.instructions.at(-1);
  if (last && last.leader === leader && last.text === text) return unchanged(p); // a repeat
  roomFor(p, 'instructions', text);
  const n = p.instructions.length + 1;
  const deadline = ctx.due('instruction');
  const instruction = { n, leader, text, at: ctx.at, deadline, units: Object.fromEntries(units.map((u) => [u, {}])) };
  return {
    next: { ...p, instructions: [...p.instructions, instruction], updatedAt: ctx.at },
    events: [{ type: 'InstructionGiven', at: ctx.at, actor: ctx.actor, data: { n, leader, text, units, deadline } }],
  };
}

/** The unit acknowledges 批示 n (its obligation ends); again: nothing changes. */
export function acknowledgeInstruction(p: Proposal, ctx: Ctx, n: number, unit: string): Decision {
  const i = p.instructions.find((x) => x.n === n);
  if (!i) throw conflict(p, `没有第 ${n} 条批示`);
  const u = i.units[unit];
  if (!u) throw conflict(p, `第 ${n} 条批示未发给承办单位 ${unit}`);
  if (u.acknowledgedAt) return unchanged(p);
  const instructions = p.instructions.map((x) => (x.n === n ? { ...x, units: { ...x.units, [unit]: { acknowledgedAt: ctx.at } } } : x));
  return {
    next: { ...p, instructions, updatedAt: ctx.at },
    events: [{ type: 'InstructionAcknowledged', at: ctx.at, actor: ctx.actor, data: { n, unit } }],
  };
}

/** The 批示 a unit still owes an acknowledgement of (open obligations), oldest first. */
export function pendingInstructions(p: Proposal, unit?: string): { n: number; unit: string; deadline: string }[] {
  if (!live.includes(p.status) && !(p.status === 'closed' && followUpOpen(p))) return [];
  return p.instructions.flatMap((i) =>
    Object.entries(i.units)
      .filter(([u, s]) => !s.acknowledgedAt && (!unit || u === unit) && p.units[u])
      .map(([u]) => ({ n: i.n, unit: u, deadline: i.deadline })),
  );
}

const returnable: readonly Status[] = ['registered', 'triage', 'assigned', 'in_progress'];

/** 退回提案委员会: before any reply, the office returns the proposal with its reason; the committee reviews it again. */
export function returnToCommittee(p: Proposal, ctx: Ctx, reason: string): Decision {
  if (!returnable.includes(p.status)) throw conflict(p, `提案当前状态为「${statusNames[p.status]}」，不能退回提案委员会`);
  const { lead, ...rest } = p;
  const events: NewEvent[] = [
    {
      type: 'ReturnedToCommittee',
      at: ctx.at,
      actor: ctx.actor,
      data: { reason, previous: { ...(lead ? { lead } : {}), co: p.co } },
    },
  ];
  return {
    next: {
      ...transition(rest, 'submitted', ctx.at),
      co: [],
      units: {},
      deadlines: {},
      committeeReturn: { reason, at: ctx.at },
    },
    events,
  };
}

/** Whether `who` reviews in this city (the committee, or the office). */
export const reviews = (who: Identity, config: Pick<CityConfig, 'review'>): boolean => who.role === reviewerOf(config);
