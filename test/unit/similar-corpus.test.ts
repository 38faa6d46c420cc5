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
