/**
 * CSV (RFC 4180) as spreadsheets write it: comma separated, fields with a comma, quote or line break
 * quoted, quotes doubled. Written with a UTF-8 BOM so Excel shows Chinese; a BOM is ignored on reading.
 * A cell that Excel or WPS would take for a formula (CSV injection: a title `=HYPERLINK(…)`) is written
 * as text, and read back as it was.
 */

/**
 * Cells starting with = + - @, a tab or a CR get a leading apostrophe, which spreadsheets show as text
 * and hide; so do cells already starting with apostrophes before one of those, so that parseCsv can
 * take exactly one off again.
 */
const formulaStart = /^'*[=+\-@\t\r]/;
const asText = (v: string) => (formulaStart.test(v) ? `'${v}` : v);
const fromText = (v: string) => (v.startsWith("'") && formulaStart.test(v) ? v.slice(1) : v);

export function stringifyCsv(rows: readonly (readonly string[])[]): string {
  const quoted = (v: string) => (/[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const field = (v: string) => quoted(asText(v));
  return '\uFEFF' + rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/**
 * Records of fields, one per spreadsheet row (a quoted field may span lines; blank rows are kept
 * as [] so record i is row i + 1). Throws on a quote left open.
 */
export function parseCsv(text: string): string[][] {
  const s = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = () => {
    row.push(fromText(field));
    rows.push(row.length === 1 && row[0] === '' ? [] : row);
    row = [];
    field = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(fromText(field));
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      endRow();
    } else field += c;
  }
  if (quoted) throw new Error(`第${rows.length + 1}行的引号没有闭合`);
  if (field !== '' || row.length) endRow();
  return rows;
}
