/**
 * Who may see what (访问控制). Pure. Members see only proposals they are a proposer of, units only
 * those assigned to them (lead or co), office and leaders all.
 */
import * as z from '#shared/zod.ts';
import type { Proposal } from '#domain/proposal.ts';

export const identitySchema = z.lazy(() =>
  z.discriminatedUnion('role', [
    z.object({ role: z.literal('office'), sub: z.string().check(z.minLength(1)) }),
    z.object({ role: z.literal('leader'), sub: z.string().check(z.minLength(1)) }),
    z.object({ role: z.literal('unit'), sub: z.string().check(z.minLength(1)), unit: z.string().check(z.minLength(1)) }),
    z.object({ role: z.literal('member'), sub: z.string().check(z.minLength(1)), memberId: z.string().check(z.minLength(1)) }),
  ]),
);
export type Identity = z.infer<typeof identitySchema>;
export type Role = Identity['role'];

export function canSee(who: Identity, p: Proposal): boolean {
  switch (who.role) {
    case 'office':
    case 'leader':
      return true;
    case 'unit':
      return p.lead === who.unit || p.co.includes(who.unit);
    case 'member':
      return p.proposers.some((x) => x.memberId === who.memberId);
  }
}
