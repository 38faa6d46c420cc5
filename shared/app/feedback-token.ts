/**
 * Feedback tokens (满意度测评链接): `<kid>.<body>.<signature>`, the body the base64url JSON of
 * (proposal, member, reply, expiry), the signature HMAC-SHA256 over `<kid>.<body>` with the key the
 * kid names. Bound to one proposer and one reply, expiring; a forged or expired token is rejected
 * here, a reused one by the workflow (a proposer rates a reply once).
 *
 * Keys rotate (docs/operations.md, "Rotating the feedback key"): a token verifies with the current
 * key or the previous one, whichever its kid names, so links already emailed outlive a rotation.
 * Tokens issued before kids existed (`<body>.<signature>`, signed over the body) verify with either.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '#shared/zod.ts';

const payloadSchema = z.lazy(() => z.object({ p: z.string(), m: z.string(), n: z.int(), exp: z.int() }));
export type FeedbackClaim = { proposalId: string; memberId: string; n: number; expiresAt: Date };

/** A signing key and its id (derived from the key: the same secret has the same kid everywhere). */
export interface FeedbackKey {
  kid: string;
  secret: string;
}

/** The keys in force: new links are signed with `current`; a link verifies with `current` or `previous`. */
export interface FeedbackKeys {
  current: FeedbackKey;
  previous?: FeedbackKey;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const sign = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('base64url');

/** The key with its kid: 8 base64url characters of an HMAC of the secret (reveals nothing of it). */
export function feedbackKey(secret: string): FeedbackKey {
  return { kid: sign(secret, 'feedback-key-id').slice(0, 8), secret };
}

/** The keys from the secret's values: the one that signs, and the one before it (if any). */
export function feedbackKeys(current: string, previous?: string): FeedbackKeys {
  return { current: feedbackKey(current), ...(previous ? { previous: feedbackKey(previous) } : {}) };
}

export function createFeedbackToken(keys: FeedbackKeys, c: FeedbackClaim): string {
  const { kid, secret } = keys.current;
  const body = b64(JSON.stringify({ p: c.proposalId, m: c.memberId, n: c.n, exp: Math.floor(c.expiresAt.getTime() / 1000) }));
  return `${kid}.${body}.${sign(secret, `${kid}.${body}`)}`;
}

export type TokenCheck = { ok: true; claim: FeedbackClaim } | { ok: false; reason: string };

const sameSignature = (expected: string, given: string) => {
  const [a, b] = [Buffer.from(expected), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
};

export function verifyFeedbackToken(keys: FeedbackKeys, token: string, now: Date): TokenCheck {
  const parts = token.split('.');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) return { ok: false, reason: '链接格式不对' };
  const known = [keys.current, keys.previous].filter((k) => k !== undefined);
  let body: string;
  if (parts.length === 3) {
    const [kid = '', b = '', sig = ''] = parts;
    const key = known.find((k) => k.kid === kid);
    if (!key) return { ok: false, reason: '链接的签名密钥已停用' };
    if (!sameSignature(sign(key.secret, `${kid}.${b}`), sig)) return { ok: false, reason: '链接签名无效' };
    body = b;
  } else {
    // Issued before kids: signed over the body alone.
    const [b = '', sig = ''] = parts;
    if (!known.some((k) => sameSignature(sign(k.secret, b), sig))) return { ok: false, reason: '链接签名无效' };
    body = b;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: '链接格式不对' };
  }
  const parsed = payloadSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: '链接格式不对' };
  const { p, m, n, exp } = parsed.data;
  if (exp * 1000 < now.getTime()) return { ok: false, reason: '链接已过期' };
  return { ok: true, claim: { proposalId: p, memberId: m, n, expiresAt: new Date(exp * 1000) } };
}
