/**
 * Feedback tokens carry the id of the key that signed them and verify against the current and the
 * previous key: a rotation keeps the links already emailed working, a second one retires the oldest
 * key, and links issued before kids existed still verify.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFeedbackToken, feedbackKey, feedbackKeys, verifyFeedbackToken, type FeedbackClaim } from '#app/feedback-token.ts';

const now = new Date('2026-06-01T00:00:00Z');
const claim: FeedbackClaim = { proposalId: 'p-1', memberId: 'm-1', n: 1, expiresAt: new Date('2026-07-01T00:00:00Z') };

/** A token as issued before key ids: `<body>.<HMAC over the body>`. */
function tokenWithoutKid(secret: string, c: FeedbackClaim): string {
  const body = Buffer.from(
    JSON.stringify({ p: c.proposalId, m: c.memberId, n: c.n, exp: Math.floor(c.expiresAt.getTime() / 1000) }),
  ).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('feedback tokens', () => {
  it('carry the signing key id, and round-trip the claim', () => {
    const keys = feedbackKeys('k1');
    const token = createFeedbackToken(keys, claim);
    expect(token.split('.')).toHaveLength(3);
    expect(token.split('.')[0]).toBe(feedbackKey('k1').kid);
    expect(verifyFeedbackToken(keys, token, now)).toEqual({ ok: true, claim: { ...claim, expiresAt: new Date('2026-07-01T00:00:00Z') } });
  });

  it('derive the kid from the key: the same everywhere, different per key, and not the key', () => {
    expect(feedbackKey('k1').kid).toBe(feedbackKey('k1').kid);
    expect(feedbackKey('k1').kid).not.toBe(feedbackKey('k2').kid);
    expect(feedbackKey('k1').kid).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });

  it('signed with the previous key still verify after a rotation; signed with the new key too', () => {
    const old = createFeedbackToken(feedbackKeys('k1'), claim);
    const rotated = feedbackKeys('k2', 'k1');
    expect(verifyFeedbackToken(rotated, old, now).ok).toBe(true);
    expect(verifyFeedbackToken(rotated, createFeedbackToken(rotated, claim), now).ok).toBe(true);
  });

  it('fail with a key that is neither current nor previous (an unknown kid)', () => {
    const old = createFeedbackToken(feedbackKeys('k1'), claim);
    expect(verifyFeedbackToken(feedbackKeys('k3', 'k2'), old, now)).toEqual({ ok: false, reason: '链接的签名密钥已停用' });
  });

  it('issued without a kid (before key ids) verify against the current key, and the previous after a rotation', () => {
    const legacy = tokenWithoutKid('k1', claim);
    expect(verifyFeedbackToken(feedbackKeys('k1'), legacy, now).ok).toBe(true);
    expect(verifyFeedbackToken(feedbackKeys('k2', 'k1'), legacy, now).ok).toBe(true);
    expect(verifyFeedbackToken(feedbackKeys('k3', 'k2'), legacy, now)).toEqual({ ok: false, reason: '链接签名无效' });
  });

  it('reject a forged signature, a kid moved onto another key, an expired or a malformed token', () => {
    const keys = feedbackKeys('k2', 'k1');
    const [kid, body, sig] = createFeedbackToken(keys, claim).split('.');
    expect(verifyFeedbackToken(keys, `${kid}.${body}.${sig?.slice(1)}x`, now)).toEqual({ ok: false, reason: '链接签名无效' });
    expect(verifyFeedbackToken(keys, `${feedbackKey('k1').kid}.${body}.${sig}`, now)).toEqual({ ok: false, reason: '链接签名无效' });
    const otherClaim = Buffer.from(JSON.stringify({ p: 'p-2', m: 'm-1', n: 1, exp: 1_900_000_000 })).toString('base64url');
    expect(verifyFeedbackToken(keys, `${kid}.${otherClaim}.${sig}`, now).ok).toBe(false);
    expect(verifyFeedbackToken(keys, createFeedbackToken(keys, claim), new Date('2026-07-02T00:00:00Z'))).toEqual({
      ok: false,
      reason: '链接已过期',
    });
    for (const bad of ['', 'x', 'a.b.c.d', '..', `${kid}..${sig}`])
      expect(verifyFeedbackToken(keys, bad, now), bad).toMatchObject({ ok: false });
    const notJson = Buffer.from('nope').toString('base64url');
    const signedNotJson = `${kid}.${notJson}.${createHmac('sha256', 'k2').update(`${kid}.${notJson}`).digest('base64url')}`;
    expect(verifyFeedbackToken(keys, signedNotJson, now)).toEqual({ ok: false, reason: '链接格式不对' });
  });
});
