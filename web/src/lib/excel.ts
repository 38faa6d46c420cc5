/** 导出Excel: the filtered list as .xlsx; write-excel-file is loaded only when someone clicks. */

/** A text cell that a spreadsheet would run as a formula (= + - @, tab, CR) is prefixed with ' (CSV/formula injection). */
export function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export interface ExportColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => string;
}

export function sheetRows<T>(rows: readonly T[], columns: readonly ExportColumn<T>[]) {
  const header = columns.map((c) => ({ value: c.header, fontWeight: 'bold' as const }));
  return [header, ...rows.map((r) => columns.map((c) => ({ type: String, value: safeCell(c.value(r)) })))];
}

/**
 * A large sheet is zipped in a Web Worker made from a blob: URL; a Content-Security-Policy without
 * `worker-src blob:` blocks it and the zipper would wait for ever, so such a violation fails the export.
 */
export async function exportXlsx<T>(fileName: string, rows: readonly T[], columns: readonly ExportColumn<T>[]): Promise<void> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser');
  let onViolation: ((e: SecurityPolicyViolationEvent) => void) | undefined;
  const blocked = new Promise<never>((_, reject) => {
    onViolation = (e) => {
      if (e.blockedURI === 'blob' || e.blockedURI.startsWith('blob:'))
        reject(new Error('浏览器安全策略不允许生成大文件（需要 CSP worker-src blob:）'));
    };
    document.addEventListener('securitypolicyviolation', onViolation);
  });
  try {
    await Promise.race([
      writeXlsxFile(sheetRows(rows, columns), { columns: columns.map((c) => ({ width: c.width ?? 16 })) }).toFile(fileName),
      blocked,
    ]);
  } finally {
    if (onViolation) document.removeEventListener('securitypolicyviolation', onViolation);
  }
}
