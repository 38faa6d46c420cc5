/**
 * The member spreadsheet (委员名册): the columns import:members reads (by header name, so order and
 * extra columns do not matter) and the local runtime's sample file uses. Needs 委员编号, 姓名 and 界别;
 * takes 党派, 手机, 电子邮箱 (or 邮箱), 届次 and 在任 (是/否, default 是) when present.
 */
import type { RowError } from './proposal-table.ts';

export const memberColumns = ['委员编号', '姓名', '界别', '党派', '手机', '电子邮箱', '届次', '在任'] as const;
export const requiredMemberColumns = ['委员编号', '姓名', '界别'] as const;

/** What PUT /v1/members/{memberId} is sent for one row (the API validates the values). */
export interface MemberRow {
  memberId: string;
  body: { name: string; sector: string; party?: string; mobile?: string; email?: string; term?: string; active: boolean };
}

const yes = ['是', 'true', '1', 'y', 'yes', '在任'];
const no = ['否', 'false', '0', 'n', 'no', '不在任', '离任'];

/** The member of one row (rowNumber for the report), or what is wrong with the row as read. */
export function rowToMember(header: readonly string[], cells: readonly string[], rowNumber: number): MemberRow | { errors: RowError[] } {
  const get = (...names: string[]) => {
    for (const n of names) {
      const i = header.indexOf(n);
      if (i >= 0) return (cells[i] ?? '').trim();
    }
    return undefined;
  };
  const errors: RowError[] = [];
  const memberId = get('委员编号') ?? '';
  if (!memberId) errors.push({ row: rowNumber, field: '委员编号', reason: '委员编号不能为空' });
  const activeText = (get('在任') ?? '').toLowerCase();
  const active = activeText === '' || yes.includes(activeText);
  if (activeText !== '' && !yes.includes(activeText) && !no.includes(activeText))
    errors.push({ row: rowNumber, field: '在任', reason: `“${activeText}”应为 是 或 否` });
  if (errors.length) return { errors };
  const opt = (v: string | undefined) => (v ? v : undefined);
  const party = opt(get('党派'));
  const mobile = opt(get('手机', '手机号码'));
  const email = opt(get('电子邮箱', '邮箱'));
  const term = opt(get('届次'));
  return {
    memberId,
    body: {
      name: get('姓名') ?? '',
      sector: get('界别') ?? '',
      ...(party ? { party } : {}),
      ...(mobile ? { mobile } : {}),
      ...(email ? { email } : {}),
      ...(term ? { term } : {}),
      active,
    },
  };
}

/** The API's field names as the spreadsheet's columns, for the error report. */
export const memberFieldColumns: Record<string, string> = {
  memberId: '委员编号',
  name: '姓名',
  sector: '界别',
  party: '党派',
  mobile: '手机',
  email: '电子邮箱',
  term: '届次',
  active: '在任',
};
