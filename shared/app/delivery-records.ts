/**
 * What the reactor does with a delivery report (投递报告) the mailer left on a notice's ledger item
 * (events/notices.ts), from the table stream: a note on the proposal's timeline when addresses were
 * suppressed (RecipientSuppressed) or the notice failed for good (NoticeFailed), and, for a failure,
 * a `deliveryFailed` notice telling the office. Each step is idempotent (the timeline note is
 * appended once per notice id; the office notice has a deterministic id), so a redelivered stream
 * record repeats them safely. A failed `deliveryFailed` notice is only noted: no loop of failure
 * notices.
 */
import type { Actor, NewEvent } from '#events/domain-events.ts';
import type { DeliveryReport, Notice } from '#events/notices.ts';
import type { AppState } from '#app/state.ts';
import { runCommand } from '#app/run-command.ts';
import { NotFound } from '#app/errors.ts';
import { log } from '#shared/log.ts';

const mailer: Actor = { role: 'system', sub: 'mailer' };

type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'schedule' | 'proposals' | 'notices'>;
type Note =
  | { type: 'NoticeFailed'; data: { noticeId: string; kind: string; to: string[]; reason: string } }
  | { type: 'RecipientSuppressed'; data: { noticeId: string; kind: string; emails: string[] } };

/** Appends the note to the proposal's timeline unless a note of that type for that notice is there. */
async function noteOnce(s: Deps, proposalId: string, note: Note): Promise<void> {
  const seen = await s.proposals.events(proposalId);
  if (seen.some((e) => e.type === note.type && e.data.noticeId === note.data.noticeId)) return;
  try {
    await runCommand(s, proposalId, mailer, (p, ctx) => ({
      next: p,
      events: [{ ...note, at: ctx.at, actor: ctx.actor } satisfies NewEvent],
    }));
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
    log.warn('reactor: a delivery report names a proposal that does not exist', { proposalId, noticeId: note.data.noticeId });
  }
}

export async function reactToDelivery(s: Deps, r: DeliveryReport): Promise<void> {
  if (r.proposalId && r.suppressed.length)
    await noteOnce(s, r.proposalId, { type: 'RecipientSuppressed', data: { noticeId: r.noticeId, kind: r.kind, emails: r.suppressed } });
  if (r.report !== 'failed') return;
  const reason = r.reason ?? '';
  if (r.proposalId)
    await noteOnce(s, r.proposalId, { type: 'NoticeFailed', data: { noticeId: r.noticeId, kind: r.kind, to: r.to, reason } });
  if (r.kind !== 'deliveryFailed') await s.notices.send([failureNotice(r, r.to, reason, s.clock.now().toISOString())]);
}

/** The office's notice about a notice that did not arrive (also for bounces, record-bounces.ts). */
export function failureNotice(
  about: Pick<DeliveryReport, 'noticeId' | 'kind' | 'proposalId' | 'number' | 'title'>,
  to: string[],
  reason: string,
  at: string,
): Notice {
  return {
    id: `${about.noticeId}/deliveryFailed/office`,
    kind: 'deliveryFailed',
    ...(about.proposalId ? { proposalId: about.proposalId } : {}),
    recipients: [{ kind: 'office' }],
    vars: {
      failedKind: about.kind,
      noticeId: about.noticeId,
      to,
      reason,
      number: about.number,
      title: about.title,
      proposalId: about.proposalId,
    },
    createdAt: at,
  };
}
