/**
 * OIDC mode (AWS): authorization code + PKCE with oidc-client-ts; the user store is sessionStorage
 * (never localStorage). Loaded only in this mode (dynamic import from auth/index.ts).
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { AuthConfig } from '../config';
import { identityFromClaims, session } from './session';

type Oidc = Extract<AuthConfig, { mode: 'oidc' }>;
let manager: UserManager | undefined;

function um(c: Oidc): UserManager {
  manager ??= new UserManager({
    authority: c.authority,
    client_id: c.clientId,
    redirect_uri: `${location.origin}${c.redirectPath ?? '/auth/callback'}`,
    post_logout_redirect_uri: `${location.origin}/`,
    response_type: 'code',
    scope: c.scope ?? 'openid email profile',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
  });
  return manager;
}

/** The API reads the role and unit claims, which Cognito puts in the ID token: that is the bearer. */
function adopt(user: User | null): boolean {
  if (!user || user.expired) return false;
  const identity = identityFromClaims(user.profile as Record<string, unknown>);
  if (!identity) return false;
  session.token = user.id_token ?? user.access_token;
  session.identity = identity;
  return true;
}

export async function restoreOidc(c: Oidc): Promise<boolean> {
  return adopt(await um(c).getUser());
}

export async function signInOidc(c: Oidc, next: string): Promise<void> {
  await um(c).signinRedirect({ state: next });
}

/** On /auth/callback: completes the code exchange; returns where to go next. */
export async function completeOidc(c: Oidc): Promise<string> {
  const user = await um(c).signinRedirectCallback();
  adopt(user);
  return typeof user.state === 'string' && user.state.startsWith('/') ? user.state : '/';
}

export async function signOutOidc(c: Oidc): Promise<void> {
  await um(c).removeUser();
  if (c.logoutUrl) location.assign(c.logoutUrl);
  else await um(c).signoutRedirect();
}
