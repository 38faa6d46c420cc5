/** XLSX (Excel) read and write of a plain table, the first sheet only, every cell as text. */
import ExcelJS from 'exceljs';

export async function writeXlsx(rows: readonly (readonly string[])[], file: string, sheetName = '提案'): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  for (const r of rows) sheet.addRow([...r]);
  sheet.getRow(1).font = { bold: true };
  await book.xlsx.writeFile(file);
}

export async function readXlsx(file: string): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cell.text;
    });
    rows[n - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(rows, (r) => r ?? []);
}
