/** Who is signed in: the token lives in memory (local mode) or in sessionStorage via oidc-client-ts. */
import { reactive } from 'vue';

export type Role = 'office' | 'leader' | 'unit' | 'member' | 'committee';

export interface Identity {
  role: Role;
  sub: string;
  unit?: string;
  memberId?: string;
  unitHead?: boolean;
  /** A leader's name (the 领办领导 of key proposals). */
  leader?: string;
}

export const session = reactive<{ token?: string; identity?: Identity }>({});

const roles: readonly string[] = ['office', 'leader', 'unit', 'member', 'committee'];

/** Our claims (`role`, `unit`, `memberId`) or Cognito's (`cognito:groups`, `custom:unit`, `custom:memberId`). */
export function identityFromClaims(c: Record<string, unknown>): Identity | undefined {
  const groups = c['cognito:groups'];
  const list = Array.isArray(groups) ? groups.map(String) : [];
  const role = [c.role, ...list].find((r): r is Role => typeof r === 'string' && roles.includes(r));
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  if (!role) return undefined;
  const unit = str(c.unit) ?? str(c['custom:unit']);
  const memberId = str(c.memberId) ?? str(c['custom:memberId']);
  const leader = str(c.leader) ?? str(c['custom:leader']);
  return {
    role,
    sub: str(c.sub) ?? '',
    ...(unit ? { unit } : {}),
    ...(memberId ? { memberId } : {}),
    ...(leader && role === 'leader' ? { leader } : {}),
    ...(c.unitHead === true ? { unitHead: true } : {}),
  };
}
