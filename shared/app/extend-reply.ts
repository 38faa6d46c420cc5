/**
 * 延期答复 by the office: a later reply deadline for a proposal, never past the city's `replyMax`
 * counted from the lead unit's assignment (from the proposal's creation if it has none).
 * Steps:
 * 1. the new deadline: the end of the working day on or after `until` (the city's calendar);
 * 2. load the proposal, as the caller may see it (`load`);
 * 3. run the extension as a command: the limit (assignment + replyMax) is worked out on the proposal
 *    the decision is made on, and shared/domain/workflow.ts `extendReply` refuses a deadline past it
 *    or not after the current one; return the stored proposal.
 */
import type { Actor } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import { extendReply } from '#domain/workflow.ts';
import { runCommand } from '#app/run-command.ts';
import type { AppState } from '#app/state.ts';

/** `unit` (分办): whose part's deadline moves; the first lead's when not given. */
export type ExtensionInput = { until: string; reason?: string | undefined; unit?: string | undefined };
type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'schedule' | 'proposals'>;

/** The latest reply deadline an extension may give: replyMax after the lead's assignment (ISO 8601). */
export function replyDeadlineLimit(s: Pick<AppState, 'config' | 'calendar'>, p: Proposal): string {
  const assignedAt = p.lead ? p.units[p.lead]?.assignedAt : undefined;
  return s.calendar.addDuration(new Date(assignedAt ?? p.createdAt), s.config.policy.replyMax).at.toISOString();
}

export async function extendReplyDeadline(
  s: Deps,
  load: () => Promise<Proposal>,
  actor: Actor,
  { until, reason, unit }: ExtensionInput,
): Promise<Proposal> {
  const untilAt = s.calendar.deadlineOn(until).toISOString();
  const p = await load();
  return runCommand(s, p.id, actor, (x, c) => extendReply(x, c, untilAt, replyDeadlineLimit(s, x), reason, unit ?? x.lead ?? ''), p);
}
