/**
 * Feedback tokens (满意度测评链接): HMAC-SHA256 over (proposal, member, reply, expiry), base64url.
 * Bound to one proposer and one reply, expiring; a forged or expired token is rejected here, a reused
 * one by the workflow (a proposer rates a reply once).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '#shared/zod.ts';

const payloadSchema = z.lazy(() => z.object({ p: z.string(), m: z.string(), n: z.int(), exp: z.int() }));
export type FeedbackClaim = { proposalId: string; memberId: string; n: number; expiresAt: Date };

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export function createFeedbackToken(secret: string, c: FeedbackClaim): string {
  const body = b64(JSON.stringify({ p: c.proposalId, m: c.memberId, n: c.n, exp: Math.floor(c.expiresAt.getTime() / 1000) }));
  return `${body}.${sign(secret, body)}`;
}

export type TokenCheck = { ok: true; claim: FeedbackClaim } | { ok: false; reason: string };

export function verifyFeedbackToken(secret: string, token: string, now: Date): TokenCheck {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return { ok: false, reason: 'malformed token' };
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid signature' };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  const parsed = payloadSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'malformed token' };
  const { p, m, n, exp } = parsed.data;
  if (exp * 1000 < now.getTime()) return { ok: false, reason: 'token expired' };
  return { ok: true, claim: { proposalId: p, memberId: m, n, expiresAt: new Date(exp * 1000) } };
}
