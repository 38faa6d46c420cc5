/**
 * City config (城市配置): its types and the pure helpers the functions use. The schema that checks
 * what an ops team wrote (see docs/city-config.md) is in city-config-schema.ts: it runs where the
 * config is read from YAML (cdk synth, the local runtime, tools), and the functions read the config
 * it produced (city-config-json.ts), so the Lambda bundles neither carry nor build it.
 */
import type * as z from '#shared/zod.ts';
import type { cityConfigSchema } from '#domain/city-config-schema.ts';

/**
 * A policy duration: `5wd` (working days 工作日), `10d` (calendar days), `3mo` (months); may be
 * negative. The schema checks the sign per field: deadlines positive, reminders negative.
 */
export const durationPattern = /^(-?)(\d+)(wd|d|mo)$/;
export type DurationUnit = 'wd' | 'd' | 'mo';
export interface Duration {
  amount: number;
  unit: DurationUnit;
  text: string;
}

export function parseDuration(text: string): Duration | undefined {
  const m = durationPattern.exec(text);
  if (!m) return undefined;
  const [, sign, digits, unit] = m;
  if (unit !== 'wd' && unit !== 'd' && unit !== 'mo') return undefined;
  const value = Number(digits);
  return { amount: sign === '-' ? -value : value, unit, text };
}

export const recipientKinds = ['unit', 'unitHead', 'office', 'leaders'] as const;
export type RecipientKind = (typeof recipientKinds)[number];

/** The term of a keyword, for comparisons. */
export function keywordTerm(k: string | { term: string }): string {
  return typeof k === 'string' ? k : k.term;
}

export type CityConfig = z.output<typeof cityConfigSchema>;
export type CityConfigInput = z.input<typeof cityConfigSchema>;
export type UnitConfig = CityConfig['units'][number];

/** The default email.linkBase, for local runs: in AWS it must be the API's public base URL. */
export const localLinkBase = 'http://127.0.0.1:3000';

/** A URL on this machine (localhost, 127.x.x.x, ::1, 0.0.0.0): useless as a link in an email. */
export function isLoopbackUrl(url: string): boolean {
  const host = URL.parse(url)?.hostname.replace(/^\[|\]$/g, '') ?? '';
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The display name (e.g. 市商务局) of a unit id; an unknown id is shown as itself. */
export function unitNames(config: Pick<CityConfig, 'units'>): (id: string) => string {
  const names = new Map(config.units.map((u) => [u.id, u.name]));
  return (id) => names.get(id) ?? id;
}

/** Formats a zod issue path the way ops teams read it: `units[3].keywords[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}
