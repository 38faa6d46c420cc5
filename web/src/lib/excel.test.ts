import { describe, expect, it } from 'vitest';
import { safeCell, sheetRows } from './excel';

describe('excel export', () => {
  it('prefixes text a spreadsheet would run as a formula', () => {
    for (const v of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx']) expect(safeCell(v)).toBe(`'${v}`);
    for (const v of ['关于夜市的建议', '2026-001', 'a=b', '']) expect(safeCell(v)).toBe(v);
  });

  it('builds a header row and one text row per item with safe cells', () => {
    const rows = sheetRows([{ t: '=1+1' }, { t: '正常' }], [{ header: '标题', value: (r: { t: string }) => r.t }]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([{ value: '标题', fontWeight: 'bold' }]);
    expect(rows[1]?.[0]).toMatchObject({ value: "'=1+1" });
    expect(rows[2]?.[0]).toMatchObject({ value: '正常' });
  });
});
