/**
 * commit: everything one save of a proposal writes, worked out from a decision. Pure.
 *
 * Given the proposal as stored (none for a new one), the decision (the new state and its events, from
 * shared/domain/workflow.ts) and the city's TimerSchedule, `commit`:
 * - numbers the events after the stored version (seq = version + 1, + 2, …; eventId `<id>:<seq>`);
 * - moves the proposal's version by the number of events;
 * - sets its escalationLevel: the highest level its open obligations have reached at the change's time;
 * - works out the timers to put and delete so they match the open obligations (`timerChanges`).
 * The store writes exactly that, in one transaction, under the version the decision was made on.
 *
 * `firing` is the same for a change the sweep makes when a timer fires: the fired timer moves on
 * under its step, unless the change itself replaces or removes that timer (then that write, guarded).
 */
import { domainEventSchema, type DomainEvent, type NewEvent } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { Decision } from '#domain/workflow.ts';
import {
  escalationLevel,
  timerChanges,
  type ProposalTimer,
  type Timer,
  type TimerChanges,
  type TimerSchedule,
} from '#domain/timer-schedule.ts';

/** What one save writes. */
export interface Commit {
  /** The proposal as it is stored: version moved by the number of events, escalationLevel set. */
  proposal: Proposal;
  /** The stored version the decision was made on (0: a new proposal). */
  expectedVersion: number;
  /** The decision's events, numbered after expectedVersion. */
  events: DomainEvent[];
  /** Timers of new or changed obligations to put, obligation ids whose timers go. */
  timers: TimerChanges;
  /** A named counter the decision took its next value from (a 文号): moved from `current` to current + 1 in the same transaction. */
  counter?: { name: string; current: number };
}

/** Where a timer moves: its next step (none left: no nextAt) or away. */
export type TimerMove = { step: number; nextAt?: string } | 'delete';

/**
 * A fired timer's own write, conditioned on the step it was read at (so a step fires once):
 * moved on, deleted, or replaced by a fresh timer (`put`) when the change altered its obligation.
 */
export interface FiredTimer {
  timer: Timer;
  then: TimerMove | { put: ProposalTimer };
}

export function commit(previous: Proposal | undefined, decision: Decision, schedule: TimerSchedule): Commit {
  const { next } = decision;
  const expectedVersion = previous?.version ?? 0;
  const events = decision.events.map((e: NewEvent, i): DomainEvent => {
    const seq = expectedVersion + i + 1;
    return domainEventSchema.parse({ ...e, eventId: `${next.id}:${seq}`, proposalId: next.id, seq });
  });
  const versioned = { ...next, version: expectedVersion + events.length };
  const proposal = { ...versioned, escalationLevel: escalationLevel(versioned, new Date(versioned.updatedAt), schedule) };
  return { proposal, expectedVersion, events, timers: timerChanges(previous, proposal, schedule) };
}

/**
 * The commit of a change made as `timer` fires, and the fired timer's own write: the move the sweep
 * asked for, unless the change puts a fresh timer for the same obligation (that is written instead)
 * or removes it (it is deleted). Either way the commit no longer writes that timer unguarded.
 */
export function firing(c: Commit, timer: ProposalTimer, move: TimerMove): { commit: Commit; fired: FiredTimer } {
  const own = timer.obligationId;
  const replaced = c.timers.put.find((t) => t.obligationId === own);
  const removed = c.timers.remove.includes(own);
  const timers = { put: c.timers.put.filter((t) => t.obligationId !== own), remove: c.timers.remove.filter((id) => id !== own) };
  const then = removed ? 'delete' : replaced ? { put: replaced } : move;
  return { commit: { ...c, timers }, fired: { timer, then } };
}
