import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeywordMatcher, normalizeText, type AssignmentSettings } from '#domain/matcher.ts';

/** Overlapping occurrences of `term` in `text`, the obvious way. */
function naiveStarts(text: string, term: string): number[] {
  const starts = [];
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + 1)) starts.push(i);
  return starts;
}

const settings: AssignmentSettings = { titleWeight: 3, minScore: 2, coMinScore: 2, maxCoUnits: 3 };

const city = KeywordMatcher.fromUnits([
  { id: 'health', keywords: ['急救', '医疗', '医疗卫生', '医院', { term: '卫生', weight: 2 }] },
  { id: 'commerce', keywords: ['夜市', '商业', '消费', '地摊经济'] },
  { id: 'housing', keywords: ['充电桩', '电动汽车', '小区', '物业', 'EV充电'] },
  { id: 'transport', keywords: ['公交', '停车', '电动汽车'] },
  { id: 'education', keywords: [] },
]);

describe('KeywordMatcher.findAll', () => {
  it('finds overlapping and nested terms with offsets into the original text', () => {
    expect(city.findAll('加强医疗卫生')).toEqual([
      { term: '医疗', start: 2, end: 4 },
      { term: '医疗卫生', start: 2, end: 6 },
      { term: '卫生', start: 4, end: 6 },
    ]);
  });

  it('counts repeated occurrences, including self-overlapping ones', () => {
    const m = new KeywordMatcher([{ unit: 'a', term: '哈哈', weight: 1 }]);
    expect(m.findAll('哈哈哈').map((o) => o.start)).toEqual([0, 1]);
  });

  it('matches across surrogate pairs without splitting them', () => {
    const m = new KeywordMatcher([
      { unit: 'a', term: '𠀋市', weight: 1 },
      { unit: 'a', term: '\uDC0B市', weight: 1 }, // a lone low surrogate must not match inside 𠀋
    ]);
    expect(m.findAll('夜𠀋市')).toEqual([{ term: '𠀋市', start: 1, end: 4 }]);
  });

  it('normalises full-width ASCII and Latin case in both terms and text', () => {
    expect(normalizeText('ＥＶ充电　ÄB')).toBe('ev充电 äb');
    expect(city.findAll('新建ev充电站').map((o) => o.term)).toEqual(['ev充电']);
    expect(city.findAll('新建ＥＶ充电站').map((o) => o.term)).toEqual(['ev充电']);
    expect(city.findAll('新建Ev充电站')[0]).toMatchObject({ start: 2, end: 6 });
  });

  it('equals a naive indexOf loop over every term (property)', () => {
    const alphabet = ['医', '疗', '卫', '生', '夜', '市', '𠀋'];
    const word = (min: number, max: number) =>
      fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(word(1, 4), { minLength: 1, maxLength: 12 }), word(0, 40), (terms, text) => {
        const m = new KeywordMatcher(terms.map((term) => ({ unit: 'u', term, weight: 1 })));
        const naive = terms.flatMap((term) => naiveStarts(text, term).map((start) => ({ term, start })));
        const key = (o: { term: string; start: number }) => `${o.start}:${o.term}`;
        expect(m.findAll(text).map(key).sort()).toEqual(naive.map(key).sort());
      }),
      { numRuns: 500 },
    );
  });
});

