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

/** Cosine of two count vectors, in [0, 1]; 0 when either is empty. */
function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [g, n] of a) dot += n * (b.get(g) ?? 0);
  if (dot === 0) return 0;
  return Math.min(1, dot / Math.sqrt(norm2(a) * norm2(b)));
}

const norm2 = (v: Map<string, number>): number => {
  let sum = 0;
  for (const n of v.values()) sum += n * n;
  return sum;
};

export function similarity(a: string, b: string): number {
  return cosine(bigrams(a), bigrams(b));
}

type Vector = { v: Map<string, number>; norm2: number };

/**
 * Each proposal's vector, kept per object while its text is unchanged: the reactor compares every
 * submission with the whole year, and recomputing each earlier vector every time made that
 * quadratic in text processing. Memoisation only: the results are those of a fresh computation.
 */
const vectors = new WeakMap<object, Vector & { title: string; body: string }>();

/** Title bigrams count TITLE_WEIGHT times, body bigrams once. */
function proposalVector(p: { title: string; body: string }): Vector {
  const known = vectors.get(p);
  if (known && known.title === p.title && known.body === p.body) return known;
  const v = bigrams(p.body);
  for (const [g, n] of bigrams(p.title)) v.set(g, (v.get(g) ?? 0) + n * TITLE_WEIGHT);
  const entry = { title: p.title, body: p.body, v, norm2: norm2(v) };
  vectors.set(p, entry);
  return entry;
}

function vectorCosine(a: Vector, b: Vector): number {
  let dot = 0;
  for (const [g, n] of a.v) dot += n * (b.v.get(g) ?? 0);
  return dot === 0 ? 0 : Math.min(1, dot / Math.sqrt(a.norm2 * b.norm2));
}

/** Candidates at or above `threshold` (default 0.3), highest first, at most `limit` (default 10). */
export function similarProposals<T extends { id: string; title: string; body: string }>(
  target: { title: string; body: string },
  candidates: readonly T[],
  opts: { threshold?: number; limit?: number } = {},
): { item: T; score: number }[] {
  const { threshold = 0.3, limit = 10 } = opts;
  const t = proposalVector(target);
  return candidates
    .map((item) => ({ item, score: vectorCosine(t, proposalVector(item)) }))
    .filter((r) => r.score > 0 && r.score >= threshold)
    .sort((a, b) => b.score - a.score)
    .slice(0, Math.max(0, limit));
}
