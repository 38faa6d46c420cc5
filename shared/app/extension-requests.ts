/**
 * 申请延期 by the lead unit and the office's decision on it (审批延期), within the city's `replyMax`
 * counted from the lead unit's assignment (the same limit as the office's own 延期, extend-reply.ts).
 * Steps of a request:
 * 1. the deadline asked for: the end of the working day on or after `until` (the city's calendar);
 * 2. load the proposal, as the caller may see it (`load`);
 * 3. run `requestExtension` (shared/domain/office-powers.ts) as a command with the limit worked out on
 *    the proposal it decides on: past replyMax, not after the current deadline, another request still
 *    waiting, or not the lead unit is a conflict; the office then owes a decision (extensionDecision).
 * A decision runs `decideExtension` the same way; approved, the reply deadline becomes the one asked for.
 */
import type { Actor } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import { decideExtension, requestExtension } from '#domain/office-powers.ts';
import { runCommand } from '#app/run-command.ts';
import { replyDeadlineLimit } from '#app/extend-reply.ts';
import type { AppState } from '#app/state.ts';

type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'schedule' | 'proposals'>;

export async function requestReplyExtension(
  s: Deps,
  load: () => Promise<Proposal>,
  actor: Actor,
  unit: string,
  { until, reason }: { until: string; reason: string },
): Promise<Proposal> {
  const untilAt = s.calendar.deadlineOn(until).toISOString();
  const p = await load();
  return runCommand(s, p.id, actor, (x, c) => requestExtension(x, c, unit, untilAt, replyDeadlineLimit(s, x), reason), p);
}

export async function decideReplyExtension(
  s: Deps,
  load: () => Promise<Proposal>,
  actor: Actor,
  n: number,
  { approve, reason }: { approve: boolean; reason?: string | undefined },
): Promise<Proposal> {
  const p = await load();
  return runCommand(s, p.id, actor, (x, c) => decideExtension(x, c, n, approve, replyDeadlineLimit(s, x), reason), p);
}
