/**
 * The sweep (定时扫描): fires the timers that are due (docs/deadlines.md).
 *
 * It queries only what is due (the sparse, sharded `due` index; never a Scan). For each due
 * proposal timer it loads the proposal and, in ONE transaction, saves it under its version with the
 * resulting event (ReminderDue / Escalated, or the close at the feedback deadline) and moves the timer
 * on under the condition `step = <the step it read>`: of two overlapping sweeps one wins, the other's
 * transaction fails and it skips the timer, so a step fires exactly once. When several steps of a
 * timer are due (the sweep was late, or the clock moved), only the latest fires. Reminders and
 * escalations found due in quiet hours or on a day off are moved to the next working morning.
 * The city's bulletin timer (通报) puts its notices on the queue (id bulletin/<period>, and per unit with
 * replies.bulletinToUnits) and moves on;
 * it lists the reported year's proposals and those of earlier years that a unit still owes something on.
 *
 * One bad timer never stops the rest: a timer whose step throws (its proposal does not read, the save
 * is refused, ...) and an item of the due index that does not read as a timer are each counted as
 * `failed`, logged with their key, and moved an hour later in the due index (so they do not stay at
 * the head of the oldest-first query), and the sweep goes on; the sweep function counts them
 * (TimersFailed, alarmed: infra/constructs/monitoring.ts). A failed timer is tried again an hour later.
 */
import type { Actor, NewEvent } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import { feedbackDeadlinePassed } from '#domain/workflow.ts';
import { openObligations } from '#domain/obligations.ts';
import type { CityTimer, ProposalTimer, Timer, TimerSchedule } from '#domain/timer-schedule.ts';
import { commit, firing } from '#domain/commit.ts';
import { bulletinNotices, bulletinVars, nextBulletinTime, periodRange, reportedPeriod } from '#domain/bulletin.ts';
import { allOfYear, VersionConflict, type TimerStore } from '#app/ports.ts';
import type { AppState } from '#app/state.ts';
import { commandContext } from '#app/run-command.ts';
import { log } from '#shared/log.ts';

export type SweepResult = {
  /** Steps fired (events appended, or the bulletin sent). */
  fired: number;
  /** Held to the next working morning (quiet hours / day off). */
  deferred: number;
  /** Timers of obligations no longer open, deleted. */
  removed: number;
  /** Lost to another sweep or writer (left for the next sweep). */
  skipped: number;
  /** Threw, or did not read as a timer: logged and retried an hour later (RETRY_AFTER_MS). */
  failed: number;
  /** Read capacity of the due-index Query (ReturnConsumedCapacity TOTAL). */
  consumedRead: number;
};

type Outcome = Exclude<keyof SweepResult, 'consumedRead'>;

const DEFAULT_LIMIT = 500;
const PARALLEL = 8;
/** A failed timer's next try: late enough that it does not hold the head of the due index every run. */
export const RETRY_AFTER_MS = 60 * 60 * 1000;
const system: Actor = { role: 'system', sub: 'sweep' };
/** Stores whose bulletin timer this container has already made sure of. */
const bulletinEnsured = new WeakSet<TimerStore>();

