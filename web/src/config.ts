/** The console's settings, read once from `/config.json` (served by the local runtime, written by the CDK stack). */
export interface City {
  id: string;
  name: string;
  timeZone: string;
}

export type AuthConfig =
  { mode: 'local' } | { mode: 'oidc'; authority: string; clientId: string; scope?: string; redirectPath?: string; logoutUrl?: string };

export interface ConsoleConfig {
  city: City;
  /** Prefixed to `/v1/...`; "" = same origin. */
  apiBase: string;
  auth: AuthConfig;
}

let loaded: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  if (loaded) return loaded;
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`/config.json: HTTP ${res.status}`);
  const c = (await res.json()) as Partial<ConsoleConfig>;
  if (!c.city?.timeZone || !c.auth?.mode) throw new Error('/config.json: city and auth are required');
  loaded = { city: c.city, apiBase: c.apiBase ?? '', auth: c.auth };
  return loaded;
}

/** The loaded config (main.ts loads it before the app mounts). */
export function config(): ConsoleConfig {
  if (!loaded) throw new Error('config not loaded');
  return loaded;
}

/** For tests. */
export function setConfig(c: ConsoleConfig): void {
  loaded = c;
}
