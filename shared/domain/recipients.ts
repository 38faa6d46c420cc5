/**
 * Who receives a notice (收件人): the notice names recipients by role (a unit, a unit's head, the
 * office, the leaders, the leaders in charge of a unit, one leader by name, the committee) or by address; the city config turns them
 * into addresses. A leader without `units` is in charge of every unit. Addresses are
 * trimmed, lower-cased and de-duplicated (case-insensitively), in first-seen order. Pure.
 */
import type { Recipient } from '#events/notices.ts';
import type { CityConfig } from '#domain/city-config.ts';

/** The parts of the city config that name addresses. */
type Directory = {
  units: readonly Pick<CityConfig['units'][number], 'id' | 'email' | 'head'>[];
  email: Pick<CityConfig['email'], 'office' | 'leaders'> & { committee?: readonly string[] };
};

export function resolveRecipients(config: Directory, recipients: readonly Recipient[]): string[] {
  const out = new Set<string>();
  const unit = (id: string) => config.units.find((u) => u.id === id);
  for (const r of recipients) {
    const addresses =
      r.kind === 'unit'
        ? (unit(r.unit)?.email ?? [])
        : r.kind === 'unitHead'
          ? (unit(r.unit)?.head ?? [])
          : r.kind === 'office'
            ? config.email.office
            : r.kind === 'leaders'
              ? config.email.leaders.filter((l) => !r.unit || !l.units || l.units.includes(r.unit)).map((l) => l.email)
              : r.kind === 'leader'
                ? config.email.leaders.filter((l) => l.name === r.name).map((l) => l.email)
                : r.kind === 'committee'
                  ? (config.email.committee ?? [])
                  : [r.email];
    for (const a of addresses) {
      const address = a.trim().toLowerCase();
      if (address) out.add(address);
    }
  }
  return [...out];
}
