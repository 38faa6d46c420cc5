/**
 * SES bounce/complaint notification -> the suppression list (屏蔽名单), so the mailer skips the address
 * from then on (with a note on the proposal's timeline, deliver-notice.ts). A permanent bounce
 * (no such mailbox, domain gone) or a complaint suppresses; a transient bounce (mailbox full,
 * greylisting) does not: SES has already retried it and the next notice may well arrive.
 * Repeats are harmless: adding an address again only rewrites its entry.
 *
 * A bounce also means that one email did not arrive: the mailer tags each email with its notice
 * (`noticeTags`), SES event publishing hands the tags back in `mail.tags`, and the office gets a
 * deliveryFailed notice for that notice (deterministic id: a repeated SNS delivery repeats nothing).
 * Never for the bounce of a deliveryFailed email itself (logged only: no loop).
 */
import { createHash } from 'node:crypto';
import { noticeKinds, type Notice, type NoticeKind } from '#events/notices.ts';
import type { SesNotification } from '#events/ses-notifications.ts';
import type { NoticeQueue, SuppressionList } from '#app/ports.ts';
import { failureNotice } from '#app/delivery-records.ts';
import { log } from '#shared/log.ts';

/** SES tag values: ASCII letters, digits, `_` and `-`, at most 256 characters. */
const tagValue = /^[A-Za-z0-9_-]{1,256}$/;
const encode = (s: string) => {
  const v = Buffer.from(s, 'utf8').toString('base64url');
  return tagValue.test(v) ? v : undefined;
};

/** The SES message tags of a notice's email: its id and proposal (base64url; left out when too long) and kind. */
export function noticeTags(notice: Pick<Notice, 'id' | 'kind' | 'proposalId'>): Record<string, string> {
  const id = encode(notice.id);
  const proposal = notice.proposalId === undefined ? undefined : encode(notice.proposalId);
  return { ...(id ? { notice: id } : {}), kind: notice.kind, ...(proposal ? { proposal } : {}) };
}

/** The notice a notification's `mail.tags` name (SES: tag name -> [values]); undefined when none. */
function taggedNotice(n: SesNotification): { id: string; kind: NoticeKind; proposalId?: string } | undefined {
  const tags: unknown = n.mail?.tags;
  const tag = (name: string) => {
    const v: unknown = typeof tags === 'object' && tags !== null ? Reflect.get(tags, name) : undefined;
    const first: unknown = Array.isArray(v) ? v[0] : v;
    return typeof first === 'string' && tagValue.test(first) ? first : undefined;
  };
  const id = tag('notice'),
    kind = noticeKinds.find((k) => k === tag('kind')),
    proposal = tag('proposal');
  if (!id || !kind) return undefined;
  return {
    id: Buffer.from(id, 'base64url').toString('utf8'),
    kind,
    ...(proposal ? { proposalId: Buffer.from(proposal, 'base64url').toString('utf8') } : {}),
  };
}

/** The office's deliveryFailed notice for a bounced email, if the bounce names a notice. */
export function bounceNotice(n: SesNotification, at: string): Notice | undefined {
  if ((n.eventType ?? n.notificationType) !== 'Bounce' || !n.bounce) return undefined;
  const failed = taggedNotice(n);
  if (!failed) return undefined;
  const to = n.bounce.bouncedRecipients.map((r) => r.emailAddress.trim().toLowerCase()).sort();
  if (failed.kind === 'deliveryFailed') {
    log.error('bounces: a delivery failure notice to the office bounced', { noticeId: failed.id, to });
    return undefined;
  }
  const sub = n.bounce.bounceSubType ? `/${n.bounce.bounceSubType}` : '';
  const reason =
    n.bounce.bounceType === 'Permanent'
      ? `收件地址已退信（SES 退信：Permanent${sub}），该地址已列入屏蔽名单，之后的通知不再发往该地址`
      : `邮件被退回（SES 退信：${n.bounce.bounceType}${sub}，多为邮箱已满等暂时原因），之后的通知仍会发往该地址`;
  const digest = createHash('sha256').update(to.join(',')).digest('hex').slice(0, 16);
  const about = { noticeId: failed.id, kind: failed.kind, ...(failed.proposalId ? { proposalId: failed.proposalId } : {}) };
  return { ...failureNotice(about, to, reason, at), id: `${failed.id}/deliveryFailed/bounce-${digest}` };
}

/** The addresses to suppress and why; empty for anything else (deliveries, opens, transient bounces). */
export function suppressionsOf(n: SesNotification): { email: string; reason: string }[] {
  const type = n.eventType ?? n.notificationType;
  const message = n.mail?.messageId ? ` (SES message ${n.mail.messageId})` : '';
  if (type === 'Bounce' && n.bounce?.bounceType === 'Permanent') {
    const sub = n.bounce.bounceSubType ? `/${n.bounce.bounceSubType}` : '';
    return n.bounce.bouncedRecipients.map((r) => ({ email: r.emailAddress, reason: `bounce: Permanent${sub}${message}` }));
  }
  if (type === 'Complaint' && n.complaint) {
    const kind = n.complaint.complaintFeedbackType ? `: ${n.complaint.complaintFeedbackType}` : '';
    return n.complaint.complainedRecipients.map((r) => ({ email: r.emailAddress, reason: `complaint${kind}${message}` }));
  }
  return [];
}

/**
 * Puts the notification's addresses on the suppression list and tells the office about a bounced
 * notice; returns the suppressed addresses and whether the office was told.
 */
export async function recordSesNotification(
  s: { suppression: SuppressionList; notices: NoticeQueue },
  n: SesNotification,
  at: string,
): Promise<{ suppressed: string[]; reported: boolean }> {
  const found = suppressionsOf(n);
  for (const { email, reason } of found) await s.suppression.add(email, reason);
  const notice = bounceNotice(n, at);
  if (notice) await s.notices.send([notice]);
  return { suppressed: found.map((f) => f.email), reported: notice !== undefined };
}
