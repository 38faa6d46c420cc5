/**
 * How large a proposal may grow. Pure. A proposal is one DynamoDB item, and an item holds at most
 * 400 KB: past it every save fails, and then nobody can approve or rate. So the lists that grow
 * while a proposal is handled have caps, checked by the decision that appends to them (one call to
 * `roomFor`, before anything changes), and the texts have maximum lengths (`textMax`, used by the
 * API's request schemas). A refusal is `ProposalFull` (answered 413, in Chinese); it changes nothing.
 *
 * Two checks:
 * 1. Count: at most `caps[list].max` entries in the list (a reply that replaces the lead unit's own
 *    draft adds none).
 * 2. Size: the proposal as stored, estimated as its JSON in UTF-8 (which over-counts DynamoDB's own
 *    measure: quotes, colons and commas count, a boolean is 4-5 bytes instead of 1), plus the new
 *    text and ENTRY_BYTES for its other fields, must leave room for what still has to fit after
 *    this step, below BUDGET:
 *
 *    | step                                  | keeps room for                                          |
 *    |---------------------------------------|---------------------------------------------------------|
 *    | contact, supervision, 批示, 延期申请   | a reply at its longest, a round of ratings, a final progress report, a round of ratings of it |
 *    | reply                                 | a round of ratings, a final progress report (二次答复), a round of ratings of it |
 *    | progress report                       | a round of ratings (of the 二次答复)                      |
 *
 *    A round of ratings is every proposer's rating with the longest comment (RATING_BYTES each).
 *    So once the records (contacts etc.) stop, a reply of the longest kind, its approval, every
 *    proposer's rating and the 二次答复 with its ratings still fit.
 *
 * BUDGET is 360 KB of the 400 KB: the other 40 KB is for the small writes no cap guards (approval,
 * deadlines, closing, escalation, a return's or a decision's reason, 签发 and 会签 fields), and the
 * estimate's own error (the item's keys).
 *
 * The numbers, worked out: a reply of 20,000 characters is at most 60 KB in UTF-8 (3 bytes a
 * character; a character outside the BMP is 4 bytes for 2 UTF-16 units, i.e. less); a rating with a
 * 300-character comment 1.1 KB, so a round of 50 proposers' ratings (the most a submission names)
 * 55 KB. What the submission and the assignment bring is bounded by their own schemas: a 20,000
 * character body (60 KB), 50 proposers (~40 KB at their longest), 10 co-units' 1,500-character
 * opinions (45 KB) and 11 units' 500-character objections (17 KB): ~160 KB at every submission cap.
 * Such a proposal takes no record (no room left for them), but still a reply of the longest kind, its
 * approval, 50 ratings, a 二次答复 of the longest kind and 50 more ratings: it ends at ~350 KB by
 * DynamoDB's measure. A typical proposal (a 3,000-character body, 3 proposers, 2 co-units) takes some
 * 78,000 characters of records before they stop. test/unit/limits.test.ts checks both.
 */
import type { Proposal } from '#domain/proposal.ts';
import { followUpOf, leadUnits } from '#domain/parts.ts';

/** DynamoDB's most for one item (the proposal), in bytes. */
export const ITEM_LIMIT = 400 * 1024;

/** What the estimated proposal may reach, with the room each step keeps (see above). */
export const BUDGET = 360 * 1024;

/** Longest texts, in characters (the API's request schemas use these). */
export const textMax = {
  /** 面商 and other contacts: the note. */
  contactNote: 2_000,
  /** 答复 (functions/api/reply-schemas.ts): the reply's text. */
  reply: 20_000,
  /**
   * 会签 note of a co-unit (functions/api/reply-schemas.ts): not guarded by a cap, so short enough
   * that ten co-units' notes (15 KB) stay within the budget's slack.
   */
  countersignNote: 500,
  /** 跟踪落实 progress report (a final one is the 二次答复). */
  progress: 5_000,
  /** 督办记录: the note. */
  supervisionNote: 2_000,
  /** 批示 */
  instruction: 2_000,
  /** 协办意见 of a co-unit (one per unit, replaced when given again). */
  opinion: 1_500,
  /** 申请调整 of a unit (one pending per unit). */
  objection: 500,
  /** A proposer's comment with a rating (a round of ratings is kept room for: see RATING_BYTES). */
  ratingComment: 300,
} as const;

