/** The similarity corpus reads each proposal once, then only what is new. */
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { SimilarCorpus } from '#app/similar-corpus.ts';
import type { ProposalIndex } from '#app/ports.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const proposers = [{ memberId: 'm', name: '王', email: 'w@example.com' }];

describe('SimilarCorpus', () => {
  it('returns the earlier live proposals and queries only new ones', async () => {
    const f = fakeState(config);
    const seen: (number | undefined)[] = [];
    const index: ProposalIndex = { page: (year, opts) => (seen.push(opts.afterSeq), f.state.index.page(year, opts)) };
    const corpus = new SimilarCorpus();
    const a = await submitProposal(f.state, { title: '甲', body: '甲甲', proposers }, { role: 'member', sub: 'm' });
    const b = await submitProposal(f.state, { title: '乙', body: '乙乙', proposers }, { role: 'member', sub: 'm' });
    expect((await corpus.before(index, 2026, b.seq)).map((e) => e.id)).toEqual([a.id]);
    expect((await corpus.before(index, 2026, b.seq)).map((e) => e.id)).toEqual([a.id]);
    const c = await submitProposal(f.state, { title: '丙', body: '丙丙', proposers }, { role: 'member', sub: 'm' });
    const d = await submitProposal(f.state, { title: '丁', body: '丁丁', proposers }, { role: 'member', sub: 'm' });
    expect((await corpus.before(index, 2026, d.seq)).map((e) => e.id)).toEqual([a.id, b.id, c.id]);
    expect(seen).toEqual([0, 2]); // the second look asked only for what came after sequence 2
    corpus.note({ id: a.id, year: 2026, status: 'merged' });
    expect((await corpus.before(index, 2026, d.seq)).map((e) => e.id)).toEqual([b.id, c.id]);
  });
});

describe('SimilarCorpus, looked at in parallel (a reactor batch)', () => {
  it('asks the index once for callers that arrive while a query is in flight, and each gets its own earlier proposals', async () => {
    const f = fakeState(config);
    const seen: (number | undefined)[] = [];
    const index: ProposalIndex = {
      page: async (year, opts) => {
        seen.push(opts.afterSeq);
        await new Promise((r) => setTimeout(r, 5)); // the query takes a while
        return f.state.index.page(year, opts);
      },
    };
    const corpus = new SimilarCorpus();
    const ps: Awaited<ReturnType<typeof submitProposal>>[] = [];
    for (const t of ['甲', '乙', '丙', '丁', '戊'])
      ps.push(await submitProposal(f.state, { title: t, body: t + t, proposers }, { role: 'member', sub: 'm' }));
    const got = await Promise.all(ps.map((p) => corpus.before(index, 2026, p.seq)));
    expect(got.map((list) => list.map((e) => e.id))).toEqual(ps.map((_, i) => ps.slice(0, i).map((p) => p.id)));
    expect(seen).toEqual([0]);
    // A later proposal than the shared query covered: a query of its own, from where the last one ended.
    const late = await submitProposal(f.state, { title: '己', body: '己己', proposers }, { role: 'member', sub: 'm' });
    const later = await submitProposal(f.state, { title: '庚', body: '庚庚', proposers }, { role: 'member', sub: 'm' });
    const [a, b] = await Promise.all([corpus.before(index, 2026, late.seq), corpus.before(index, 2026, later.seq)]);
    expect(a.map((e) => e.id)).toEqual(ps.map((p) => p.id));
    expect(b.map((e) => e.id)).toEqual([...ps, late].map((p) => p.id));
    expect(seen).toEqual([0, 5]);
  });
});
