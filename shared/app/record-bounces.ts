/**
 * SES bounce/complaint notification -> the suppression list (屏蔽名单), so the mailer skips the address
 * from then on (with a note on the proposal's timeline, deliver-notice.ts). A permanent bounce
 * (no such mailbox, domain gone) or a complaint suppresses; a transient bounce (mailbox full,
 * greylisting) does not: SES has already retried it and the next notice may well arrive.
 * Repeats are harmless: adding an address again only rewrites its entry.
 */
import type { SesNotification } from '#events/ses-notifications.ts';
import type { SuppressionList } from '#app/ports.ts';

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

/** Puts the notification's addresses on the suppression list; returns them. */
export async function recordSesNotification(s: { suppression: SuppressionList }, n: SesNotification): Promise<string[]> {
  const found = suppressionsOf(n);
  for (const { email, reason } of found) await s.suppression.add(email, reason);
  return found.map((f) => f.email);
}