/** The lists that grow while a proposal is handled: their most entries, and their Chinese name. */
export const caps = {
  contacts: { max: 50, noun: '联系记录' },
  supervisions: { max: 50, noun: '督办记录' },
  instructions: { max: 20, noun: '领导批示' },
  extensionRequests: { max: 10, noun: '延期申请' },
  replies: { max: 10, noun: '答复' },
  progress: { max: 20, noun: '落实进展报告' },
} as const;
export type Growing = keyof typeof caps;

/** An entry's fields other than its text (unit, mode, instants, numbers and their names), at most. */
export const ENTRY_BYTES = 400;
/** One proposer's rating with the longest comment (its other fields: n, memberId, satisfaction, at, second). */
export const RATING_BYTES = textMax.ratingComment * 3 + 200;
/** A reply of the longest kind with its fields and letter. */
export const REPLY_BYTES = textMax.reply * 3 + 2 * ENTRY_BYTES;
/** A progress report of the longest kind (the 二次答复 keeps its text twice: in the list and as the second reply). */
export const PROGRESS_BYTES = 2 * textMax.progress * 3 + ENTRY_BYTES;

/** The proposal cannot take this entry: a list at its cap, or no room left (answered 413). */
export class ProposalFull extends Error {
  constructor(
    message: string,
    readonly list: Growing,
  ) {
    super(message);
    this.name = 'ProposalFull';
  }
}

/** Bytes of `s` in UTF-8, without encoding it. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 for each half.
    n += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
  }
  return n;
}

/** The proposal's size as stored, estimated from above (its JSON in UTF-8). */
export const storedBytes = (p: Proposal): number => utf8Length(JSON.stringify(p));

/** The reply a new one replaces: the lead unit's own that has not left it yet (a draft, or one waiting for 签发). */
const replacedReply = (p: Proposal) => p.replies.find((r) => r.status === 'draft' || r.status === 'signing');

function countOf(p: Proposal, list: Growing): number {
  if (list === 'progress') return leadUnits(p).reduce((n, u) => n + (followUpOf(p, u)?.progress.length ?? 0), 0);
  if (list === 'replies') return p.replies.length - (replacedReply(p) ? 1 : 0);
  return p[list].length;
}

/** The room a step keeps for what must still fit after it (see the table above). */
function roomKept(p: Proposal, list: Growing): number {
  const ratings = p.proposers.length * RATING_BYTES;
  if (list === 'progress') return ratings;
  if (list === 'replies') return 2 * ratings + PROGRESS_BYTES;
  return REPLY_BYTES + 2 * ratings + PROGRESS_BYTES;
}

/**
 * Throws ProposalFull unless `list` may take one more entry whose text is `text`: under its count
 * cap, and leaving the room the step keeps. Call it before the decision changes anything.
 */
export function roomFor(p: Proposal, list: Growing, text: string): void {
  const { max, noun } = caps[list];
  if (countOf(p, list) >= max) throw new ProposalFull(`本提案的${noun}已达 ${max} 条上限，不能再添加`, list);
  const replaced = list === 'replies' ? utf8Length(replacedReply(p)?.text ?? '') : 0;
  const left = BUDGET - roomKept(p, list) - storedBytes(p) + replaced - ENTRY_BYTES;
  if (utf8Length(text) <= left) return;
  const chars = Math.floor(left / 3);
  const why = `本提案保存的内容已接近单条记录 400 KB 的存储上限（须为后续的答复、评价留出空间）`;
  throw new ProposalFull(chars > 0 ? `${why}，此条${noun}最多还能写约 ${chars} 个字` : `${why}，不能再添加${noun}`, list);
}
