/**
 * The earlier proposals a new one is compared with (similarity, merge candidates). Kept in memory
 * per container and topped up with only the proposals added since the last look (byYear index,
 * `afterSeq`), so each submission costs a small query, not a read of the whole year.
 * Complete for earlier proposals: sequence N is allocated only after N-1 committed.
 */
import { allOfYear, type ProposalIndex } from '#app/ports.ts';
import type { Proposal } from '#domain/proposal.ts';

type Entry = Pick<Proposal, 'id' | 'number' | 'title' | 'body' | 'seq' | 'status'>;

type Year = { lastSeq: number; items: Map<string, Entry>; loading?: Promise<void> };

export class SimilarCorpus {
  private readonly years = new Map<number, Year>();

  /** Live (not merged or rejected) proposals of `year` numbered before `beforeSeq`. */
  async before(index: ProposalIndex, year: number, beforeSeq: number): Promise<Entry[]> {
    let y = this.years.get(year);
    if (!y) this.years.set(year, (y = { lastSeq: 0, items: new Map() }));
    // A batch's proposals are compared in parallel: they share the query in flight, and query
    // themselves only when it did not reach them.
    if (y.lastSeq < beforeSeq - 1 && y.loading) await y.loading;
    if (y.lastSeq < beforeSeq - 1) await (y.loading ??= this.topUp(index, year, y));
    return [...y.items.values()].filter((e) => e.seq < beforeSeq && e.status !== 'merged' && e.status !== 'rejected');
  }

  private async topUp(index: ProposalIndex, year: number, y: Year): Promise<void> {
    try {
      for (const p of await allOfYear(index, year, y.lastSeq)) {
        y.items.set(p.id, { id: p.id, number: p.number, title: p.title, body: p.body, seq: p.seq, status: p.status });
        y.lastSeq = Math.max(y.lastSeq, p.seq);
      }
    } finally {
      y.loading = undefined;
    }
  }

  /** Keeps the cached status current when this process sees a proposal change. */
  note(p: Pick<Proposal, 'id' | 'year' | 'status'>): void {
    const e = this.years.get(p.year)?.items.get(p.id);
    if (e) e.status = p.status;
  }
}
