/** Local mode: the local runtime's `local_session` cookie (set by /_local/login) is exchanged for a dev token. */
import { identityFromClaims, session } from './session';

export async function restoreLocal(): Promise<boolean> {
  const res = await fetch('/_local/session', { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) return false;
  const body = (await res.json()) as { token?: unknown; identity?: unknown };
  const identity =
    typeof body.identity === 'object' && body.identity !== null ? identityFromClaims(body.identity as Record<string, unknown>) : undefined;
  if (typeof body.token !== 'string' || !identity) return false;
  session.token = body.token;
  session.identity = identity;
  return true;
}

export async function signOutLocal(): Promise<void> {
  // The local runtime takes JSON only on its POSTs (no cross-site form can send it).
  await fetch('/_local/logout', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' } }).catch(
    () => undefined,
  );
}

/** A sign-in link of the local runtime for that identity. */
export function localLoginUrl(
  q: { role: string; unit?: string; unitHead?: boolean; name?: string; memberId?: string; leader?: string },
  next = '/',
): string {
  const p = new URLSearchParams({ role: q.role });
  if (q.unit) p.set('unit', q.unit);
  if (q.unitHead) p.set('unitHead', 'true');
  if (q.name) p.set('name', q.name);
  if (q.memberId) p.set('memberId', q.memberId);
  if (q.leader) p.set('leader', q.leader);
  p.set('next', next);
  return `/_local/login?${p.toString()}`;
}
