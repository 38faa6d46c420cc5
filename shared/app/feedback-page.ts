/**
 * What the page a proposer opens from the feedback link (满意度测评, GET /v1/feedback) shows; the
 * HTML is the render module's (shared/render/feedback-page.ts).
 * Steps:
 * 1. verify the link's token (signature, expiry): a bad one is a `badLink` page;
 * 2. load the proposal and find the reply the token names: none is a `noReply` page;
 * 3. the page: the proposal's number and title, the unit that replied (by name), the reply, and the
 *    proposer's own rating if they already gave one (by its Chinese name).
 */
import { unitNames } from '#domain/city-config.ts';
import { satisfactionNames } from '#domain/glossary.ts';
import { verifyFeedbackToken } from '#app/feedback-token.ts';
import type { AppState } from '#app/state.ts';

export type FeedbackPageView =
  | { ok: true; city: string; number: string; title: string; unit: string; replyText: string; token: string; rated?: string }
  | { ok: false; city: string; problem: 'badLink' | 'noReply'; reason: string };

type Deps = Pick<AppState, 'config' | 'clock' | 'proposals' | 'feedbackSecret'>;

export async function feedbackPage(s: Deps, token: string): Promise<FeedbackPageView> {
  const city = s.config.name;
  const check = verifyFeedbackToken(s.feedbackSecret, token, s.clock.now());
  if (!check.ok) return { ok: false, city, problem: 'badLink', reason: '链接无效或已过期' };
  const { proposalId, n, memberId } = check.claim;
  const p = await s.proposals.get(proposalId);
  const reply = p?.replies.find((r) => r.n === n);
  if (!p || !reply) return { ok: false, city, problem: 'noReply', reason: '找不到对应的答复' };
  const rated = p.feedback.find((f) => f.n === reply.n && f.memberId === memberId)?.satisfaction;
  const unit = unitNames(s.config)(reply.unit);
  return {
    ok: true,
    city,
    number: p.number,
    title: p.title,
    unit,
    replyText: reply.text,
    token,
    ...(rated ? { rated: satisfactionNames[rated] } : {}),
  };
}
