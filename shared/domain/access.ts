/**
 * Who may see what (访问控制). Pure. Members see only proposals they are a proposer of, units only
 * those assigned to them (lead or co), the office and the committee all; leaders all, except a leader
 * in charge of some units (email.leaders[].units: `inCharge`), who sees those units' proposals and
 * the key proposals they lead (领办).
 */
import * as z from '#shared/zod.ts';
import type { Proposal } from '#domain/proposal.ts';

export const identitySchema = z.lazy(() =>
  z.discriminatedUnion('role', [
    z.object({ role: z.literal('office'), sub: z.string().check(z.minLength(1)) }),
    z.object({
      role: z.literal('leader'),
      sub: z.string().check(z.minLength(1)),
      /** The leader's name as the city config has it (claim `leader`): who leads a key proposal, who gives 批示. */
      leader: z.optional(z.string().check(z.minLength(1))),
      /** The units this leader is in charge of, from the city config (withLeaderScope); absent: all. Never from a token. */
      inCharge: z.optional(z.array(z.string())),
    }),
    z.object({ role: z.literal('committee'), sub: z.string().check(z.minLength(1)) }),
    z.object({
      role: z.literal('unit'),
      sub: z.string().check(z.minLength(1)),
      unit: z.string().check(z.minLength(1)),
      /** The unit's head (claim `unitHead: true`), who signs off its replies (签发). */
      unitHead: z.optional(z.boolean()),
      /** The person's name (claim `name`), e.g. the 签发人 on a reply letter. */
      name: z.optional(z.string().check(z.minLength(1))),
    }),
    z.object({ role: z.literal('member'), sub: z.string().check(z.minLength(1)), memberId: z.string().check(z.minLength(1)) }),
  ]),
);
export type Identity = z.infer<typeof identitySchema>;
export type Role = Identity['role'];

/** The unit handles the proposal: its lead, one of its lead units (分办) or a co-unit. */
export const handledBy = (p: Pick<Proposal, 'lead' | 'leads' | 'co'>, unit: string): boolean =>
  p.lead === unit || p.leads.includes(unit) || p.co.includes(unit);

export function canSee(who: Identity, p: Proposal): boolean {
  switch (who.role) {
    case 'office':
    case 'committee':
      return true;
    case 'leader': {
      const units = who.inCharge;
      if (!units || (p.key && p.leader !== undefined && p.leader === who.leader)) return true;
      return units.some((u) => handledBy(p, u));
    }
    case 'unit':
      return handledBy(p, who.unit);
    case 'member':
      return p.proposers.some((x) => x.memberId === who.memberId);
  }
}

/**
 * A leader's identity with the units they are in charge of (email.leaders[].units), found by the name
 * the token carries; any other identity as it is. A leader the config does not name, or names without
 * units, sees every unit.
 */
export function withLeaderScope(who: Identity, leaders: readonly { name: string; units?: readonly string[] | undefined }[]): Identity {
  if (who.role !== 'leader') return who;
  const { inCharge: _ignored, ...rest } = who;
  const units = who.leader ? leaders.find((l) => l.name === who.leader)?.units : undefined;
  return units ? { ...rest, inCharge: [...units] } : rest;
}