export async function sweepDueTimers(s: AppState, opts: { limit?: number } = {}): Promise<SweepResult> {
  const now = s.clock.now();
  const { schedule } = s;
  await ensureBulletinTimer(s, now);
  const { timers, unreadable, consumedRead } = await s.timers.due(now.toISOString(), opts.limit ?? DEFAULT_LIMIT);
  const result: SweepResult = { fired: 0, deferred: 0, removed: 0, skipped: 0, failed: 0, consumedRead };
  const retryAt = new Date(now.getTime() + RETRY_AFTER_MS).toISOString();
  for (const item of unreadable) {
    log.error('sweep: a timer item does not read, moved an hour later', { key: item.key, error: item.error, retryAt });
    await s.timers
      .postpone(item, retryAt)
      .catch((err: unknown) => log.error('sweep: could not move the timer item', { key: item.key, error: err }));
    result.failed++;
  }
  // One proposal's timers one after the other (each save bumps its version); proposals in parallel.
  const groups = new Map<string, Timer[]>();
  for (const t of timers) {
    const k = t.kind === 'city' ? `city#${t.name}` : t.proposalId;
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }
  const queue = [...groups.values()];
  const worker = async () => {
    for (let g = queue.shift(); g; g = queue.shift()) {
      for (const t of g) result[await fireIsolated(s, schedule, t, now, retryAt)]++;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return result;
}

function fire(s: AppState, schedule: TimerSchedule, t: Timer, now: Date): Promise<Outcome> {
  return t.kind === 'city' ? fireBulletin(s, t, now) : fireObligation(s, schedule, t, now);
}

/** Fires one timer; one that throws is logged with its key and moved to `retryAt` (still at its step), and the sweep goes on. */
async function fireIsolated(s: AppState, schedule: TimerSchedule, t: Timer, now: Date, retryAt: string): Promise<Outcome> {
  try {
    return await fire(s, schedule, t, now);
  } catch (err) {
    const key = t.kind === 'city' ? { city: t.name } : { proposalId: t.proposalId, obligation: t.obligationId };
    log.error('sweep: timer failed, retried an hour later', { key, step: t.step, error: err, retryAt });
    await s.timers
      .advance(t, { step: t.step, nextAt: retryAt })
      .catch((e: unknown) => log.error('sweep: could not move the failed timer', { key, error: e }));
    return 'failed';
  }
}

async function fireObligation(s: AppState, schedule: TimerSchedule, t: ProposalTimer, now: Date): Promise<Outcome> {
  const p = await s.proposals.get(t.proposalId);
  if (!p || !openObligations(p).some((o) => o.id === t.obligationId)) {
    return (await s.timers.advance(t, 'delete')) ? 'removed' : 'skipped';
  }
  const index = schedule.latestDue(t, t.step, now);
  const step = index === undefined ? undefined : schedule.step(t, index);
  if (index === undefined || !step) return 'skipped'; // the index lagged behind the timer
  if (step.kind !== 'close' && s.calendar.isQuiet(now)) {
    const morning = s.calendar.nextSendTime(now).toISOString();
    return (await s.timers.advance(t, { step: t.step, nextAt: morning })) ? 'deferred' : 'skipped';
  }
  const change =
    step.kind === 'close'
      ? closeAtFeedbackDeadline(s, p)
      : { next: { ...p, updatedAt: now.toISOString() }, events: [stepEvent(t, step, now)] };
  const nextAt = schedule.step(t, index + 1)?.at;
  // One transaction: the proposal with the step's event, and the timer moved on only if still at its step.
  const { commit: c, fired } = firing(commit(p, change, schedule), t, { step: index + 1, ...(nextAt ? { nextAt } : {}) });
  try {
    await s.proposals.save(c, fired);
  } catch (err) {
    if (err instanceof VersionConflict) return 'skipped'; // another sweep or a writer got there first
    throw err;
  }
  log.debug('sweep: fired', { proposalId: t.proposalId, obligation: t.obligationId, step: index, kind: step.kind });
  return 'fired';
}

function stepEvent(t: ProposalTimer, step: NonNullable<ReturnType<TimerSchedule['step']>>, now: Date): NewEvent {
  const at = now.toISOString();
  const data = { obligation: t.obligation, ...(t.unit ? { unit: t.unit } : {}), deadline: t.deadline, step: step.index, key: t.key };
  if (step.kind === 'escalation') return { type: 'Escalated', at, actor: system, data: { ...data, level: step.level, to: step.to } };
  if (step.kind === 'reminder') return { type: 'ReminderDue', at, actor: system, data: { ...data, to: step.to } };
  throw new Error(`no event for a ${step.kind} step`);
}

/** The feedback deadline passed: the proposal closes with what was rated (workflow decides). */
function closeAtFeedbackDeadline(s: AppState, p: Proposal): { next: Proposal; events: NewEvent[] } {
  const warnings: string[] = [];
  const { next, events } = feedbackDeadlinePassed(p, commandContext(s, system, warnings));
  return { next: warnings.length ? { ...next, calendarWarnings: [...new Set([...next.calendarWarnings, ...warnings])] } : next, events };
}

async function ensureBulletinTimer(s: AppState, now: Date): Promise<void> {
  const period = s.config.policy.bulletin;
  if (period === 'off' || bulletinEnsured.has(s.timers)) return;
  const nextAt = nextBulletinTime(period, now, s.calendar, s.config).toISOString();
  await s.timers.ensureCityTimer({ kind: 'city', name: 'bulletin', step: 0, nextAt });
  bulletinEnsured.add(s.timers);
}

/** 通报: one notice to the office and the leaders on the period just ended (and one to each unit, if the city asks), then the next period. */
async function fireBulletin(s: AppState, t: CityTimer, now: Date): Promise<Outcome> {
  const period = s.config.policy.bulletin;
  if (period === 'off') return (await s.timers.advance(t, { step: t.step + 1 })) ? 'removed' : 'skipped';
  const reported = reportedPeriod(period, new Date(t.nextAt ?? now.toISOString()), s.calendar);
  const proposals = await bulletinProposals(s, reported.year);
  const vars = bulletinVars({ ...reported, ...periodRange(period, reported.from, s.config.timeZone) }, proposals, now, s.config.units);
  // Send first, then move on: a crash in between sends the same ids again, which the mailer drops.
  await s.notices.send(bulletinNotices(reported.id, vars, s.config, now.toISOString()));
  const nextAt = nextBulletinTime(period, now, s.calendar, s.config).toISOString();
  return (await s.timers.advance(t, { step: t.step + 1, nextAt })) ? 'fired' : 'skipped';
}

/**
 * The reported year's proposals, and those of each earlier year that a unit still owes something on
 * (an overdue case, an open follow-up), back to the first year with no proposals (before the city
 * started using the system).
 */
async function bulletinProposals(s: AppState, year: number): Promise<Proposal[]> {
  const out = await allOfYear(s.index, year);
  for (let y = year - 1; ; y--) {
    const all = await allOfYear(s.index, y);
    if (!all.length) return out;
    out.push(...all.filter((p) => openObligations(p).some((o) => o.unit)));
  }
}
