/**
 * Deliver one notice (发送通知), run by the mailer for each queue message.
 * 1. Resolve the recipients to addresses from the city config, de-duplicated.
 * 2. Render the template (Chinese, text + HTML).
 * 3. Claim the notice id in the ledger (conditional write): already sent -> nothing to do.
 * 4. Send through SES and record the send; on failure release the claim so a retry can send.
 */
import type { Notice, Recipient } from '#events/notices.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { renderNotice } from '#domain/templates.ts';
import type { AppState } from '#app/state.ts';

/** How long a claim protects an in-flight send from a parallel duplicate delivery. */
const CLAIM_LEASE_MS = 60_000;

export type DeliveryResult = 'sent' | 'duplicate' | 'in_flight' | 'no_recipients';

export async function deliverNotice(s: Pick<AppState, 'config' | 'clock' | 'mail' | 'ledger'>, notice: Notice): Promise<DeliveryResult> {
  const to = resolveRecipients(s.config, notice.recipients);
  if (to.length === 0) return 'no_recipients';
  const mail = renderNotice(notice, templateCity(s.config));
  const claim = await s.ledger.claim(notice.id, s.clock.now(), CLAIM_LEASE_MS);
  if (claim === 'sent') return 'duplicate';
  if (claim === 'busy') return 'in_flight';
  try {
    const { messageId } = await s.mail.send({ from: s.config.email.from, to, ...mail });
    await s.ledger.markSent(notice.id, { messageId, to, at: s.clock.now().toISOString() });
    return 'sent';
  } catch (err) {
    await s.ledger.release(notice.id);
    throw err;
  }
}

export function resolveRecipients(config: CityConfig, recipients: readonly Recipient[]): string[] {
  const out = new Set<string>();
  const unit = (id: string) => config.units.find((u) => u.id === id);
  for (const r of recipients) {
    const addresses =
      r.kind === 'unit' ? (unit(r.unit)?.email ?? [])
      : r.kind === 'unitHead' ? (unit(r.unit)?.head ?? [])
      : r.kind === 'office' ? config.email.office
      : r.kind === 'leaders' ? config.email.leaders.map((l) => l.email)
      : [r.email];
    for (const a of addresses) out.add(a.trim().toLowerCase());
  }
  return [...out];
}

export function templateCity(config: CityConfig) {
  return {
    name: config.name,
    linkBase: config.email.linkBase,
    unitName: (id: string) => config.units.find((u) => u.id === id)?.name ?? id,
  };
}
