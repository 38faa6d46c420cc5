/**
 * The steps of one obligation's timer (定时器), from the city policy. Pure.
 *
 * Steps, by index: the reminders (提醒) at the policy offsets before the deadline (key proposals use
 * policy.key.reminders when given), earliest first; then the escalation ladder after it (催办 / 督办 /
 * 报分管领导): one step per policy.escalation entry at deadline + `after`, and when the last entry has
 * `repeat`, again every `repeat` for ever. Each step fires at `calendar.nextSendTime` of its time, so
 * mail never goes out at night or on a day off; deadlines themselves are not moved. Steps are
 * computed by index on demand, so a repeating ladder needs no list. The proposers' feedback has the
 * reminders (to the proposers who have not rated yet: `to` is empty, notices-for-event finds them)
 * and then one step at its deadline, which closes the proposal (no escalation).
 *
 * Timers are a pure function of the proposal (`timerChanges`, which `commit` in commit.ts applies to
 * every save): each open obligation has one, whose `step` is the index of its next step and `nextAt`
 * that step's fire time (none: nothing left to fire).
 */
import type { WorkingCalendar } from '#domain/calendar.ts';
import type { CityConfig, Duration, RecipientKind } from '#domain/city-config.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { Obligation } from '#domain/workflow.ts';
import { openObligations, type OpenObligation } from '#domain/obligations.ts';

/** What a timer is about. */
export interface TimerSubject {
  obligation: Obligation;
  unit?: string;
  /** ISO instant. */
  deadline: string;
  /** 重点提案 */
  key: boolean;
}

export type TimerStep =
  | { kind: 'reminder'; index: number; at: string; to: RecipientKind[] }
  | { kind: 'escalation'; index: number; at: string; level: number; to: RecipientKind[] }
  | { kind: 'close'; index: number; at: string };

/** A proposal's timer: one per open obligation. */
export interface ProposalTimer extends TimerSubject {
  kind: 'obligation';
  proposalId: string;
  /** OpenObligation.id */
  obligationId: string;
  /** Index of the next step. */
  step: number;
  /** Fire time (ISO) of that step; absent when no step is left (the timer is then not in the due index). */
  nextAt?: string;
}

/** A city-wide timer (the 通报 bulletin). */
export interface CityTimer {
  kind: 'city';
  name: 'bulletin';
  step: number;
  nextAt?: string;
}

export type Timer = ProposalTimer | CityTimer;

type Policy = Pick<CityConfig['policy'], 'reminders' | 'escalation' | 'key'>;

export class TimerSchedule {
  constructor(
    private readonly policy: Policy,
    readonly calendar: WorkingCalendar,
  ) {}

  /** The step at `index`, or undefined when the timer has no more steps. */
  step(s: TimerSubject, index: number): TimerStep | undefined {
    if (index < 0) return undefined;
    const deadline = new Date(s.deadline);
    const reminders = this.reminderTimes(s, deadline);
    const r = reminders[index];
    if (s.obligation === 'feedback') {
      if (r) return { kind: 'reminder', index, at: this.send(r), to: [] };
      return index === reminders.length ? { kind: 'close', index, at: s.deadline } : undefined;
    }
    if (r) return { kind: 'reminder', index, at: this.send(r), to: this.recipients(s, ['unit']) };
    const ladder = this.policy.escalation;
    const j = index - reminders.length;
    const last = ladder[ladder.length - 1];
    if (!last) return undefined;
    const e = ladder[Math.min(j, ladder.length - 1)];
    if (!e) return undefined;
    let at = this.add(deadline, e.after);
    if (j >= ladder.length) {
      if (!last.repeat) return undefined;
      for (let k = ladder.length - 1; k < j; k++) at = this.add(at, last.repeat);
    }
    return { kind: 'escalation', index, at: this.send(at), level: e.level, to: this.recipients(s, e.to) };
  }

  /**
   * The first step of a timer created at `createdAt`: steps already past are skipped, except that an
   * obligation already overdue starts at the escalation step it has reached (and feedback still closes).
   */
  firstStep(s: TimerSubject, createdAt: Date): number {
    const k = this.firstAfter(s, 0, createdAt);
    const before = this.step(s, k - 1);
    return before && before.kind !== 'reminder' ? k - 1 : k;
  }