describe('KeywordMatcher.score', () => {
  it('sums weight x occurrences, the title counting titleWeight times', () => {
    // title: 医疗卫生 -> 医疗 1 + 医疗卫生 1 + 卫生 2 = 4, x3 = 12; body: 医院 x2 = 2
    expect(city.score('加强医疗卫生', '新建医院，扩建医院。', 3)).toEqual([
      { unit: 'health', score: 14, keywords: ['卫生', '医疗', '医疗卫生', '医院'] },
    ]);
    expect(city.score('加强医疗卫生', '', 1)[0]?.score).toBe(4);
  });

  it('counts a term listed by two units for both; ties follow the config order', () => {
    expect(city.score('', '推广电动汽车', 3)).toEqual([
      { unit: 'housing', score: 1, keywords: ['电动汽车'] },
      { unit: 'transport', score: 1, keywords: ['电动汽车'] },
    ]);
    const reversed = new KeywordMatcher([
      { unit: 'transport', term: '电动汽车', weight: 1 },
      { unit: 'housing', term: '电动汽车', weight: 1 },
    ]);
    expect(reversed.score('', '电动汽车', 1).map((s) => s.unit)).toEqual(['transport', 'housing']);
  });

  it('orders matched keywords by contribution', () => {
    const [housing] = city.score('', '小区充电桩，充电桩，充电桩，物业', 1);
    expect(housing).toEqual({ unit: 'housing', score: 5, keywords: ['充电桩', '小区', '物业'] });
  });

  it('adds up a term a unit lists twice (also in another spelling), naming it once', () => {
    const m = KeywordMatcher.fromUnits([{ id: 'a', keywords: ['EV', { term: 'ev', weight: 2 }, '充电'] }]);
    expect(m.score('', 'ev充电', 1)).toEqual([{ unit: 'a', score: 4, keywords: ['EV', '充电'] }]);
  });

  it('equals weight x occurrences summed per unit, computed naively (property)', () => {
    const alphabet = ['夜', '市', '夜', '电', '桩', 'A', 'a'];
    const word = (min: number, max: number) =>
      fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
    const entry = fc.record({ unit: fc.constantFrom('u1', 'u2', 'u3'), term: word(1, 3), weight: fc.integer({ min: 1, max: 3 }) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 10 }), word(0, 8), word(0, 30), (entries, title, body) => {
        const naive = new Map<string, number>();
        for (const e of entries) {
          const t = e.term.toLowerCase();
          const n = naiveStarts(title.toLowerCase(), t).length * 3 + naiveStarts(body.toLowerCase(), t).length;
          naive.set(e.unit, (naive.get(e.unit) ?? 0) + n * e.weight);
        }
        const got = new KeywordMatcher(entries).score(title, body, 3);
        expect(Object.fromEntries(got.map((s) => [s.unit, s.score]))).toEqual(Object.fromEntries([...naive].filter(([, v]) => v > 0)));
        expect(got.map((s) => s.score)).toEqual(got.map((s) => s.score).sort((a, b) => b - a));
      }),
      { numRuns: 300 },
    );
  });

  it('returns nothing for text without keywords, or with no keywords at all', () => {
    expect(city.score('关于加强文化建设的建议', '丰富群众文化生活。', 3)).toEqual([]);
    expect(KeywordMatcher.fromUnits([{ id: 'a', keywords: [] }]).score('医疗', '医疗', 3)).toEqual([]);
    expect(new KeywordMatcher([]).findAll('任何文本')).toEqual([]);
  });
});

describe('KeywordMatcher.assign', () => {
  it('sends a 夜市 + 电动汽车充电桩 proposal to commerce (lead) and housing (co)', () => {
    const r = city.assign(
      '关于发展夜市经济的建议',
      '建议在夜市周边规划停车位，并在商业街区配套建设电动汽车充电桩，方便市民消费。',
      settings,
    );
    // commerce: 夜市 x3 + 夜市 + 商业 + 消费 = 6; housing: 电动汽车 + 充电桩 = 2; transport: 停车 + 电动汽车 = 2
    expect(r.lead).toBe('commerce');
    expect(r.co).toEqual(['housing', 'transport']);
    expect(r.scores.map((s) => [s.unit, s.score])).toEqual([
      ['commerce', 6],
      ['housing', 2],
      ['transport', 2],
    ]);
  });

  it('goes to triage (no lead, no co-units) when nothing reaches minScore', () => {
    expect(city.assign('关于文化建设的建议', '丰富群众文化生活。', settings)).toEqual({ co: [], scores: [] });
    const weak = city.assign('关于文化建设的建议', '兼顾夜市。', settings);
    expect(weak.lead).toBeUndefined();
    expect(weak.co).toEqual([]);
    expect(weak.scores).toEqual([{ unit: 'commerce', score: 1, keywords: ['夜市'] }]);
  });

  it('treats minScore and coMinScore as inclusive bounds', () => {
    const body = '夜市夜市，小区小区，公交';
    expect(city.assign('', body, settings)).toMatchObject({ lead: 'commerce', co: ['housing'] });
    expect(city.assign('', body, { ...settings, minScore: 3 })).toMatchObject({ co: [] });
    expect(city.assign('', body, { ...settings, minScore: 3 }).lead).toBeUndefined();
    expect(city.assign('', body, { ...settings, coMinScore: 1 })).toMatchObject({ co: ['housing', 'transport'] });
    expect(city.assign('', body, { ...settings, coMinScore: 3 })).toMatchObject({ lead: 'commerce', co: [] });
  });

  it('caps co-units at maxCoUnits, keeping the highest', () => {
    const body = '医院医院医院，小区小区，公交公交公交公交，夜市夜市夜市夜市夜市';
    expect(city.assign('', body, settings)).toMatchObject({ lead: 'commerce', co: ['transport', 'health', 'housing'] });
    expect(city.assign('', body, { ...settings, maxCoUnits: 2 }).co).toEqual(['transport', 'health']);
    expect(city.assign('', body, { ...settings, maxCoUnits: 0 }).co).toEqual([]);
  });

  it('lets the title outweigh the body', () => {
    const r = city.assign('关于小区物业管理的建议', '医院医院医院医院', settings);
    expect(r).toMatchObject({ lead: 'housing', co: ['health'] }); // housing 6 vs health 4
  });
});
