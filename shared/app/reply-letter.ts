/**
 * 答复函: the printable letter of one reply (GET /v1/proposals/{id}/replies/{n}/letter for signed-in
 * readers; GET /v1/letter?id=&n=[&token=] from the reply email, or for a published reply).
 * Steps:
 * 1. who reads: a signed-in identity; the holder of a proposer's feedback link token (signature and
 *    expiry verified; it names one reply); or anyone (a bad or expired token counts as no token);
 * 2. load the proposal and reply n; none, or one this reader may not read
 *    (shared/domain/reply-disclosure.ts `mayRead`): undefined, which the routes answer with 404
 *    (not yours looks the same as not there);
 * 3. render the letter (shared/render/reply-letter.ts) with the unit's name and the city's dates.
 */
import { unitNames } from '#domain/city-config.ts';
import type { Identity } from '#domain/access.ts';
import { mayRead, type Reader } from '#domain/reply-disclosure.ts';
import { renderReplyLetter, type LetterCity } from '#render/reply-letter.ts';
import { verifyFeedbackToken } from '#app/feedback-token.ts';
import type { AppState } from '#app/state.ts';

type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'proposals' | 'feedbackSecret'>;

export type LetterReader = { who: Identity } | { token: string } | 'anyone';

/** The letter's address (absolute, from the city's linkBase); with a proposer's token, the link in the reply email. */
export function letterUrl(linkBase: string, proposalId: string, n: number, token?: string): string {
  const q = new URLSearchParams({ id: proposalId, n: String(n), ...(token ? { token } : {}) });
  return `${linkBase.replace(/\/+$/, '')}/v1/letter?${q.toString()}`;
}

export function letterCity(s: Pick<AppState, 'config' | 'calendar'>): LetterCity {
  return { name: s.config.name, unitName: unitNames(s.config), localDate: (at) => s.calendar.localDate(new Date(at)) };
}

function readerOf(s: Deps, reader: LetterReader): Reader {
  if (reader === 'anyone' || 'who' in reader) return reader;
  const check = verifyFeedbackToken(s.feedbackSecret, reader.token, s.clock.now());
  return check.ok ? { link: { proposalId: check.claim.proposalId, n: check.claim.n } } : 'anyone';
}

/** The letter's HTML, or undefined when there is no such reply or this reader may not read it. */
export async function replyLetter(s: Deps, proposalId: string, n: number, reader: LetterReader): Promise<string | undefined> {
  const who = readerOf(s, reader);
  const p = await s.proposals.get(proposalId);
  const reply = p?.replies.find((r) => r.n === n);
  if (!p || !reply || !mayRead(who, p, reply)) return undefined;
  return renderReplyLetter(letterCity(s), p, reply);
}
