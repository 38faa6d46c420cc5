/**
 * The annual report (年度提案办理工作情况报告) written out: the document shared/domain/annual-report.ts
 * builds, as Markdown or as one self-contained HTML page (inline CSS, an inline SVG bar chart, no
 * external assets). The only place that writes Markdown or HTML of the report, and so the only
 * place that escapes its user text (titles, names, reply texts). Pure.
 */
import type { Proposal } from '#domain/proposal.ts';
import type { Statistics } from '#domain/statistics.ts';
import { reportDocument, type ReportCity, type ReportDocument } from '#domain/annual-report.ts';
import { pct } from '#domain/glossary.ts';

/** Markdown: user text has Markdown and HTML punctuation backslash-escaped and stays on one line. */
const md = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`);

export function renderMarkdown(doc: ReportDocument): string {
  const out: string[] = [];
  for (const b of doc.blocks) {
    if ('h' in b) out.push(`${'#'.repeat(b.h)} ${md(b.text)}`);
    else if ('p' in b) out.push(md(b.p));
    // a space after the closing ** keeps it bold when the lead ends in CJK punctuation (CommonMark flanking rules)
    else if ('items' in b) out.push(b.items.map((i) => `- ${i.lead ? `**${md(i.lead)}** ` : ''}${md(i.text)}`).join('\n'));
    else if ('head' in b) out.push([b.head, b.head.map(() => '---'), ...b.rows].map((r) => `| ${r.map(md).join(' | ')} |`).join('\n'));
    else out.push(`${md(b.chart)}：${b.bars.map((x) => `${md(x.label)} ${pct(x.value)}`).join('，')}`);
  }
  return out.join('\n\n') + '\n';
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function svgChart(title: string, bars: { label: string; value: number | null; note: string }[]): string {
  const [rowH, labelW, barW] = [26, 200, 360];
  const h = bars.length * rowH + 40;
  const rows = bars.map((b, i) => {
    const y = 30 + i * rowH;
    const w = Math.round((b.value ?? 0) * barW);
    return (
      `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text><rect x="${labelW}" y="${y + 3}" width="${barW}" height="18" fill="#f1e3e3"/>` +
      `<rect x="${labelW}" y="${y + 3}" width="${w}" height="18" fill="#a61b1b"/><text x="${labelW + barW + 8}" y="${y + 16}">${esc(pct(b.value))}（${esc(b.note)}）</text>`
    );
  });
  return (
    `<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" viewBox="0 0 ${labelW + barW + 120} ${h}" width="100%" style="max-width:720px;font-size:13px">` +
    `<text x="0" y="16" font-weight="bold">${esc(title)}</text>${rows.join('')}</svg></figure>`
  );
}

export function renderHtml(doc: ReportDocument): string {
  const body = doc.blocks.map((b) => {
    if ('h' in b) return `<h${b.h}>${esc(b.text)}</h${b.h}>`;
    if ('p' in b) return `<p>${esc(b.p)}</p>`;
    if ('items' in b)
      return `<ul>${b.items.map((i) => `<li>${i.lead ? `<strong>${esc(i.lead)}</strong>` : ''}${esc(i.text)}</li>`).join('')}</ul>`;
    if ('head' in b)
      return `<table><thead><tr>${b.head.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
    return svgChart(b.chart, b.bars);
  });
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(doc.title)}</title>
<style>body{max-width:900px;margin:0 auto;padding:24px;font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;line-height:1.8;color:#222}
h1{text-align:center;color:#a61b1b;font-size:24px}h2{border-left:4px solid #a61b1b;padding-left:8px;font-size:19px}h3{font-size:16px}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}th,td{border:1px solid #dde1e6;padding:4px 8px;text-align:left}th{background:#fafafa}li{margin:4px 0}figure{margin:12px 0}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}

export function renderAnnualReport(stats: Statistics, proposals: readonly Proposal[], city: ReportCity, format: 'md' | 'html'): string {
  const doc = reportDocument(stats, proposals, city);
  return format === 'md' ? renderMarkdown(doc) : renderHtml(doc);
}
