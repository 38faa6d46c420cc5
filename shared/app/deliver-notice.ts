/**
 * Deliver one notice (发送通知), run by the mailer for each queue message.
 * 1. Resolve the recipients to addresses from the city config (de-duplicated) and look them up in
 *    the suppression list (bounced addresses); the lookups of a mailer batch share one read.
 * 2. Claim the notice id in the ledger (conditional write): already sent or failed -> nothing to do,
 *    not even a note; held by another delivery -> NoticeInFlight (retried later by SQS).
 * 3. Skip the suppressed addresses; check the vars against the notice kind's schema
 *    (events/notices.ts), render (Chinese, text + HTML) and send through SES, tagged
 *    with the notice id so that a later bounce names it (record-bounces.ts); record the send, retried a few times: once SES accepted the
 *    email the message must not come back, so a send that cannot be recorded is logged and counted
 *    (`unrecorded`), not retried (docs/notices.md, "The one window left").
 * A transient error releases the claim and is thrown (SQS retries). A permanent failure (rejected
 * message, bad vars, every address suppressed, no address configured) is recorded: ledger `failed`.
 * Whatever the office must hear of (a failure, skipped addresses) goes on the ledger item as a
 * delivery report (events/notices.ts), which the reactor turns into timeline notes and the office's
 * deliveryFailed notice (delivery-records.ts): the mailer writes no proposal and sends only mail.
 */
import { replyClassName } from '#domain/glossary.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkNotice, NoticeVarsError, type DeliveryReport, type NoticeMessage, type Recipient } from '#events/notices.ts';
import { unitNames, type CityConfig } from '#domain/city-config.ts';
import { renderNotice, type TemplateCity } from '#render/emails.ts';
import { resolveRecipients } from '#domain/recipients.ts';
import { MailError } from '#app/ports.ts';
import type { AppState } from '#app/state.ts';
import { noticeTags } from '#app/record-bounces.ts';
import { log } from '#shared/log.ts';

/** How long a claim protects an in-flight send from a parallel duplicate delivery. */
const CLAIM_LEASE_MS = 60_000;
/** Waits between the attempts to record a send (about a second in all, well inside the lease). */
const MARK_SENT_RETRY_MS = [50, 200, 800];

export type DeliveryResult = 'sent' | 'unrecorded' | 'duplicate' | 'failed' | 'suppressed' | 'no_recipients';
type Deps = Pick<AppState, 'config' | 'clock' | 'mail' | 'ledger' | 'suppression'> & { sleep?: (ms: number) => Promise<unknown> };
type Attempt = (
  { messageId: string; to: string[] } | { failed: 'failed' | 'suppressed' | 'no_recipients'; reason: string; to: string[] }
) & { suppressed: string[] };

/** Another delivery of the same notice holds the claim: try again later. */
export class NoticeInFlight extends Error {
  constructor(readonly noticeId: string) {
    super(`notice ${noticeId} is being sent by another delivery`);
    this.name = 'NoticeInFlight';
  }
}

export async function deliverNotice(s: Deps, notice: NoticeMessage): Promise<DeliveryResult> {
  // Addresses are resolved and looked up in the suppression list before the claim, so that the
  // lookups of a whole mailer batch (delivered side by side) are asked in one turn and share one read.
  const all = resolveRecipients(s.config, notice.recipients);
  const suppressed = (await Promise.all(all.map(async (a) => ((await s.suppression.isSuppressed(a)) ? [a] : [])))).flat();
  const claim = await s.ledger.claim(notice.id, s.clock.now(), CLAIM_LEASE_MS);
  if (claim === 'sent' || claim === 'failed') return 'duplicate';
  if (claim === 'busy') throw new NoticeInFlight(notice.id);
  let outcome: Attempt;
  try {
    outcome = await attempt(s, notice, all, suppressed);
  } catch (err) {
    await s.ledger.release(notice.id);
    throw err;
  }
  const at = s.clock.now().toISOString();
  if ('failed' in outcome) {
    log.error('mailer: notice failed for good', { noticeId: notice.id, kind: notice.kind, to: outcome.to, reason: outcome.reason });
    await s.ledger.markFailed(
      notice.id,
      { reason: outcome.reason, to: outcome.to, at },
      deliveryReport(notice, 'failed', { ...outcome, at }),
    );
    return outcome.failed;
  }
  if (outcome.suppressed.length) log.info('mailer: suppressed addresses skipped', { noticeId: notice.id, emails: outcome.suppressed });
  const report = outcome.suppressed.length ? deliveryReport(notice, 'suppressed', { ...outcome, at }) : undefined;
  return (await recordSent(s, notice, { messageId: outcome.messageId, to: outcome.to, at }, report)) ? 'sent' : 'unrecorded';
}

