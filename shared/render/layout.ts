/**
 * The email layout (邮件版式): turns the small document a template produces (paragraphs, fields,
 * quoted text, links, one table) into the subject, the text part and the HTML part. Pure: no I/O.
 *
 * Safety lives here alone, so no template can forget it:
 * - every value is HTML-escaped in the HTML part (templates never write HTML);
 * - the subject has control characters (CR, LF, NEL, U+2028/9...) collapsed to one space and is cut
 *   to SUBJECT_MAX characters (the title first, with …), so a title cannot inject mail headers;
 * - a link is rendered as <a href> only when it parses as an http(s) URL; otherwise it is shown as text.
 */

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What a template needs from the city config. */
export interface TemplateCity {
  name: string;
  linkBase: string;
  unitName(id: string): string;
  /** The name of a reply class code (the city's classes; default the national four). */
  className?(code: string): string;
}

// ---- the document a template produces ----

export type Block =
  | { p: string; strong?: boolean }
  | { fields: [label: string, value: string | undefined][] }
  | { quote: string; label: string }
  | { link: string; label: string }
  | { table: string[][]; head: string[] };

export interface Doc {
  /** The kind's name in the subject and heading, e.g. 交办通知. */
  label: string;
  /** After the label: `2026-001 关于…` (the title is cut in the subject) or a period. */
  topic: { number: string; title: string } | string;
  greeting: string;
  blocks: Block[];
}

// ---- layout: the only place that writes the subject, text and HTML ----

const SUBJECT_MAX = 120;
const TITLE_MAX = 50;
const css = {
  body: "margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;font-size:15px;line-height:1.7;color:#222",
  card: 'max-width:640px;margin:0 auto;background:#fff;border:1px solid #dde1e6;border-radius:6px',
  head: 'padding:16px 24px;background:#a61b1b;color:#fff;border-radius:6px 6px 0 0',
  main: 'padding:20px 24px',
  cell: 'padding:6px 10px;border:1px solid #dde1e6;text-align:left;vertical-align:top',
  quote: 'margin:8px 0 14px;padding:10px 14px;background:#f7f7f7;border-left:4px solid #c9c9c9;white-space:pre-wrap',
  button: 'display:inline-block;padding:8px 18px;background:#a61b1b;color:#fff;text-decoration:none;border-radius:4px',
  foot: 'padding:12px 24px;border-top:1px solid #eee;font-size:12px;color:#888',
};

export function layout(doc: Doc, city: TemplateCity): RenderedMail {
  const prefix = `【${oneLine(city.name)}提案办理】${oneLine(doc.label)}：`;
  const about =
    typeof doc.topic === 'string' ? oneLine(doc.topic) : `${oneLine(doc.topic.number)} ${cut(oneLine(doc.topic.title), TITLE_MAX)}`;
  const subject = cut(prefix + about, SUBJECT_MAX);
  const heading = typeof doc.topic === 'string' ? doc.topic : `${doc.topic.number} ${doc.topic.title}`;
  const footer = `本邮件由${city.name}提案办理系统自动发送，请勿直接回复。`;

  const text = [
    `${oneLine(doc.label)}：${oneLine(heading)}`,
    oneLine(doc.greeting),
    ...doc.blocks.map(blockText),
    `——\n${oneLine(footer)}`,
  ];
  const html = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>
<body style="${css.body}"><div style="${css.card}">
<div style="${css.head}"><div style="font-size:13px;opacity:.85">${esc(city.name)}提案办理 · ${esc(doc.label)}</div><div style="font-size:18px;font-weight:bold">${esc(oneLine(heading))}</div></div>
<div style="${css.main}"><p>${esc(oneLine(doc.greeting))}</p>
${doc.blocks.map(blockHtml).join('\n')}
</div><div style="${css.foot}">${esc(footer)}</div></div></body></html>
`;
  return { subject, text: text.join('\n\n') + '\n', html };
}

function blockText(b: Block): string {
  if ('p' in b) return oneLine(b.p);
  if ('fields' in b)
    return present(b.fields)
      .map(([k, v]) => `${k}：${oneLine(v)}`)
      .join('\n');
  if ('quote' in b) return `${b.label}：\n${multiLine(b.quote).replace(/^(?=.)/gm, '    ')}`;
  if ('link' in b) return `${b.label}：${httpUrl(b.link) ?? oneLine(b.link)}`;
  return [b.head, ...b.table].map((row) => row.map(oneLine).join(' | ')).join('\n');
}

function blockHtml(b: Block): string {
  if ('p' in b) return `<p${b.strong ? ' style="font-weight:bold"' : ''}>${esc(oneLine(b.p))}</p>`;
  if ('fields' in b) {
    const rows = present(b.fields).map(
      ([k, v]) =>
        `<tr><th style="${css.cell};width:9em;background:#fafafa">${esc(k)}</th><td style="${css.cell}">${esc(oneLine(v))}</td></tr>`,
    );
    return `<table style="border-collapse:collapse;width:100%;margin:8px 0 14px">${rows.join('')}</table>`;
  }
  if ('quote' in b) return `<div style="color:#555">${esc(b.label)}：</div><div style="${css.quote}">${esc(multiLine(b.quote))}</div>`;
  if ('link' in b) {
    const url = httpUrl(b.link);
    return url
      ? `<p><a href="${esc(url)}" style="${css.button}">${esc(b.label)}</a></p><p style="font-size:12px;color:#888;word-break:break-all">${esc(url)}</p>`
      : `<p>${esc(b.label)}：${esc(b.link)}</p>`;
  }
  const row = (cells: string[], tag: string) =>
    `<tr>${cells.map((c) => `<${tag} style="${css.cell}">${esc(oneLine(c))}</${tag}>`).join('')}</tr>`;
  return `<table style="border-collapse:collapse;width:100%;margin:8px 0 14px"><thead style="background:#fafafa">${row(b.head, 'th')}</thead><tbody>${b.table.map((r) => row(r, 'td')).join('')}</tbody></table>`;
}

const present = (fields: [string, string | undefined][]) => fields.filter((f): f is [string, string] => f[1] !== undefined);

function esc(s: string): string {
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return stripControls(s).replace(/[&<>"']/g, (c) => map[c] ?? c);
}

/** Line breaks and other control characters (incl. NEL, U+2028/9, bidi overrides) become one space. */
function oneLine(s: string): string {
  return s
    .replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Keeps line breaks (as \n) and tabs, drops other control characters. */
function multiLine(s: string): string {
  return stripControls(s.replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n')).trim();
}

function stripControls(s: string): string {
  return s.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, (c) => (c === '\n' || c === '\t' ? c : ''));
}

/** Cuts to `max` characters (code points, so no half surrogate pair), ending with … when cut. */
function cut(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}

/** The normalized URL when `s` is an absolute http(s) URL; otherwise undefined (not rendered as a link). */
function httpUrl(s: string): string | undefined {
  if (!URL.canParse(s)) return undefined;
  const url = new URL(s);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}
