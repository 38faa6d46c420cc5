/**
 * The public page of 办理结果公开 (GET /v1/public/replies/page?year=): the year's published replies as
 * a readable list (number, title, proposers, unit, class, date, 文号, the text, a link to the printable
 * letter), and a year picker (a plain GET form). Mobile-friendly, self-contained (no script, no
 * external asset), every value escaped. It shows exactly what the JSON list has. Pure.
 */
import { chineseDate } from '#domain/glossary.ts';
import { esc, paragraphs } from '#render/reply-letter.ts';

/** One published reply, as the JSON list (GET /v1/public/replies) and this page show it. */
export interface PublicReply {
  number: string;
  title: string;
  /** Names only; a 集体提案: its collective's name. */
  proposers: string[];
  /** The unit's id, and its name. */
  unit: string;
  unitName: string;
  /** The reply class code (replies.classes), and its name. */
  class: string;
  className: string;
  text: string;
  /** When the office approved it (sent to the proposers), and that day in the city. */
  repliedAt: string;
  repliedOn: string;
  /** 1: the first reply; 2: the reply after re-handling (重新办理). */
  round: number;
  /** 文号 */
  docNumber?: string;
  /** The printable 答复函. */
  letterUrl: string;
}

export interface PublicRepliesPage {
  city: string;
  year: number;
  items: readonly PublicReply[];
}

const css = `*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:#222;font-family:-apple-system,"PingFang SC","Microsoft YaHei",system-ui,sans-serif;font-size:16px;line-height:1.75}
header{background:#a61b1f;color:#fff;padding:20px 16px}
header h1{margin:0 auto;max-width:760px;font-size:22px;line-height:1.4}
header p{margin:6px auto 0;max-width:760px;font-size:14px;opacity:.9}
main{max-width:760px;margin:0 auto;padding:16px}
form{display:flex;gap:8px;align-items:center;margin:0 0 16px;flex-wrap:wrap}
input{width:7em;font-size:16px;padding:4px 8px}
button{font-size:16px;padding:4px 14px;border:0;border-radius:4px;background:#a61b1f;color:#fff}
article{background:#fff;border-radius:6px;padding:16px;margin:0 0 16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
article h2{margin:0 0 8px;font-size:18px;line-height:1.5}
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0 0 12px;font-size:14px;color:#555}
dt{white-space:nowrap}dd{margin:0}
.text p{margin:0 0 8px;text-indent:2em;text-align:justify;word-break:break-word}
.empty{color:#666}
a{color:#a61b1f}
footer{max-width:760px;margin:0 auto;padding:0 16px 24px;font-size:13px;color:#888}`;

function item(x: PublicReply): string {
  const fields: [string, string | undefined][] = [
    ['提案人', x.proposers.join('、')],
    ['承办单位', x.unitName],
    ['答复类别', x.className === x.class ? `${x.class}类` : `${x.class}类（${x.className}）`],
    ['答复日期', chineseDate(x.repliedOn)],
    ['文号', x.docNumber],
    ['说明', x.round > 1 ? '重新办理后的答复' : undefined],
  ];
  const dl = fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('');
  return `<article><h2>${esc(x.number)}号提案\u3000${esc(x.title)}</h2><dl>${dl}</dl>
<div class="text">${paragraphs(x.text)
    .map((l) => `<p>${esc(l)}</p>`)
    .join('')}</div>
<p><a href="${esc(x.letterUrl)}" rel="noopener">查看、打印答复函</a></p></article>`;
}

export function renderPublicReplies(page: PublicRepliesPage): string {
  const title = `${page.city}政协提案办理结果公开（${page.year}年）`;
  const list = page.items.length ? page.items.map(item).join('\n') : `<p class="empty">${page.year}年暂无公开的提案答复。</p>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${css}</style></head><body>
<header><h1>${esc(title)}</h1><p>以下为承办单位答复并经审核、标注为“公开”的提案办理结果，共${page.items.length}件。</p></header>
<main><form method="get"><label for="year">年度</label><input id="year" name="year" type="number" min="2000" max="2100" value="${page.year}"><button type="submit">查看</button></form>
${list}</main>
<footer>${esc(page.city)}人民政府办公室</footer></body></html>
`;
}
