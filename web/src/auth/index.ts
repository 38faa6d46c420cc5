/** Sign-in, whichever the mode of /config.json: local (the local runtime) or OIDC (AWS). */
import { config } from '../config';
import { restoreLocal, signOutLocal } from './local';
import { session } from './session';

export { session } from './session';
export type { Identity, Role } from './session';

const oidc = () => import('./oidc');

/** At start: picks up an existing session. */
export async function restoreSession(): Promise<boolean> {
  const auth = config().auth;
  if (auth.mode === 'local') return restoreLocal();
  return (await oidc()).restoreOidc(auth);
}

/** Starts a sign-in (OIDC: off to the identity provider); false when the console shows its own sign-in page (local). */
export async function startSignIn(next: string): Promise<boolean> {
  const auth = config().auth;
  if (auth.mode === 'local') return false;
  await (await oidc()).signInOidc(auth, next);
  return true;
}

export async function completeSignIn(): Promise<string> {
  const auth = config().auth;
  if (auth.mode === 'local') return '/';
  return (await oidc()).completeOidc(auth);
}

export async function signOut(): Promise<void> {
  const auth = config().auth;
  session.token = undefined;
  session.identity = undefined;
  if (auth.mode === 'local') await signOutLocal();
  else await (await oidc()).signOutOidc(auth);
}
