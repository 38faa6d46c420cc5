/**
 * Keyword matcher (关键词匹配): scores each unit (承办单位) by its keywords in a proposal and picks the
 * lead (主办) and co-units (协办). Chinese has no word boundaries, so this is substring matching with an
 * Aho–Corasick automaton: one pass over the text finds every (overlapping) occurrence of every term.
 * Pure: no I/O.
 */

export interface KeywordEntry {
  unit: string;
  term: string;
  weight: number;
}
/** `keywords`: distinct matched terms, most-contributing first. */
export interface UnitScore {
  unit: string;
  score: number;
  keywords: string[];
}
export interface AssignmentSettings {
  titleWeight: number;
  minScore: number;
  coMinScore: number;
  maxCoUnits: number;
}
/** `scores`: every unit with score > 0, highest first (ties: unit order in the config). No lead: triage by the office. */
export interface AssignmentResult {
  lead?: string;
  co: string[];
  scores: UnitScore[];
}
export interface Occurrence {
  term: string;
  start: number;
  end: number;
}

/**
 * Full-width ASCII (！..～, U+3000) to half-width, upper-case letters (Latin and others) to lower case.
 * Keeps the UTF-16 length, so offsets in the normalised text are offsets in the original.
 */
export function normalizeText(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/\p{Lu}/gu, (c) => {
      const lower = c.toLowerCase();
      return lower.length === c.length ? lower : c;
    });
}

interface Target {
  unit: number;
  weight: number;
  term: string;
}

export class KeywordMatcher {
  private readonly units: string[] = [];
  private readonly patterns: string[] = []; // distinct normalised terms
  private readonly targets: Target[][] = []; // per pattern: the units that list it
  // The automaton. Nodes are numbered, 0 is the root; the per-node tables are typed arrays for speed.
  private readonly edges: EdgeTable; // trie edges: (node, code point) -> child
  private readonly root = new Int32Array(0x10000); // the root's BMP edges again (0 = none): most steps land here
  private readonly bits: Int32Array; // per node: bit (cp & 31) set for each edge, to skip most failing lookups
  private readonly fail: Int32Array; // per node: the longest proper suffix that is also a trie path
  private readonly out: number[][]; // per node: patterns ending here, including via fail links
  private readonly hasOut: Uint8Array; // per node: out is not empty
  private readonly counts: Float64Array; // scratch for score(), per pattern; all 0 between calls

  constructor(entries: readonly KeywordEntry[], unitOrder: readonly string[] = []) {
    const unitIndex = new Map<string, number>();
    const indexOf = (unit: string): number => {
      let i = unitIndex.get(unit);
      if (i === undefined) unitIndex.set(unit, (i = this.units.push(unit) - 1));
      return i;
    };
    unitOrder.forEach(indexOf);
    const patternIndex = new Map<string, number>();
    for (const e of entries) {
      const unit = indexOf(e.unit);
      const pattern = normalizeText(e.term);
      if (pattern === '') continue;
      let p = patternIndex.get(pattern);
      if (p === undefined) {
        patternIndex.set(pattern, (p = this.patterns.push(pattern) - 1));
        this.targets.push([]);
      }
      const same = this.targets[p]!.find((t) => t.unit === unit); // listed twice (or 'EV' and 'ev'): add up
      if (same) same.weight += e.weight;
      else this.targets[p]!.push({ unit, weight: e.weight, term: e.term });
    }
    const nodes = this.patterns.reduce((n, p) => n + p.length, 1);
    this.edges = new EdgeTable(nodes);
    this.fail = new Int32Array(nodes);
    this.bits = new Int32Array(nodes);
    this.out = Array.from({ length: nodes }, (): number[] => []);
    const children = this.buildTrie();
    this.link(children);
    this.counts = new Float64Array(this.patterns.length);
    this.hasOut = Uint8Array.from(this.out, (o) => (o.length > 0 ? 1 : 0));
  }

  static fromUnits(units: readonly { id: string; keywords: readonly (string | { term: string; weight: number })[] }[]): KeywordMatcher {
    const entries = units.flatMap((u) =>
      u.keywords.map((k) => (typeof k === 'string' ? { unit: u.id, term: k, weight: 1 } : { unit: u.id, ...k })),
    );
    return new KeywordMatcher(
      entries,
      units.map((u) => u.id),
    );
  }

  /** Every occurrence of every term, overlapping ones included; offsets index the original string. */
  findAll(text: string): Occurrence[] {
    const found: Occurrence[] = [];
    this.scan(text, (p, end) => {
      const term = this.patterns[p]!;
      found.push({ term, start: end - term.length, end });
    });
    return found;
  }

