/**
 * Keyword matcher benchmark: KeywordMatcher.score (Aho–Corasick, one pass) vs a naive indexOf count
 * of every keyword, on 2,000 generated keywords over 20 units and 200 proposals (title ~20 chars,
 * body ~1,500 chars). Run: npx tsx test/bench/matcher.bench.ts
 */
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { KeywordMatcher, normalizeText, type KeywordEntry } from '#domain/matcher.ts';
import type { BenchRow } from './rows.ts';

const UNITS = 20;
const KEYWORDS = 2_000;
const PROPOSALS = 200;
const RUNS = 9;
const WARM_UP = 3; // runs before measuring, so the JIT has optimised both
const TITLE_WEIGHT = 3;

// Common characters of proposal text; keywords and filler are drawn from the same set.
const ALPHABET = Array.from(
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种' +
    '面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本' +
    '去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比' +
    '或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总' +
    '次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做' +
    '必战先回则任取据处理府研质',
);

function rng(seed: number): () => number {
  let a = seed >>> 0; // mulberry32: deterministic, so every run measures the same data
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Proposal {
  title: string;
  body: string;
}

function makeData(): { entries: KeywordEntry[]; proposals: Proposal[] } {
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const text = (n: number) => Array.from({ length: n }, () => pick(ALPHABET)).join('');
  const entries = Array.from({ length: KEYWORDS }, (_, i) => ({
    unit: `unit-${i % UNITS}`,
    term: text(2 + Math.floor(rand() * 3)),
    weight: rand() < 0.2 ? 2 : 1,
  }));
  // Filler text with a keyword every ~30 characters and a comma now and then.
  const passage = (n: number) => {
    let s = '';
    while (s.length < n) {
      s += text(10 + Math.floor(rand() * 30)) + pick(entries).term + (rand() < 0.3 ? '，' : '');
    }
    return s.slice(0, n);
  };
  const proposals = Array.from({ length: PROPOSALS }, () => ({ title: `关于${passage(15)}的建议`, body: passage(1_500) }));
  return { entries, proposals };
}

/** The obvious implementation: count each keyword with an indexOf loop over title and body. */
function naiveScore(entries: readonly KeywordEntry[], title: string, body: string): Map<string, number> {
  const t = normalizeText(title);
  const b = normalizeText(body);
  const count = (s: string, term: string) => {
    let n = 0;
    for (let i = s.indexOf(term); i >= 0; i = s.indexOf(term, i + 1)) n++;
    return n;
  };
  const scores = new Map<string, number>();
  for (const e of entries) {
    const n = count(t, e.term) * TITLE_WEIGHT + count(b, e.term);
    if (n > 0) scores.set(e.unit, (scores.get(e.unit) ?? 0) + n * e.weight);
  }
  return scores;
}

/** Median over RUNS (after WARM_UP runs) of the mean CPU microseconds per proposal. */
function measure(fn: (p: Proposal) => unknown, proposals: Proposal[]): number {
  const samples: number[] = [];
  for (let r = 0; r < WARM_UP + RUNS; r++) {
    const t0 = process.cpuUsage(); // CPU time, not wall time: other processes on the machine skew it less
    for (const p of proposals) fn(p);
    const { user, system } = process.cpuUsage(t0);
    if (r >= WARM_UP) samples.push((user + system) / proposals.length);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

export async function runMatcherBench(): Promise<BenchRow[]> {
  const { entries, proposals } = makeData();
  const t0 = performance.now();
  const matcher = new KeywordMatcher(entries);
  const buildMs = performance.now() - t0;
  // Both must agree before their speed means anything.
  for (const p of proposals.slice(0, 20)) {
    const fast = Object.fromEntries(matcher.score(p.title, p.body, TITLE_WEIGHT).map((s) => [s.unit, s.score]));
    const slow = Object.fromEntries(naiveScore(entries, p.title, p.body));
    if (JSON.stringify(Object.entries(fast).sort()) !== JSON.stringify(Object.entries(slow).sort())) {
      throw new Error('matcher and naive scores differ');
    }
  }
  const fast = measure((p) => matcher.score(p.title, p.body, TITLE_WEIGHT), proposals);
  const naive = measure((p) => naiveScore(entries, p.title, p.body), proposals);
  return [
    { name: 'matcher build (2,000 keywords)', value: round(buildMs), unit: 'ms' },
    { name: 'KeywordMatcher.score', value: round(fast), unit: 'µs/proposal' },
    { name: 'naive indexOf per keyword', value: round(naive), unit: 'µs/proposal' },
    { name: 'speed-up', value: round(naive / fast), unit: 'x', target: '>= 10' },
  ];
}

const round = (x: number) => Math.round(x * 10) / 10;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await runMatcherBench());
}
