/**
 * The public write (POST /v1/feedback: anyone holding a rating link) proves itself with the signed
 * token in its body. The api handler checks that proof before anything is written, an Idempotency-Key
 * record included, so an anonymous caller with a bad token costs no write; the route reads the claim.
 */
import { InvalidInput } from '#app/errors.ts';
import { verifyFeedbackToken, type FeedbackClaim } from '#app/feedback-token.ts';
import type { ApiState } from '#app/state.ts';
import { jsonBody, type ApiEvent } from '#functions/http/http.ts';
import * as S from './schemas.ts';

/** The claim of a valid feedback token; else a 400 naming `token`. */
export function feedbackClaim(state: Pick<ApiState, 'feedbackSecret' | 'clock'>, token: string): FeedbackClaim {
  const check = verifyFeedbackToken(state.feedbackSecret, token, state.clock.now());
  if (!check.ok) throw new InvalidInput([{ path: 'token', message: check.reason }]); // the reason is in Chinese
  return check.claim;
}

/** Throws what the route would for a public write whose proof (body, token) does not hold; other requests pass. */
export function checkPublicWrite(state: Pick<ApiState, 'feedbackSecret' | 'clock'>, event: ApiEvent): void {
  const path = event.rawPath.replace(/\/+$/, '');
  if (event.requestContext.http.method.toUpperCase() === 'POST' && path === '/v1/feedback')
    feedbackClaim(state, jsonBody(event, S.feedbackBody).token);
}
