/**
 * Text similarity for Chinese proposals (相似提案, e.g. candidates for 并案): cosine similarity of
 * character-bigram counts. Letters and digits only; whitespace and punctuation split the text into
 * runs and no bigram crosses them. A one-character run counts as itself. Pure: no I/O.
 */
import { normalizeText } from './matcher.ts';

const TITLE_WEIGHT = 3;

export function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (g: string, n = 1): void => void counts.set(g, (counts.get(g) ?? 0) + n);
  for (const run of normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? []) {
    const chars = Array.from(run); // by code point: never splits a surrogate pair
    if (chars.length === 1) add(chars[0]!);
    for (let i = 1; i < chars.length; i++) add(chars[i - 1]! + chars[i]!);
  }
  return counts;
}

const norm2 = (v: Map<string, number>): number => {
  let sum = 0;
  for (const n of v.values()) sum += n * n;
  return sum;
};

/** Cosine of the two texts' bigram counts, in [0, 1]; 0 when either is empty (the same scoring as similarProposals). */
export function similarity(a: string, b: string): number {
  return similarProposals({ title: '', body: a }, [{ id: '', title: '', body: b }], { threshold: 0, limit: 1 })[0]?.score ?? 0;
}

/**
 * A proposal's vector: its bigrams as ids (interned below) with their weights. Comparing a
 * submission with the whole year reads each candidate's ids against the submission's weights laid
 * out by id, instead of a string-keyed lookup per bigram and candidate (the reactor's largest own
 * cost with a year of 1,000 proposals).
 */
type Vector = { ids: Uint32Array; weights: Float64Array; norm2: number };

/** Bigram -> id, for this process; grows with the distinct bigrams seen (tens of thousands at most). */
const bigramIds = new Map<string, number>();
const idOf = (g: string): number => {
  let id = bigramIds.get(g);
  if (id === undefined) bigramIds.set(g, (id = bigramIds.size));
  return id;
};

/**
 * Each proposal's vector, kept per object while its text is unchanged: recomputing each earlier
 * vector for every submission made that quadratic in text processing. Memoisation only: the
 * results are those of a fresh computation.
 */
const vectors = new WeakMap<object, Vector & { title: string; body: string }>();

/** Title bigrams count TITLE_WEIGHT times, body bigrams once. */
function proposalVector(p: { title: string; body: string }): Vector {
  const known = vectors.get(p);
  if (known && known.title === p.title && known.body === p.body) return known;
  const v = bigrams(p.body);
  for (const [g, n] of bigrams(p.title)) v.set(g, (v.get(g) ?? 0) + n * TITLE_WEIGHT);
  const ids = new Uint32Array(v.size);
  const weights = new Float64Array(v.size);
  let i = 0;
  for (const [g, n] of v) {
    ids[i] = idOf(g);
    weights[i++] = n;
  }
  const entry = { title: p.title, body: p.body, ids, weights, norm2: norm2(v) };
  vectors.set(p, entry);
  return entry;
}

/** The target's weights by bigram id (zero elsewhere), reused and cleared after each comparison. */
let byId = new Float64Array(4096);

/** Candidates at or above `threshold` (default 0.3), highest first, at most `limit` (default 10). */
export function similarProposals<T extends { id: string; title: string; body: string }>(
  target: { title: string; body: string },
  candidates: readonly T[],
  opts: { threshold?: number; limit?: number } = {},
): { item: T; score: number }[] {
  const { threshold = 0.3, limit = 10 } = opts;
  const t = proposalVector(target);
  const cs = candidates.map((item) => ({ item, v: proposalVector(item) }));
  if (byId.length < bigramIds.size) byId = new Float64Array(Math.max(bigramIds.size, 2 * byId.length));
  for (let i = 0; i < t.ids.length; i++) byId[t.ids[i]!] = t.weights[i]!;
  const scored = cs.map(({ item, v }) => {
    let dot = 0;
    for (let i = 0; i < v.ids.length; i++) dot += v.weights[i]! * byId[v.ids[i]!]!;
    return { item, score: dot === 0 ? 0 : Math.min(1, dot / Math.sqrt(t.norm2 * v.norm2)) };
  });
  for (const id of t.ids) byId[id] = 0;
  return scored
    .filter((r) => r.score > 0 && r.score >= threshold)
    .sort((a, b) => b.score - a.score)
    .slice(0, Math.max(0, limit));
}
