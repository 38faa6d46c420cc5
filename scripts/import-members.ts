/**
 * 导入委员名册: `npm run import:members -- <file.csv|file.xlsx> [--api URL --token JWT] [--errors report.csv]`
 *
 * Each row is written through the public HTTP API (PUT /v1/members/{memberId}, as the office), so
 * rows are validated exactly as any client's: a row replaces that member's record. A bad row is
 * recorded (row number, column, reason, in Chinese) and never stops the good ones; the error report
 * is written as CSV beside the file (or to --errors). Importing the same file again changes nothing.
 * Columns (by header name): 委员编号, 姓名, 界别 (required), 党派, 手机, 电子邮箱, 届次, 在任 (是/否).
 * Without --api it uses the local stack (`npm start`, PORT or 3000) and asks it for an office token.
 */
import { ApiClient, clientFromFlags, parseArgs, runMain } from './api-client.ts';
import { problemSchema, type RowError } from './proposal-table.ts';
import { memberFieldColumns, requiredMemberColumns, rowToMember } from './member-table.ts';
import { readTable, tableRows, writeErrorReport } from './import.ts';

export interface MemberImportResult {
  rows: number;
  /** Rows written: `created` new members, the others replaced. */
  written: { row: number; memberId: string; created: boolean }[];
  errors: RowError[];
}

/** The API's field path as the spreadsheet's column (name -> 姓名); others as they are. */
const columnOf = (path: string) => memberFieldColumns[path] ?? path;

export async function importMemberRecords(
  records: string[][],
  client: ApiClient,
  opts: { log?: (line: string) => void } = {},
): Promise<MemberImportResult> {
  const log = opts.log ?? (() => undefined);
  const { header, todo, missing } = tableRows(records, requiredMemberColumns);
  const result: MemberImportResult = { rows: todo.length, written: [], errors: missing };
  if (missing.length) {
    log(`✗ 表头缺少列：${missing.map((e) => e.field).join('、')}`);
    return { ...result, rows: 0 };
  }
  const token = await client.token('office');
  const seen = new Map<string, number>();
  for (const [i, { cells, row }] of todo.entries()) {
    const at = `[${i + 1}/${todo.length}] 第${row}行`;
    const read = rowToMember(header, cells, row);
    if ('errors' in read) {
      result.errors.push(...read.errors);
      log(`✗ ${at}：${read.errors.map((e) => `${e.field} ${e.reason}`).join('；')}`);
      continue;
    }
    const earlier = seen.get(read.memberId);
    if (earlier !== undefined) {
      const e = { row, field: '委员编号', reason: `与第${earlier}行的委员编号 ${read.memberId} 重复` };
      result.errors.push(e);
      log(`✗ ${at}：${e.field} ${e.reason}`);
      continue;
    }
    seen.set(read.memberId, row);
    try {
      const res = await client.call('PUT', `/v1/members/${encodeURIComponent(read.memberId)}`, { token, body: read.body });
      if (res.status === 200 || res.status === 201) {
        result.written.push({ row, memberId: read.memberId, created: res.status === 201 });
        log(`✓ ${at}：${read.memberId} ${read.body.name}${res.status === 201 ? '（新增）' : '（更新）'}`);
        continue;
      }
      const problem = problemSchema.safeParse(res.body);
      const errs =
        problem.success && problem.data.errors?.length
          ? problem.data.errors.map((e) => ({ row, field: columnOf(e.path), reason: e.message }))
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

async function main(): Promise<number> {
  const { flags, rest } = parseArgs(process.argv.slice(2));
  const file = rest[0];
  if (!file) {
    console.error('用法：npm run import:members -- <委员名册.csv|委员名册.xlsx> [--api URL] [--token JWT] [--errors 错误报告.csv]');
    return 2;
  }
  const records = await readTable(file);
  const client = clientFromFlags(flags);
  console.log(`导入委员名册 ${file} -> ${client.base}`);
  const result = await importMemberRecords(records, client, { log: (l) => console.log(l) });
  const created = result.written.filter((w) => w.created).length;
  console.log(
    `共 ${result.rows} 行：新增 ${created} 人，更新 ${result.written.length - created} 人，出错 ${new Set(result.errors.map((e) => e.row)).size} 行`,
  );
  return writeErrorReport(file, flags, result.errors);
}

runMain(import.meta, '导入', main);
