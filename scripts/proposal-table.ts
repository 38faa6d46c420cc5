/**
 * The proposal spreadsheet (提案台账): the columns export writes and import reads. Import reads by
 * header name, so column order and extra columns do not matter; it needs 标题, 正文 and 提案人 and
 * takes 类别 and 重点提案 when present (the outcome columns are for reading, not imported).
 * 提案人: `姓名(委员编号)<邮箱>` as export writes it, or `姓名(委员编号)` or the 委员编号 alone, several
 * separated by ；or ; or a line break. Only the 委员编号 is sent: names and addresses come from the
 * member directory (委员名册). 重点提案 is exported, not imported (the committee or the office sets it).
 */
import * as z from 'zod';
import { proposalView } from '#functions/api/schemas.ts';
import { lastRatings } from '#domain/statistics.ts';
import { statusNames } from '#domain/glossary.ts';

export const columns = [
  '案号',
  '标题',
  '正文',
  '类别',
  '重点提案',
  '提案人',
  '主办单位',
  '协办单位',
  '状态',
  '答复类别',
  '满意度',
  '提交日期',
  '答复日期',
  '办结日期',
] as const;
export type Column = (typeof columns)[number];

export type View = z.output<typeof proposalView>;

export interface Submission {
  title: string;
  body: string;
  proposers: { memberId: string }[];
  category?: string;
}

export interface RowError {
  /** Spreadsheet row (the header is row 1). */
  row: number;
  /** Field path: a column name, or the API's path (e.g. proposers[0].email). */
  field: string;
  reason: string;
}

const localDate = (iso: string | undefined, timeZone: string) =>
  iso ? new Intl.DateTimeFormat('sv-SE', { timeZone }).format(new Date(iso)) : '';

export function formatProposers(ps: View['proposers']): string {
  return ps.map((p) => `${p.name}(${p.memberId})<${p.email}>`).join('；');
}

/** One exported row per proposal: its submission and its outcome. */
export function toRow(p: View, opts: { timeZone: string; unitName(id: string): string }): Record<Column, string> {
  const approved = p.replies.filter((r) => r.status === 'approved');
  // The office's export: every rating carries its member (the view leaves it out for units only).
  const ratings = lastRatings({ feedback: p.feedback.map((f) => ({ ...f, memberId: f.memberId ?? '' })), replies: p.replies });
  const count = (s: string) => ratings.filter((r) => r === s).length;
  return {
    案号: p.number,
    标题: p.title,
    正文: p.body,
    类别: p.category ?? '',
    重点提案: p.key ? '是' : '否',
    提案人: formatProposers(p.proposers),
    // 分办: every lead unit.
    主办单位: (p.leads?.length ? p.leads : p.lead ? [p.lead] : []).map((u) => opts.unitName(u)).join('、'),
    协办单位: p.co.map((u) => opts.unitName(u)).join('、'),
    状态: statusNames[p.status],
    答复类别: approved.at(-1)?.replyClass ?? '',
    满意度: ratings.length ? `满意${count('satisfied')}、基本满意${count('basically_satisfied')}、不满意${count('dissatisfied')}` : '',
    提交日期: localDate(p.createdAt, opts.timeZone),
    答复日期: localDate(approved.at(-1)?.decidedAt, opts.timeZone),
    办结日期: localDate(p.closedAt, opts.timeZone),
  };
}

export function toTable(ps: readonly View[], opts: { timeZone: string; unitName(id: string): string }): string[][] {
  return [[...columns], ...ps.map((p) => columns.map((c) => toRow(p, opts)[c]))];
}

/** `姓名(委员编号)<邮箱>` or `姓名(委员编号)`: the 委员编号 in brackets; or the 委员编号 alone. */
const proposerPattern = /^(?:.+?)\s*[(（]\s*([^()（）]+?)\s*[)）]\s*(?:<\s*[^<>]*?\s*>)?$/;
const memberIdAlone = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * The submission of one row (rowNumber for the report), or what is wrong with the row as read.
 * Field values are checked by the API itself (the same validation as for any client).
 */
export function rowToSubmission(
  header: readonly string[],
  cells: readonly string[],
  rowNumber: number,
): { submission: Submission } | { errors: RowError[] } {
  const get = (c: Column) => {
    const i = header.indexOf(c);
    return i < 0 ? undefined : (cells[i] ?? '').trim();
  };
  const errors: RowError[] = [];
  const proposers = (get('提案人') ?? '')
    .split(/[;；\r\n]+/)
    .map((x) => x.trim())
    .filter(Boolean)
    .flatMap((x, i) => {
      const m = proposerPattern.exec(x);
      if (m?.[1]) return [{ memberId: m[1] }];
      if (memberIdAlone.test(x)) return [{ memberId: x }];
      errors.push({ row: rowNumber, field: `提案人[${i}]`, reason: `“${x}”应写作 姓名(委员编号) 或 委员编号` });
      return [];
    });
  if (errors.length) return { errors };
  const category = get('类别');
  return {
    submission: {
      title: get('标题') ?? '',
      body: get('正文') ?? '',
      proposers,
      ...(category ? { category } : {}),
    },
  };
}

/** Columns import needs. */
export const requiredColumns: readonly Column[] = ['标题', '正文', '提案人'];

export const problemSchema = z.object({
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  detail: z.string().optional(),
});
