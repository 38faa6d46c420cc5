/**
 * 提案列表's filters and sort, done in the browser on the year's list (pure: the bench times it on
 * 1,000 proposals). The overdue filter reads the API's traffic light (red = 超期); nothing is recomputed.
 */
export interface ListedProposal {
  id: string;
  number: string;
  title: string;
  body: string;
  status: string;
  key: boolean;
  lead: string | null;
  co: string[];
  proposers: { name: string }[];
  deadlines: Record<string, string>;
  trafficLight: 'green' | 'yellow' | 'red';
  updatedAt: string;
}

export interface Criteria {
  status?: string;
  /** Lead or co-unit. */
  unit?: string;
  key?: boolean;
  overdue?: boolean;
  /** Text in the number, title, body or a proposer's name. */
  q?: string;
}

export type SortKey = 'number' | 'title' | 'status' | 'lead' | 'deadline' | 'trafficLight' | 'updatedAt';
export interface Sort {
  key: SortKey;
  order: 'ascending' | 'descending';
}

const lightRank = { red: 0, yellow: 1, green: 2 } as const;
const collator = new Intl.Collator('zh-CN', { numeric: true });

export function matches(p: ListedProposal, c: Criteria, q = c.q?.trim().toLowerCase()): boolean {
  if (c.status && p.status !== c.status) return false;
  if (c.unit && p.lead !== c.unit && !p.co.includes(c.unit)) return false;
  if (c.key !== undefined && p.key !== c.key) return false;
  if (c.overdue !== undefined && (p.trafficLight === 'red') !== c.overdue) return false;
  if (q) {
    const hit =
      p.number.toLowerCase().includes(q) ||
      p.title.toLowerCase().includes(q) ||
      p.body.toLowerCase().includes(q) ||
      p.proposers.some((x) => x.name.toLowerCase().includes(q));
    if (!hit) return false;
  }
  return true;
}

/** The comparison of one sort key, ascending; `unitName` names a unit for the lead column. */
function comparator(key: SortKey, unitName: (id: string) => string): (a: ListedProposal, b: ListedProposal) => number {
  switch (key) {
    case 'number':
    case 'title':
    case 'status':
      return (a, b) => collator.compare(a[key], b[key]);
    case 'lead':
      return (a, b) => collator.compare(a.lead ? unitName(a.lead) : '', b.lead ? unitName(b.lead) : '');
    case 'deadline':
      // The reply deadline; proposals without one sort after those with one.
      return (a, b) => (a.deadlines.reply ?? '\uffff').localeCompare(b.deadlines.reply ?? '\uffff');
    case 'trafficLight':
      return (a, b) => lightRank[a.trafficLight] - lightRank[b.trafficLight];
    case 'updatedAt':
      return (a, b) => a.updatedAt.localeCompare(b.updatedAt);
  }
}

/** Filtered, then sorted (stable; ties by 案号); the input is not changed. Default order: 案号 ascending. */
export function filterAndSort<T extends ListedProposal>(
  items: readonly T[],
  c: Criteria,
  sort?: Sort,
  unitName: (id: string) => string = (id) => id,
): T[] {
  const q = c.q?.trim().toLowerCase();
  const out = items.filter((p) => matches(p, c, q));
  const cmp = comparator(sort?.key ?? 'number', unitName);
  const dir = sort?.order === 'descending' ? -1 : 1;
  const byNumber = comparator('number', unitName);
  return out.sort((a, b) => dir * cmp(a, b) || byNumber(a, b));
}
