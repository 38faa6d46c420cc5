/**
 * The proposal list (提案列表), scoped to the caller: members see their own, units those assigned
 * to them, office and leaders all. Filters status, unit, year, overdue, key and text (q); cursor paging over the
 * byYear index. Each index page asks only for as many items as are still missing, so a page never
 * skips items and the cursor stays exact.
 */
import { canSee, handledBy, type Identity } from '#domain/access.ts';
import { isOverdue } from '#domain/obligations.ts';
import type { Proposal, Status } from '#domain/proposal.ts';
import type { AppState } from '#app/state.ts';

export interface ListQuery {
  status?: Status;
  unit?: string;
  year?: number;
  overdue?: 'true' | 'false';
  key?: 'true' | 'false';
  /** Text in the number, title, body or a proposer's name. */
  q?: string;
  limit: number;
  cursor?: string;
}

/** The text appears in the number, title, body or a proposer's name (case-insensitive). */
export function mentions(p: Proposal, text: string): boolean {
  const t = text.toLowerCase();
  return [p.number, p.title, p.body, ...p.proposers.map((x) => x.name)].some((s) => s.toLowerCase().includes(t));
}

export async function listProposals(
  s: Pick<AppState, 'index' | 'clock' | 'calendar'>,
  who: Identity,
  q: ListQuery,
): Promise<{ items: Proposal[]; cursor?: string }> {
  const now = s.clock.now();
  const year = q.year ?? Number(s.calendar.localDate(now).slice(0, 4));
  const keep = (p: Proposal) =>
    canSee(who, p) &&
    (!q.status || p.status === q.status) &&
    (!q.unit || handledBy(p, q.unit)) &&
    (q.overdue === undefined || isOverdue(p, now) === (q.overdue === 'true')) &&
    (q.key === undefined || p.key === (q.key === 'true')) &&
    (!q.q || mentions(p, q.q));
  const items: Proposal[] = [];
  let cursor = q.cursor;
  do {
    const page = await s.index.page(year, { limit: q.limit - items.length, ...(cursor ? { cursor } : {}) });
    items.push(...page.items.filter(keep));
    cursor = page.cursor;
  } while (cursor && items.length < q.limit);
  return { items, ...(cursor ? { cursor } : {}) };
}