  /** The last step at or after `from` that is due at `now`, or undefined when step `from` is not due yet. */
  latestDue(s: TimerSubject, from: number, now: Date): number | undefined {
    const k = this.firstAfter(s, from, now);
    return k > from ? k - 1 : undefined;
  }

  /** The escalation level an obligation has reached at `now` (0: none). */
  levelAt(s: TimerSubject, now: Date): number {
    const k = this.firstAfter(s, 0, now);
    for (let i = k - 1; i >= 0; i--) {
      const st = this.step(s, i);
      if (st?.kind === 'escalation') return st.level;
    }
    return 0;
  }

  /** When the first reminder fires (the start of the 黄灯 window), if there is one. */
  firstReminderAt(s: TimerSubject): string | undefined {
    const st = this.step(s, 0);
    return st?.kind === 'reminder' ? st.at : undefined;
  }

  /** A new timer for an open obligation, created at `createdAt`. */
  newTimer(proposalId: string, o: OpenObligation, key: boolean, createdAt: Date): ProposalTimer {
    const subject: TimerSubject = { obligation: o.obligation, deadline: o.deadline, key, ...(o.unit ? { unit: o.unit } : {}) };
    const step = this.firstStep(subject, createdAt);
    const nextAt = this.step(subject, step)?.at;
    return { kind: 'obligation', proposalId, obligationId: o.id, ...subject, step, ...(nextAt ? { nextAt } : {}) };
  }

  /** Index of the first step at or after `from` whose fire time is after `t` (steps are in time order). */
  private firstAfter(s: TimerSubject, from: number, t: Date): number {
    let i = Math.max(from, 0);
    for (let st = this.step(s, i); st && Date.parse(st.at) <= t.getTime(); st = this.step(s, ++i));
    return i;
  }

  private reminderTimes(s: TimerSubject, deadline: Date): Date[] {
    const offsets = (s.key ? this.policy.key.reminders : undefined) ?? this.policy.reminders;
    return offsets
      .map((d) => this.add(deadline, d))
      .filter((t) => t.getTime() < deadline.getTime())
      .sort((a, b) => a.getTime() - b.getTime());
  }

  private recipients(s: TimerSubject, to: readonly RecipientKind[]): RecipientKind[] {
    const all: RecipientKind[] = s.key && this.policy.key.addLeaders ? [...to, 'leaders'] : [...to];
    return [...new Set(all)];
  }

  private add(from: Date, d: Duration): Date {
    return this.calendar.addDuration(from, d).at;
  }

  private send(at: Date): string {
    return this.calendar.nextSendTime(at).toISOString();
  }
}

/** What to write so the timers match the proposal's open obligations. */
export interface TimerChanges {
  /** New timers, and timers whose obligation changed (deadline, unit or key): written afresh. */
  put: ProposalTimer[];
  /** Obligation ids whose timers go (fulfilled, or no longer open). */
  remove: string[];
}

/** Compares the open obligations before and after a change (`previous` undefined: a new proposal). */
export function timerChanges(previous: Proposal | undefined, next: Proposal, schedule: TimerSchedule): TimerChanges {
  const before = new Map((previous ? openObligations(previous) : []).map((o) => [o.id, o]));
  const after = openObligations(next);
  const createdAt = new Date(next.updatedAt);
  const same = (a: OpenObligation, b: OpenObligation | undefined) =>
    b !== undefined && a.deadline === b.deadline && a.unit === b.unit && a.obligation === b.obligation && previous?.key === next.key;
  return {
    put: after.filter((o) => !same(o, before.get(o.id))).map((o) => schedule.newTimer(next.id, o, next.key, createdAt)),
    remove: [...before.keys()].filter((id) => !after.some((o) => o.id === id)),
  };
}

/** The proposal's escalation level: the highest level its open obligations have reached at `now`. */
export function escalationLevel(p: Proposal, now: Date, schedule: TimerSchedule): number {
  return Math.max(0, ...openObligations(p).map((o) => schedule.levelAt({ ...o, key: p.key }, now)));
}
