/**
 * 查看答复函: the printable letter of a reply (GET /v1/proposals/{id}/replies/{n}/letter, text/html)
 * needs the bearer token, so a plain link cannot open it. It is fetched with the token and shown in a
 * new tab from a blob URL; the tab is opened at the click (a popup blocker allows that) and pointed
 * at the letter once it is there.
 */
import { api, unwrap } from '../api/client';

/** How long the letter's blob URL lives (the tab has loaded it long before; a reload after that fails). */
const KEEP_MS = 10 * 60_000;

export interface LetterWindow {
  open: (url: string, target: string) => { location: { href: string }; close: () => void } | null;
}

/** Fetches the letter; an ApiProblem when it cannot be read (the caller shows its message). */
export function fetchReplyLetter(proposalId: string, n: number): Promise<string> {
  return unwrap(
    api().GET('/v1/proposals/{id}/replies/{n}/letter', { params: { path: { id: proposalId, n: String(n) } }, parseAs: 'text' }),
  );
}

/**
 * Opens the letter in a new tab: false when the browser blocked the tab (nothing fetched); throws
 * (after closing the empty tab) when the letter cannot be fetched.
 */
export async function openReplyLetter(proposalId: string, n: number, win: LetterWindow = window): Promise<boolean> {
  const tab = win.open('', '_blank');
  if (!tab) return false;
  try {
    const html = await fetchReplyLetter(proposalId, n);
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
    setTimeout(() => URL.revokeObjectURL(url), KEEP_MS);
    tab.location.href = url;
    return true;
  } catch (e) {
    tab.close();
    throw e;
  }
}
