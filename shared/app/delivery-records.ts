/**
 * What the mailer records besides the send itself: a note on the proposal's timeline when
 * addresses were suppressed (RecipientSuppressed) or a notice failed for good (NoticeFailed), and a
 * `deliveryFailed` notice telling the office. Each step is idempotent (the timeline event is appended
 * once per notice id; the office notice has a deterministic id), so a retry after a crash repeats
 * them safely. A failed `deliveryFailed` notice is only logged: no loop of failure notices.
 */
import type { Actor, NewEvent } from '#events/domain-events.ts';
import type { Notice } from '#events/notices.ts';
import type { AppState } from '#app/state.ts';
import { runCommand } from '#app/run-command.ts';
import { NotFound } from '#app/errors.ts';
import { log } from '#shared/log.ts';

const mailer: Actor = { role: 'system', sub: 'mailer' };

type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'proposals' | 'notices'>;
type Note = { type: 'NoticeFailed'; data: { noticeId: string; kind: string; to: string[]; reason: string } } | { type: 'RecipientSuppressed'; data: { noticeId: string; kind: string; emails: string[] } };

/** Appends the note to the proposal's timeline unless a note of that type for that notice is there. */
async function noteOnce(s: Deps, proposalId: string, note: Note): Promise<void> {
  const seen = await s.proposals.events(proposalId);
  if (seen.some((e) => e.type === note.type && e.data.noticeId === note.data.noticeId)) return;
  try {
    await runCommand(s, proposalId, mailer, (p, ctx) => ({ next: p, events: [{ ...note, at: ctx.at, actor: ctx.actor } satisfies NewEvent] }));
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
    log.warn('mailer: notice names a proposal that does not exist', { proposalId, noticeId: note.data.noticeId });
  }
}

export async function noteSuppressed(s: Deps, notice: Notice, emails: string[]): Promise<void> {
  log.info('mailer: suppressed addresses skipped', { noticeId: notice.id, emails });
  if (notice.proposalId) await noteOnce(s, notice.proposalId, { type: 'RecipientSuppressed', data: { noticeId: notice.id, kind: notice.kind, emails } });
}

/** Records a permanent failure on the timeline and tells the office (not for deliveryFailed itself). */
export async function reportFailure(s: Deps, notice: Notice, to: string[], reason: string): Promise<void> {
  log.error('mailer: notice failed for good', { noticeId: notice.id, kind: notice.kind, to, reason });
  if (notice.kind === 'deliveryFailed') return;
  if (notice.proposalId) await noteOnce(s, notice.proposalId, { type: 'NoticeFailed', data: { noticeId: notice.id, kind: notice.kind, to, reason } });
  await s.notices.send([failureNotice(notice, to, reason, s.clock.now().toISOString())]);
}

export function failureNotice(notice: Notice, to: string[], reason: string, at: string): Notice {
  const str = (k: string) => (typeof notice.vars[k] === 'string' ? notice.vars[k] : undefined);
  return {
    id: `${notice.id}/deliveryFailed/office`,
    kind: 'deliveryFailed',
    ...(notice.proposalId ? { proposalId: notice.proposalId } : {}),
    recipients: [{ kind: 'office' }],
    vars: { failedKind: notice.kind, noticeId: notice.id, to, reason, number: str('number'), title: str('title'), proposalId: notice.proposalId },
    createdAt: at,
  };
}
