import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bigrams, similarProposals, similarity } from '#domain/similarity.ts';

/** The definition, computed afresh: cosine of body bigrams + 3 x title bigrams. */
function reference(a: { title: string; body: string }, b: { title: string; body: string }): number {
  const vec = (p: { title: string; body: string }) => {
    const v = bigrams(p.body);
    for (const [g, n] of bigrams(p.title)) v.set(g, (v.get(g) ?? 0) + 3 * n);
    return v;
  };
  const [x, y] = [vec(a), vec(b)];
  let dot = 0;
  for (const [g, n] of x) dot += n * (y.get(g) ?? 0);
  const norm = (v: Map<string, number>) => [...v.values()].reduce((s, n) => s + n * n, 0);
  return dot === 0 ? 0 : Math.min(1, dot / Math.sqrt(norm(x) * norm(y)));
}

describe('bigrams', () => {
  it('counts character bigrams, ignoring whitespace and punctuation', () => {
    expect(bigrams('夜市夜市，充电桩 ')).toEqual(
      new Map([
        ['夜市', 2],
        ['市夜', 1],
        ['充电', 1],
        ['电桩', 1],
      ]),
    );
  });

  it('normalises full-width ASCII and case, keeps one-character runs, never splits surrogate pairs', () => {
    expect(bigrams('ＥＶ充电')).toEqual(bigrams('ev充电'));
    expect(bigrams('Ev 充')).toEqual(
      new Map([
        ['ev', 1],
        ['充', 1],
      ]),
    );
    expect([...bigrams('𠀋市').keys()]).toEqual(['𠀋市']);
    expect(bigrams('，。！ ')).toEqual(new Map());
  });
});

describe('similarity', () => {
  it('is 1 for identical text, 0 for disjoint, and symmetric in between', () => {
    expect(similarity('关于发展夜市经济的建议', '关于发展夜市经济的建议')).toBe(1);
    expect(similarity('夜市经济', '充电设施')).toBe(0);
    expect(similarity('', '夜市')).toBe(0);
    const ab = similarity('关于发展夜市经济的建议', '关于规范夜市管理的建议');
    expect(ab).toBeGreaterThan(0.3);
    expect(ab).toBeLessThan(1);
    expect(similarity('关于规范夜市管理的建议', '关于发展夜市经济的建议')).toBeCloseTo(ab, 12);
  });

  it('ignores punctuation and width differences', () => {
    expect(similarity('夜市，经济！', '夜市 经济!')).toBe(1);
  });
});

describe('similarProposals', () => {
  const candidates = [
    { id: 'p1', title: '关于加强校园安全的建议', body: '加强校园周边交通安全管理。' },
    { id: 'p2', title: '关于规范夜市管理的建议', body: '夜市占道经营，油烟扰民，建议规范管理。' },
    { id: 'p3', title: '关于发展夜市经济的建议', body: '发展夜市经济，促进消费。' },
    { id: 'p4', title: '关于增设充电桩的建议', body: '夜市经济促进消费，夜市经济带动就业。' },
  ];
  const target = { title: '关于繁荣夜市经济的建议', body: '建议发展夜市经济，扩大消费。' };

  it('ranks by similarity, highest first, above the threshold', () => {
    const r = similarProposals(target, candidates, { threshold: 0.3 });
    expect(r.map((x) => x.item.id)).toEqual(['p3', 'p4', 'p2']); // p1 (校园安全) is below 0.3
    expect(r[0]!.score).toBeGreaterThan(r[1]!.score);
    expect(r.every((x) => x.score >= 0.3 && x.score <= 1)).toBe(true);
  });

  it('counts the title more than the body', () => {
    const sameTitle = { id: 'a', title: target.title, body: '加强校园周边交通安全管理。' };
    const sameBody = { id: 'b', title: '校园安全', body: target.body };
    const r = similarProposals(target, [sameBody, sameTitle], { threshold: 0 });
    expect(r.map((x) => x.item.id)).toEqual(['a', 'b']);
    expect(r[0]!.score).toBeGreaterThan(2 * r[1]!.score);
  });

  it('honours limit and threshold, and returns nothing when nothing is similar', () => {
    expect(similarProposals(target, candidates, { threshold: 0, limit: 1 }).map((x) => x.item.id)).toEqual(['p3']);
    expect(similarProposals(target, candidates, { threshold: 0.99 })).toEqual([]);
    expect(similarProposals({ title: '绿化', body: '植树' }, candidates)).toEqual([]);
  });

  it('scores every candidate as the definition does, whatever was compared before (property)', () => {
    const text = fc.string({ unit: fc.constantFrom(...'夜市经济消费建议校园安全交通，。 AB1'), maxLength: 40 });
    const proposal = fc.record({ title: text, body: text });
    fc.assert(
      fc.property(proposal, fc.array(fc.tuple(fc.uuid(), proposal), { maxLength: 8 }), (target, cs) => {
        const candidates = cs.map(([id, p]) => ({ id, ...p }));
        const got = similarProposals(target, candidates, { threshold: 0, limit: 100 });
        const want = candidates.map((c) => ({ id: c.id, score: reference(target, c) })).filter((r) => r.score > 0);
        expect(got.map((r) => r.item.id).sort()).toEqual(want.map((r) => r.id).sort());
        for (const r of got) expect(r.score).toBeCloseTo(reference(target, r.item), 12);
      }),
      { numRuns: 300 },
    );
  });
});
