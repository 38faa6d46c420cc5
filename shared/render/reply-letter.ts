/**
 * The 答复函 (reply letter) as a printable A4 HTML page, in the layout of a Chinese official letter
 * (GB/T 9704 in spirit): the 发文机关 in red, the 文号 and 签发人 under it, a red rule, the title, the
 * addressee (the proposers, or the collective of a 集体提案), the text, the unit and the date bottom
 * right, then the 公开属性 and the 联系人 / 联系电话 lines. A reply without a letter (older data) is
 * rendered with what it has. Self-contained (no script, no external asset); every value escaped. Pure.
 */
import { chineseDate } from '#domain/glossary.ts';
import type { Disclosure, Proposal, Reply } from '#domain/proposal.ts';
import { confirmedProposers } from '#domain/proposers.ts';

/** What the letter needs of the city. */
export interface LetterCity {
  /** e.g. 阿拉尔市 */
  name: string;
  unitName(id: string): string;
  /** The day (YYYY-MM-DD) of an instant in the city's time zone. */
  localDate(at: string): string;
}

export type LetterProposal = Pick<Proposal, 'number' | 'proposers' | 'collective'>;

/** 公开属性 as the letter states it. */
export const disclosureNames: Record<Disclosure, string> = { public: '公开', on_request: '依申请公开', private: '不予公开' };

const controls = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;
/** HTML-escaped, control characters (and bidi overrides) dropped. */
export const esc = (s: string): string => s.replace(controls, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The text's paragraphs: split at line breaks, trimmed (full-width indent spaces too: the page indents), blank ones dropped. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\r\n?|\n|\u2028|\u2029|\u0085/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The issuing organ's full name: the unit's name with the city's before it, unless it has it already. */
export const organName = (city: Pick<LetterCity, 'name'>, unitName: string): string =>
  unitName.startsWith(city.name) ? unitName : `${city.name}${unitName}`;

/** 主送: the collective of a 集体提案, else each proposer who counts, as 某某委员. */
export function addressee(p: LetterProposal): string {
  if (p.collective) return `${p.collective.name}：`;
  return `${confirmedProposers(p)
    .map((x) => `${x.name}委员`)
    .join('、')}：`;
}

/**
 * The unit often writes the salutation itself as the first line: short, ending with a colon, no
 * sentence in it, naming a proposer, the collective or 委员 (not "现答复如下："). Then it is the addressee.
 */
function isSalutation(p: LetterProposal, line: string): boolean {
  const names = [...p.proposers.map((x) => x.name), ...(p.collective ? [p.collective.name] : []), '委员'];
  return /[：:]$/.test(line) && !/[，。；！？,;]/.test(line) && Array.from(line).length <= 80 && names.some((n) => line.includes(n));
}

/** 关于政协第{案号}号提案的答复 (the session of the 政协 is not known here). */
export const letterTitle = (p: Pick<Proposal, 'number'>): string => `关于政协第${p.number}号提案的答复`;

const css = `@page{size:A4;margin:37mm 26mm 35mm 28mm}
*{box-sizing:border-box}
body{margin:0;background:#e9eaec;color:#000;font-family:FangSong,"FangSong_GB2312",STFangsong,"仿宋",serif;font-size:16pt;line-height:28pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.page{width:210mm;min-height:297mm;margin:16px auto;padding:37mm 26mm 35mm 28mm;background:#fff;box-shadow:0 1px 6px rgba(0,0,0,.2)}
.marks{display:flex;justify-content:space-between;font-family:SimHei,"黑体",sans-serif;min-height:28pt}
.organ{margin:0;color:#d40000;text-align:center;font-family:"FZXiaoBiaoSong-B05S","方正小标宋简体",SimSun,"宋体",serif;font-weight:normal;font-size:26pt;line-height:1.4;letter-spacing:.08em}
.docline{display:flex;justify-content:space-between;margin-top:12pt;min-height:28pt}
.rule{border:0;border-top:2px solid #d40000;margin:4pt 0 28pt}
.title{margin:0 0 28pt;text-align:center;font-family:"FZXiaoBiaoSong-B05S","方正小标宋简体",SimSun,"宋体",serif;font-weight:normal;font-size:22pt;line-height:1.5}
p{margin:0}
.text p{text-indent:2em;text-align:justify;word-break:break-word}
.sign{margin-top:56pt;text-align:right;padding-right:2em}
.notes{margin-top:28pt}
.notes p{text-indent:2em}
@media screen and (max-width:210mm){.page{width:auto;min-height:0;margin:0;padding:20px 16px;box-shadow:none}.organ{font-size:22pt}.title{font-size:18pt}body{font-size:14pt;line-height:24pt}}
@media print{body{background:#fff}.page{width:auto;min-height:0;margin:0;padding:0;box-shadow:none}}`;

/** The letter of reply `r` of proposal `p`. */
export function renderReplyLetter(city: LetterCity, p: LetterProposal, r: Reply): string {
  const letter = r.letter;
  const organ = organName(city, city.unitName(r.unit));
  const title = letterTitle(p);
  const lines = paragraphs(r.text);
  const [first, ...rest] = lines;
  const ownSalutation = first !== undefined && isSalutation(p, first);
  const to = ownSalutation ? first : addressee(p);
  const text = ownSalutation ? rest : lines;
  const date = chineseDate(city.localDate(r.signedAt ?? r.submittedAt));
  const disclosure = letter
    ? `公开属性：${disclosureNames[letter.disclosure]}${letter.disclosure !== 'public' && letter.disclosureReason?.trim() ? `（理由：${letter.disclosureReason.trim()}）` : ''}`
    : undefined;
  const contact = letter ? `联系人：${letter.contactName}\u3000\u3000联系电话：${letter.contactPhone}` : undefined;
  const line = (cls: string, s: string | undefined) => (s ? `<span class="${cls}">${esc(s)}</span>` : '<span></span>');

  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${css}</style></head><body><main class="page">
<div class="marks">${line('class', `${r.replyClass}类`)}</div>
<h1 class="organ">${esc(organ)}</h1>
<div class="docline">${line('docno', letter?.docNumber)}${line('signer', letter?.signer && `签发人：${letter.signer}`)}</div>
<hr class="rule">
<h2 class="title">${esc(title)}</h2>
<p class="to">${esc(to)}</p>
<div class="text">${text.map((l) => `<p>${esc(l)}</p>`).join('\n')}</div>
<div class="sign"><p class="unit">${esc(organ)}</p><p class="date">${esc(date)}</p></div>
${disclosure || contact ? `<div class="notes">${[disclosure, contact].map((s) => (s ? `<p>（${esc(s)}）</p>` : '')).join('')}</div>` : ''}
</main></body></html>
`;
}

/** The page a link to a letter opens when there is no letter it may show (expired or wrong link, or not public). */
export function renderLetterNotFound(cityName: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>未找到答复函</title><style>body{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0;padding:24px}main{max-width:640px;margin:auto;background:#fff;border-radius:6px;padding:24px}h1{font-size:20px;color:#a61b1f}</style></head>
<body><main><h1>未找到答复函</h1><p>该答复函不存在、尚未公开，或链接已失效。提案人可登录提案办理工作台查看答复；如有疑问，请联系${esc(cityName)}人民政府办公室。</p></main></body></html>
`;
}
