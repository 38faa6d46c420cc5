/**
 * The vars of the member directory's notices (events/notices.ts lists every kind):
 * - cosignRequest  联名确认 to one co-proposer: number, title, proposalId, proposerName (theirs),
 *                  initiator (the first proposer's name), collective? (集体提案: the name it is in),
 *                  consoleUrl (the proposal in the console, where they accept or decline)
 */
import * as z from '#shared/zod.ts';

const text = z.lazy(() => z.string().check(z.minLength(1, 'empty')));

export const memberNoticeSchemas = {
  cosignRequest: z.lazy(() =>
    z.object({
      number: text,
      title: text,
      proposalId: text,
      proposerName: text,
      initiator: text,
      collective: z.optional(text),
      consoleUrl: text,
    }),
  ),
};
