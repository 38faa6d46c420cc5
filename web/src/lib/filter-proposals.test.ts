import { describe, expect, it } from 'vitest';
import { filterAndSort, type ListedProposal } from './filter-proposals';

const p = (n: number, over: Partial<ListedProposal> = {}): ListedProposal => ({
  id: `id-${n}`,
  number: `2026-${String(n).padStart(3, '0')}`,
  title: `提案${n}`,
  body: '正文',
  status: 'in_progress',
  key: false,
  lead: 'commerce',
  co: [],
  proposers: [{ name: '王丽' }],
  deadlines: {},
  trafficLight: 'green',
  updatedAt: '2026-03-01T00:00:00Z',
  ...over,
});

describe('filterAndSort', () => {
  const items = [
    p(10, { title: '关于发展夜市经济的建议', lead: 'commerce', trafficLight: 'red', deadlines: { reply: '2026-06-30T15:59:59Z' } }),
    p(2, { title: '关于养老服务的建议', lead: 'civil-affairs', co: ['commerce'], key: true, deadlines: { reply: '2026-05-31T15:59:59Z' } }),
    p(3, { title: '关于公交线路', lead: 'transport', status: 'closed', proposers: [{ name: '李强' }], trafficLight: 'yellow' }),
  ];

  it('keeps 案号 order by default, numerically (2026-002 before 2026-010)', () => {
    expect(filterAndSort(items, {}).map((x) => x.number)).toEqual(['2026-002', '2026-003', '2026-010']);
  });

  it('filters a unit as lead or co-unit', () => {
    expect(filterAndSort(items, { unit: 'commerce' }).map((x) => x.id)).toEqual(['id-2', 'id-10']);
  });

  it('filters status, key and overdue (the API light: red)', () => {
    expect(filterAndSort(items, { status: 'closed' }).map((x) => x.id)).toEqual(['id-3']);
    expect(filterAndSort(items, { key: true }).map((x) => x.id)).toEqual(['id-2']);
    expect(filterAndSort(items, { key: false }).map((x) => x.id)).toEqual(['id-3', 'id-10']);
    expect(filterAndSort(items, { overdue: true }).map((x) => x.id)).toEqual(['id-10']);
    expect(filterAndSort(items, { overdue: false })).toHaveLength(2);
  });

  it('searches number, title, body and proposer names, trimmed', () => {
    expect(filterAndSort(items, { q: ' 夜市 ' }).map((x) => x.id)).toEqual(['id-10']);
    expect(filterAndSort(items, { q: '李强' }).map((x) => x.id)).toEqual(['id-3']);
    expect(filterAndSort(items, { q: '2026-002' }).map((x) => x.id)).toEqual(['id-2']);
    expect(filterAndSort(items, { q: '没有这个词' })).toEqual([]);
  });

  it('sorts by deadline with the missing last, by light most urgent first, and descending', () => {
    expect(filterAndSort(items, {}, { key: 'deadline', order: 'ascending' }).map((x) => x.id)).toEqual(['id-2', 'id-10', 'id-3']);
    expect(filterAndSort(items, {}, { key: 'trafficLight', order: 'ascending' }).map((x) => x.trafficLight)).toEqual([
      'red',
      'yellow',
      'green',
    ]);
    expect(filterAndSort(items, {}, { key: 'number', order: 'descending' }).map((x) => x.number)).toEqual([
      '2026-010',
      '2026-003',
      '2026-002',
    ]);
  });

  it('sorts the lead column by unit name, not id', () => {
    const names: Record<string, string> = { commerce: 'C 商务局', 'civil-affairs': 'A 民政局', transport: 'B 交通运输局' };
    expect(filterAndSort(items, {}, { key: 'lead', order: 'ascending' }, (id) => names[id] ?? id).map((x) => x.lead)).toEqual([
      'civil-affairs',
      'transport',
      'commerce',
    ]);
  });

  it('does not change its input', () => {
    const copy = [...items];
    filterAndSort(items, {}, { key: 'title', order: 'descending' });
    expect(items).toEqual(copy);
  });

  it('filters and sorts 1,000 proposals quickly', () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      p(i + 1, { body: '建议'.repeat(500), trafficLight: i % 3 === 0 ? 'red' : 'green' }),
    );
    const t = performance.now();
    const out = filterAndSort(many, { q: '建议', overdue: true }, { key: 'title', order: 'descending' });
    expect(out).toHaveLength(334);
    expect(performance.now() - t).toBeLessThan(200);
  });
});