  score(title: string, body: string, titleWeight: number): UnitScore[] {
    const { counts } = this; // occurrences, title ones x titleWeight
    const seen: number[] = [];
    const count = (p: number, n: number): void => {
      if (counts[p] === 0) seen.push(p);
      counts[p]! += n;
    };
    this.scan(title, (p) => count(p, titleWeight));
    this.scan(body, (p) => count(p, 1));
    const parts: { unit: number; term: string; value: number }[] = [];
    for (const p of new Set(seen)) {
      const n = counts[p]!;
      counts[p] = 0;
      if (n > 0) for (const t of this.targets[p]!) parts.push({ unit: t.unit, term: t.term, value: t.weight * n });
    }
    parts.sort((a, b) => b.value - a.value); // so each unit's keywords come out most-contributing first
    const byUnit: UnitScore[] = []; // sparse, by unit index
    for (const { unit, term, value } of parts) {
      const u = (byUnit[unit] ??= { unit: this.units[unit]!, score: 0, keywords: [] });
      u.score += value;
      u.keywords.push(term);
    }
    return byUnit
      .filter((u) => u.score > 0) // also drops the holes, keeping unit order
      .map((u) => ({ ...u, score: round(u.score) }))
      .sort((a, b) => b.score - a.score); // stable: ties keep unit order
  }

  /** Lead: the top unit if it reaches minScore. Co-units: the next ones at or above coMinScore. No lead: no co. */
  assign(title: string, body: string, s: AssignmentSettings): AssignmentResult {
    const scores = this.score(title, body, s.titleWeight);
    const top = scores[0];
    if (!top || top.score < s.minScore) return { co: [], scores };
    const co = scores
      .slice(1)
      .filter((u) => u.score >= s.coMinScore)
      .slice(0, Math.max(0, s.maxCoUnits));
    return { lead: top.unit, co: co.map((u) => u.unit), scores };
  }

  /** Inserts every pattern; returns each node's [code point, child] edges for the breadth-first pass. */
  private buildTrie(): [number, number][][] {
    const children: [number, number][][] = [[]];
    this.patterns.forEach((pattern, p) => {
      let node = 0;
      for (const ch of pattern) {
        const cp = ch.codePointAt(0)!;
        let child = this.edges.get(node, cp);
        if (child < 0) {
          child = children.push([]) - 1;
          this.edges.set(node, cp, child);
          this.bits[node]! |= 1 << (cp & 31);
          if (node === 0 && cp <= 0xffff) this.root[cp] = child;
          children[node]!.push([cp, child]);
        }
        node = child;
      }
      this.out[node]!.push(p);
    });
    return children;
  }

  /** Breadth-first, so a node's fail link (always shallower) is final before its children need it. */
  private link(children: [number, number][][]): void {
    const queue = children[0]!.map(([, child]) => child);
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i]!;
      for (const [cp, child] of children[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && this.edges.get(f, cp) < 0) f = this.fail[f]!;
        this.fail[child] = Math.max(0, this.edges.get(f, cp));
        this.out[child]!.push(...this.out[this.fail[child]]!);
        queue.push(child);
      }
    }
  }

  /** Walks the text by code point (never splitting a surrogate pair); calls `hit(pattern, end)`. */
  private scan(text: string, hit: (pattern: number, end: number) => void): void {
    let node = 0;
    for (let i = 0; i < text.length;) {
      const cp = foldAt(text, i);
      i += cp > 0xffff ? 2 : 1;
      const bit = 1 << (cp & 31);
      let child = -1;
      while (node !== 0) {
        if (this.bits[node]! & bit && (child = this.edges.get(node, cp)) >= 0) break;
        node = this.fail[node]!;
      }
      node = node !== 0 ? child : cp <= 0xffff ? this.root[cp]! : Math.max(0, this.edges.get(0, cp));
      if (this.hasOut[node]) for (const p of this.out[node]!) hit(p, i);
    }
  }
}

/** Open-addressing hash of trie edges in typed arrays: much faster than a Map per node. */
class EdgeTable {
  private readonly mask: number;
  private readonly from: Int32Array; // -1 = empty slot
  private readonly cps: Int32Array;
  private readonly to: Int32Array;

  constructor(maxEdges: number) {
    const size = 2 ** Math.ceil(Math.log2(maxEdges * 2 + 2));
    this.mask = size - 1;
    this.from = new Int32Array(size).fill(-1);
    this.cps = new Int32Array(size);
    this.to = new Int32Array(size);
  }

  /** The child, or -1. */
  get(node: number, cp: number): number {
    for (let h = this.slot(node, cp); this.from[h] !== -1; h = (h + 1) & this.mask) {
      if (this.from[h] === node && this.cps[h] === cp) return this.to[h]!;
    }
    return -1;
  }

  set(node: number, cp: number, child: number): void {
    let h = this.slot(node, cp);
    while (this.from[h] !== -1) h = (h + 1) & this.mask;
    this.from[h] = node;
    this.cps[h] = cp;
    this.to[h] = child;
  }

  private slot(node: number, cp: number): number {
    return ((Math.imul(node, 0x9e3779b1) ^ Math.imul(cp, 0x85ebca6b)) >>> 0) & this.mask;
  }
}

/** normalizeText for one code point at `i`, cached per BMP character (0 = not yet computed). */
const foldTable = new Uint16Array(0x10000);
function foldAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c < 0xdc00) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) return normalizeText(String.fromCodePoint(cp)).codePointAt(0)!;
  }
  let f = foldTable[c]!;
  if (f === 0 && c !== 0) foldTable[c] = f = normalizeText(String.fromCharCode(c)).charCodeAt(0);
  return f;
}

/** Scores are sums of weights; round away float noise so ties compare equal. */
const round = (x: number): number => Math.round(x * 1e9) / 1e9;
