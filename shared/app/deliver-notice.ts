/**
 * Deliver one notice (发送通知), run by the mailer for each queue message.
 * 1. Resolve the recipients to addresses from the city config (de-duplicated); skip suppressed
 *    (bounced) addresses, with a note on the proposal's timeline.
 * 2. Claim the notice id in the ledger (conditional write): already sent or failed -> nothing to do;
 *    held by another delivery -> NoticeInFlight (retried later by SQS).
 * 3. Render (Chinese, text + HTML) and send through SES; record the send.
 *    A transient error releases the claim and is thrown (SQS retries); a permanent one (bad address,
 *    rejected, bad vars) is recorded: ledger `failed`, NoticeFailed on the timeline, the office told.
 */
import type { Notice } from '#events/notices.ts';
import { unitNames, type CityConfig } from '#domain/city-config.ts';
import { NoticeVarsError, renderNotice } from '#domain/templates.ts';
import { resolveRecipients } from '#domain/recipients.ts';
import { MailError } from '#app/ports.ts';
import type { AppState } from '#app/state.ts';
import { noteSuppressed, reportFailure } from '#app/delivery-records.ts';

/** How long a claim protects an in-flight send from a parallel duplicate delivery. */
const CLAIM_LEASE_MS = 60_000;

export type DeliveryResult = 'sent' | 'duplicate' | 'failed' | 'suppressed' | 'no_recipients';
type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'mail' | 'ledger' | 'suppression' | 'proposals' | 'notices'>;

/** Another delivery of the same notice holds the claim: try again later. */
export class NoticeInFlight extends Error {
  constructor(readonly noticeId: string) {
    super(`notice ${noticeId} is being sent by another delivery`);
    this.name = 'NoticeInFlight';
  }
}

export async function deliverNotice(s: Deps, notice: Notice): Promise<DeliveryResult> {
  const all = resolveRecipients(s.config, notice.recipients);
  const suppressed = (await Promise.all(all.map(async (a) => ((await s.suppression.isSuppressed(a)) ? [a] : [])))).flat();
  const to = all.filter((a) => !suppressed.includes(a));
  if (suppressed.length) await noteSuppressed(s, notice, suppressed);
  if (to.length === 0) return all.length ? 'suppressed' : 'no_recipients';

  const claim = await s.ledger.claim(notice.id, s.clock.now(), CLAIM_LEASE_MS);
  if (claim === 'sent' || claim === 'failed') return 'duplicate';
  if (claim === 'busy') throw new NoticeInFlight(notice.id);
  let outcome: { messageId: string } | { permanent: string };
  try {
    outcome = await send(s, notice, to);
    if ('permanent' in outcome) await reportFailure(s, notice, to, outcome.permanent);
  } catch (err) {
    await s.ledger.release(notice.id);
    throw err;
  }
  const at = s.clock.now().toISOString();
  if ('permanent' in outcome) {
    await s.ledger.markFailed(notice.id, { reason: outcome.permanent, to, at });
    return 'failed';
  }
  await s.ledger.markSent(notice.id, { messageId: outcome.messageId, to, at });
  return 'sent';
}

/** Renders and sends; a permanent failure is returned (with a reason for the office), others thrown. */
async function send(s: Deps, notice: Notice, to: string[]): Promise<{ messageId: string } | { permanent: string }> {
  try {
    return await s.mail.send({ from: s.config.email.from, to, ...renderNotice(notice, templateCity(s.config)) });
  } catch (err) {
    if (err instanceof NoticeVarsError) return { permanent: `通知内容不完整（${err.message}）` };
    if (err instanceof MailError && err.permanent) return { permanent: `邮件服务拒收（${err.message}）` };
    throw err;
  }
}

export function templateCity(config: CityConfig) {
  return {
    name: config.name,
    linkBase: config.email.linkBase,
    unitName: unitNames(config),
  };
}
