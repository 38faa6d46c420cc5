/**
 * 办理结果公开 and who may read a reply's 答复函. Pure.
 * - Published (公开, 国务院办公厅 2014 notice on 建议提案办理结果公开): a reply the office approved whose
 *   letter is marked `public`. A reply without a letter (older data) is never published.
 * - A signed-in reader who may see the proposal (shared/domain/access.ts) reads its replies; a proposer
 *   only once the office approved it (as the proposal view shows them).
 * - The holder of a proposer's feedback link (the reply email) reads the approved reply it names.
 * - Anyone reads a published reply.
 */
import { canSee, type Identity } from '#domain/access.ts';
import type { Proposal, Reply } from '#domain/proposal.ts';

export const isPublished = (r: Reply): boolean => r.status === 'approved' && r.letter?.disclosure === 'public';

/** The proposal's published replies, newest first (a re-handled proposal has two). */
export const publishedReplies = (p: Pick<Proposal, 'replies'>): Reply[] => p.replies.filter(isPublished).sort((a, b) => b.n - a.n);

/** Who reads: a signed-in identity, the holder of a (verified) link naming one reply, or anyone. */
export type Reader = { who: Identity } | { link: { proposalId: string; n: number } } | 'anyone';

export function mayRead(reader: Reader, p: Proposal, r: Reply): boolean {
  if (isPublished(r)) return true;
  if (reader === 'anyone') return false;
  if ('link' in reader) return reader.link.proposalId === p.id && reader.link.n === r.n && r.status === 'approved';
  const { who } = reader;
  return canSee(who, p) && (who.role !== 'member' || r.status === 'approved');
}