/** What the reactor needs to tell the office (events/notices.ts). */
function deliveryReport(
  notice: NoticeMessage,
  report: DeliveryReport['report'],
  o: { to: string[]; reason?: string; suppressed: string[]; at: string },
): DeliveryReport {
  const str = (k: string) => (typeof notice.vars[k] === 'string' ? notice.vars[k] : undefined);
  const [number, title] = [str('number'), str('title')];
  return {
    noticeId: notice.id,
    report,
    kind: notice.kind,
    ...(notice.proposalId ? { proposalId: notice.proposalId } : {}),
    ...(number ? { number } : {}),
    ...(title ? { title } : {}),
    to: o.to,
    ...(o.reason ? { reason: o.reason } : {}),
    suppressed: o.suppressed,
    at: o.at,
  };
}

/** Under the claim: skip the suppressed addresses of `all` and send. */
async function attempt(s: Deps, notice: NoticeMessage, all: string[], suppressed: string[]): Promise<Attempt> {
  const to = all.filter((a) => !suppressed.includes(a));
  if (to.length > 0) return { ...(await send(s, notice, to)), suppressed };
  return all.length > 0
    ? { failed: 'suppressed', reason: '收件地址已退信（已列入屏蔽名单），邮件未发送', to: all, suppressed }
    : {
        failed: 'no_recipients',
        reason: `未配置收件地址（${describeRecipients(s.config, notice.recipients)}），邮件未发送`,
        to: [],
        suppressed,
      };
}

/** Renders and sends; a permanent failure is returned (with a reason for the office), others thrown. */
async function send(
  s: Deps,
  notice: NoticeMessage,
  to: string[],
): Promise<{ messageId: string; to: string[] } | { failed: 'failed'; reason: string; to: string[] }> {
  try {
    const { messageId } = await s.mail.send({
      from: s.config.email.from,
      to,
      ...renderNotice(checkNotice(notice), templateCity(s.config)),
      tags: noticeTags(notice),
    });
    return { messageId, to };
  } catch (err) {
    if (err instanceof NoticeVarsError) return { failed: 'failed', reason: `通知内容不完整（${err.message}）`, to };
    if (err instanceof MailError && err.permanent) return { failed: 'failed', reason: `邮件服务拒收（${err.message}）`, to };
    throw err;
  }
}

/**
 * Records the send, retrying a DynamoDB hiccup. False when it could not: SES has the email, so the
 * message is not given back to SQS (a redelivery after the claim lease would send it again).
 */
async function recordSent(
  s: Deps,
  notice: NoticeMessage,
  result: { messageId: string; to: string[]; at: string },
  report?: DeliveryReport,
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await s.ledger.markSent(notice.id, result, report);
      return true;
    } catch (err) {
      const wait = MARK_SENT_RETRY_MS[attempt];
      if (wait === undefined) {
        log.error('mailer: sent but not recorded; a delivery of this notice after the claim lease would send it again', {
          noticeId: notice.id,
          kind: notice.kind,
          messageId: result.messageId,
          error: err,
        });
        return false;
      }
      await (s.sleep ?? sleep)(wait);
    }
  }
}

/** Who a notice was meant for, for the office (e.g. 发展改革委负责人). */
function describeRecipients(config: CityConfig, recipients: readonly Recipient[]): string {
  const unit = unitNames(config);
  const one = (r: Recipient) =>
    r.kind === 'unit'
      ? unit(r.unit)
      : r.kind === 'unitHead'
        ? `${unit(r.unit)}负责人`
        : r.kind === 'office'
          ? '提案工作人员'
          : r.kind === 'leaders'
            ? `${r.unit ? unit(r.unit) : ''}分管领导`
            : r.kind === 'leader'
              ? r.name
              : r.kind === 'committee'
                ? '政协提案委员会'
                : r.email;
  return recipients.map(one).join('、');
}

export function templateCity(config: CityConfig): TemplateCity {
  return {
    name: config.name,
    linkBase: config.email.linkBase,
    unitName: unitNames(config),
    className: (code) => replyClassName(code, config.replies.classes),
  };
}
