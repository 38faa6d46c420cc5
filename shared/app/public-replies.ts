/**
 * 办理结果公开 (国务院办公厅 2014 notice on 建议提案办理结果公开): the replies of a year that the office
 * approved and the unit marked 公开, for anyone (GET /v1/public/replies, and its page).
 * Steps:
 * 1. the year: as asked, else the current year in the city's time zone;
 * 2. every proposal of that year (byYear index, all pages), in case-number order;
 * 3. each published reply of each (shared/domain/reply-disclosure.ts), newest first: a re-handled
 *    proposal shows its second reply above the first; drafts, replies under review, returned ones and
 *    those marked 依申请公开 / 不予公开 never appear;
 * 4. only what is public: number, title, proposer names (the collective's name for a 集体提案), unit,
 *    class, text, date, 文号, the letter's address. Never contact data (email, mobile, 联系人, 联系电话).
 */
import { unitNames } from '#domain/city-config.ts';
import { confirmedProposers } from '#domain/proposers.ts';
import { publishedReplies } from '#domain/reply-disclosure.ts';
import type { Proposal } from '#domain/proposal.ts';
import { allOfYear } from '#app/ports.ts';
import { letterUrl } from '#app/reply-letter.ts';
import type { AppState } from '#app/state.ts';
import type { PublicReply } from '#render/public-replies.ts';

export type { PublicReply } from '#render/public-replies.ts';

type Deps = Pick<AppState, 'index' | 'clock' | 'calendar' | 'config'>;

const proposerNames = (p: Proposal): string[] => (p.collective ? [p.collective.name] : confirmedProposers(p).map((x) => x.name));

export async function publicReplies(s: Deps, q: { year?: number | undefined }): Promise<{ year: number; items: PublicReply[] }> {
  const year = q.year ?? Number(s.calendar.localDate(s.clock.now()).slice(0, 4));
  const unitName = unitNames(s.config);
  const classes = new Map(s.config.replies.classes.map((c) => [c.code, c.name]));
  const items = (await allOfYear(s.index, year)).flatMap((p) =>
    publishedReplies(p).map((r): PublicReply => {
      const repliedAt = r.decidedAt ?? r.signedAt ?? r.submittedAt;
      return {
        number: p.number,
        title: p.title,
        proposers: proposerNames(p),
        unit: r.unit,
        unitName: unitName(r.unit),
        class: r.replyClass,
        className: classes.get(r.replyClass) ?? r.replyClass,
        text: r.text,
        repliedAt,
        repliedOn: s.calendar.localDate(new Date(repliedAt)),
        round: r.round,
        ...(r.letter?.docNumber ? { docNumber: r.letter.docNumber } : {}),
        letterUrl: letterUrl(s.config.email.linkBase, p.id, r.n),
      };
    }),
  );
  return { year, items };
}
