import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { similarProposals } from '#domain/similarity.ts';

const WORDS = ['夜市', '经济', '托育', '服务', '供热', '管网', '改造', '建议', '关于', '停车', 'EV', '充电桩', '，', ' ', '。'];
const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((w) => w.join(''));
const proposal = fc.record({ title: text, body: text });

describe('similarProposals with vectors kept per proposal (the reactor compares each submission with the year)', () => {
  it('gives for proposals already seen what it gives for fresh copies of them', () => {
    fc.assert(
      fc.property(
        fc.array(proposal, { maxLength: 30 }),
        fc.array(proposal, { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(8),
        (earlier, targets, threshold, limit) => {
          const candidates = earlier.map((p, i) => ({ id: `p${i}`, ...p }));
          for (const t of targets) {
            const kept = similarProposals(t, candidates, { threshold, limit }); // second round and later: kept vectors
            const fresh = similarProposals(
              { ...t },
              candidates.map((c) => ({ ...c })),
              { threshold, limit },
            );
            expect(kept.map((r) => [r.item.id, r.score])).toEqual(fresh.map((r) => [r.item.id, r.score]));
          }
        },
      ),
    );
  });

  it('sees a changed text of a kept proposal', () => {
    const earlier = [{ id: 'a', title: '关于夜市经济的建议', body: '规范夜市' }];
    const target = { title: '关于夜市经济的建议', body: '规范夜市' };
    expect(similarProposals(target, earlier, { threshold: 0.35, limit: 5 })[0]?.score).toBe(1);
    earlier[0]!.body = '供热管网改造';
    earlier[0]!.title = '关于供热的意见';
    expect(similarProposals(target, earlier, { threshold: 0.35, limit: 5 })).toEqual([]);
  });
});
