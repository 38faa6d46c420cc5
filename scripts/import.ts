/**
 * 导入提案: `npm run import -- <file.csv|file.xlsx> [--api URL --token JWT] [--errors report.csv]`
 *
 * Each row is submitted through the public HTTP API (POST /v1/proposals, as the office), so rows are
 * validated exactly as any client's. Progress is printed per row; a bad row is recorded (row number,
 * field path, reason) and never stops the good ones. The error report is written as CSV beside the
 * file (or to --errors). Each row is sent with an Idempotency-Key made of the file's hash and the row
 * number, so importing the same file again creates nothing twice.
 * Without --api it uses the local stack (`npm start`, PORT or 3000) and asks it for an office token.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { ApiClient, clientFromFlags, parseArgs, runMain } from './api-client.ts';
import { readXlsx } from './xlsx.ts';
import { parseCsv, stringifyCsv } from './csv.ts';
import { problemSchema, requiredColumns, rowToSubmission, type RowError } from './proposal-table.ts';

const createdSchema = z.object({ id: z.string(), number: z.string() });

export interface ImportResult {
  rows: number;
  created: { row: number; id: string; number: string }[];
  errors: RowError[];
}

/** Reads a spreadsheet file into records (the header first). */
export async function readTable(file: string): Promise<string[][]> {
  if (/\.xlsx$/i.test(file)) return readXlsx(file);
  return parseCsv(readFileSync(file, 'utf8'));
}

/**
 * A sheet's header and its non-empty rows, each with its row number in the sheet (the header is row 1);
 * `missing`: an error per required column the header lacks.
 */
export function tableRows(records: string[][], required: readonly string[]) {
  const [header = [], ...rows] = records.map((r) => r.map((c) => c.trim()));
  const todo = rows.map((cells, i) => ({ cells, row: i + 2 })).filter((r) => r.cells.some((c) => c !== ''));
  const missing: RowError[] = required.filter((c) => !header.includes(c)).map((c) => ({ row: 1, field: c, reason: '表头缺少此列' }));
  return { header, todo, missing };
}

export async function importRecords(
  records: string[][],
  client: ApiClient,
  opts: { batchId: string; log?: (line: string) => void },
): Promise<ImportResult> {
  const log = opts.log ?? (() => undefined);
  const { header, todo, missing } = tableRows(records, requiredColumns);
  const result: ImportResult = { rows: todo.length, created: [], errors: missing };
  if (missing.length) {
    log(`✗ 表头缺少列：${missing.map((e) => e.field).join('、')}`);
    return { ...result, rows: 0 };
  }
  const token = await client.token('office');
  for (const [i, { cells, row }] of todo.entries()) {
    const at = `[${i + 1}/${todo.length}] 第${row}行`;
    const read = rowToSubmission(header, cells, row);
    if ('errors' in read) {
      result.errors.push(...read.errors);
      log(`✗ ${at}：${read.errors.map((e) => `${e.field} ${e.reason}`).join('；')}`);
      continue;
    }
    try {
      const res = await client.call('POST', '/v1/proposals', {
        token,
        body: read.submission,
        headers: { 'idempotency-key': `import-${opts.batchId}-${row}` },
      });
      const ok = createdSchema.safeParse(res.body);
      if (res.status === 201 && ok.success) {
        result.created.push({ row, ...ok.data });
        log(`✓ ${at}：${ok.data.number} ${read.submission.title}`);
        continue;
      }
      const problem = problemSchema.safeParse(res.body);
      const errs =
        problem.success && problem.data.errors?.length
          ? problem.data.errors.map((e) => ({ row, field: e.path, reason: e.message }))
          : [
              {
                row,
                field: '(行)',
                reason: `HTTP ${res.status} ${problem.success ? (problem.data.detail ?? '') : res.text.slice(0, 200)}`.trim(),
              },
            ];
      result.errors.push(...errs);
      log(`✗ ${at}：${errs.map((e) => `${e.field} ${e.reason}`).join('；')}`);
    } catch (err) {
      result.errors.push({ row, field: '(行)', reason: `请求失败：${err instanceof Error ? err.message : String(err)}` });
      log(`✗ ${at}：请求失败`);
    }
  }
  return result;
}

export function errorReport(errors: readonly RowError[]): string {
  return stringifyCsv([['行号', '字段', '原因'], ...errors.map((e) => [String(e.row), e.field, e.reason])]);
}

/** Writes the rows' errors to `--errors` or beside the imported file, says where; answers the exit code (1 with errors). */
export function writeErrorReport(file: string, flags: Map<string, string>, errors: readonly RowError[]): number {
  if (!errors.length) return 0;
  const out = flags.get('errors') ?? `${file.replace(/\.(csv|xlsx)$/i, '')}.errors.csv`;
  writeFileSync(out, errorReport(errors));
  console.log(`错误报告：${out}`);
  return 1;
}

async function main(): Promise<number> {
  const { flags, rest } = parseArgs(process.argv.slice(2));
  const file = rest[0];
  if (!file) {
    console.error('用法：npm run import -- <文件.csv|文件.xlsx> [--api URL] [--token JWT] [--errors 错误报告.csv]');
    return 2;
  }
  const records = await readTable(file);
  const batchId = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  const client = clientFromFlags(flags);
  console.log(`导入 ${file} -> ${client.base}`);
  const result = await importRecords(records, client, { batchId, log: (l) => console.log(l) });
  console.log(`共 ${result.rows} 行：成功 ${result.created.length} 件，出错 ${new Set(result.errors.map((e) => e.row)).size} 行`);
  return writeErrorReport(file, flags, result.errors);
}

runMain(import.meta, '导入', main);
