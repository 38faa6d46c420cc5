/**
 * The annual report (年度提案办理工作情况报告), in the structure of a city's annual review:
 * 一、基本情况 (counts, themes, completion) / 二、主要做法 (how, in numbers) / 三、办理成效 (by theme,
 * each proposal's outcome from its reply, with its proposers) / 四、下一步工作 (units with overdue or
 * dissatisfied items) / 附表 (per unit). Pure: statistics + proposals in, a small document out
 * (headings, paragraphs, items, tables, a chart) with the figures in its words; shared/render/
 * annual-report.ts writes it as Markdown or HTML, and alone escapes user text (titles, names, replies).
 * A proposal's theme (主题) is its category, else the name of its lead unit.
 */
import type { ReplyClass } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import { latestApproved } from '#domain/workflow.ts';
import { isRegistered, lastRatings, type Statistics } from '#domain/statistics.ts';
import { obligationNames, pct, replyClassNames, statusNames } from '#domain/glossary.ts';

export interface ReportCity {
  name: string;
  timeZone: string;
  unitName(id: string): string;
}

type Item = { lead?: string; text: string };
export type ReportBlock =
  | { h: 1 | 2 | 3; text: string }
  | { p: string }
  | { items: Item[] }
  | { head: string[]; rows: string[][] }
  | { chart: string; bars: { label: string; value: number | null; note: string }[] };

/** The report as a document: its title and its blocks in order. */
export interface ReportDocument {
  title: string;
  blocks: ReportBlock[];
}

const classOrder: readonly ReplyClass[] = ['A', 'B', 'C', 'D'];
const numerals = [
  '一',
  '二',
  '三',
  '四',
  '五',
  '六',
  '七',
  '八',
  '九',
  '十',
  '十一',
  '十二',
  '十三',
  '十四',
  '十五',
  '十六',
  '十七',
  '十八',
  '十九',
  '二十',
];
const REPLY_EXCERPT = 160;

const ord = (i: number) => `（${numerals[i] ?? String(i + 1)}）`;

export function themeOf(p: Proposal, city: ReportCity): string {
  return p.category ?? (p.lead ? city.unitName(p.lead) : '其他');
}

function localDate(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${parts.year}年${parts.month}月${parts.day}日`;
}

function cut(s: string, max: number): string {
  const chars = Array.from(s.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…';
}

export function reportDocument(stats: Statistics, proposals: readonly Proposal[], city: ReportCity): ReportDocument {
  const y = stats.year;
  const cases = proposals.filter((p) => p.year === y && isRegistered(p)).sort((a, b) => a.seq - b.seq);
  const title = `${city.name}${y}年政协提案办理工作情况报告`;
  const themes = new Map<string, Proposal[]>();
  for (const p of cases) themes.set(themeOf(p, city), [...(themes.get(themeOf(p, city)) ?? []), p]);
  const themeList = [...themes].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const leads = stats.byUnit.filter((r) => r.assigned > 0);
  const escal = stats.escalations;

  const basics: ReportBlock[] = [
    { h: 2, text: '一、基本情况' },
    {
      p:
        `${y}年，共收到政协委员提案${stats.total}件，经审查立案${stats.registered}件` +
        `（并案处理${stats.merged}件，不予立案${stats.rejected}件${stats.pendingReview ? `，尚待审查${stats.pendingReview}件` : ''}），` +
        `交由${leads.length}个主办单位、${stats.byUnit.filter((r) => r.co > 0).length}个协办单位办理。` +
        `截至${localDate(stats.asOf, city.timeZone)}，已办结${stats.closed}件，办结率${pct(stats.completionRate)}；按时办结率${pct(stats.onTimeRate)}；` +
        `提案人满意率（满意和基本满意）${pct(stats.satisfactionRate)}。`,
    },
    ...(themeList.length ? [{ p: `提案内容涉及${themeList.map(([t, ps]) => `${t}（${ps.length}件）`).join('、')}等方面。` }] : []),
    {
      p:
        `从答复类别看，${classOrder.map((c) => `${c}类（${replyClassNames[c]}）${stats.classes[c]}件`).join('，')}。` +
        (stats.followUpOpen ? `列入计划或暂难解决的B、C类提案中，尚有${stats.followUpOpen}件在跟踪落实。` : ''),
    },
    {
      head: ['主题', '立案', '已办结', '办结率'],
      rows: themeList.map(([t, ps]) => {
        const c = ps.filter((p) => p.status === 'closed').length;
        return [t, `${ps.length}`, `${c}`, pct(ps.length ? c / ps.length : null)];
      }),
    },
  ];

  const practice: ReportBlock[] = [
    { h: 2, text: '二、主要做法' },
    {
      items: [
        { lead: `${ord(0)}精准交办。`, text: assignmentText(stats) },
        {
          lead: `${ord(1)}按时签收。`,
          text: `各承办单位应签收${stats.acknowledgements}件次，按期签收${stats.acknowledgedOnTime}件次，按时签收率${pct(stats.acknowledgeOnTimeRate)}。`,
        },
        { lead: `${ord(2)}面商沟通。`, text: `承办单位与提案人面对面协商${stats.faceToFace}件，面商率${pct(stats.faceToFaceRate)}。` },
        {
          lead: `${ord(3)}督查督办。`,
          text:
            stats.reminders === null || escal === null
              ? '按期限自动提醒、逾期逐级催办。'
              : `按期限自动发送办理提醒${stats.reminders}次；逾期催办${escal['1']}次、督办${escal['2']}次、报分管领导${escal['3']}次。`,
        },
        { lead: `${ord(4)}重新办理。`, text: `对提案人不满意的答复重新办理${stats.rehandled}件，二次答复后再次征询提案人意见。` },
        { lead: `${ord(5)}跟踪落实。`, text: `B、C类答复持续跟踪落实，尚在跟踪${stats.followUpOpen}件。` },
      ],
    },
  ];

  const results: ReportBlock[] = [{ h: 2, text: '三、办理成效' }];
  themeList.forEach(([theme, ps], i) => {
    results.push({ h: 3, text: `${ord(i)}${theme}（${ps.length}件）` }, { items: ps.map((p) => outcome(p, city)) });
  });
  if (!themeList.length) results.push({ p: '本年度暂无立案提案。' });

  const unitName = (u: string) => city.unitName(u);
  const attention = stats.byUnit.filter((r) => r.overdue > 0 || r.dissatisfied > 0);
  const next: ReportBlock[] = [
    { h: 2, text: '四、下一步工作' },
    attention.length
      ? {
          items: attention.map((r) => ({
            lead: `${unitName(r.unit)}：`,
            text:
              [
                r.overdue ? `超期未办${r.overdue}件（${overdueOf(stats, r.unit)}）` : '',
                r.dissatisfied ? `提案人不满意${r.dissatisfied}人次` : '',
              ]
                .filter(Boolean)
                .join('，') + '，须限期整改，持续跟踪督办。',
          })),
        }
      : { p: '各承办单位均无超期和不满意事项。' },
    {
      p: '下一步，将继续完善交办、面商、答复、测评全流程管理，对超期事项逐级督办，对B、C类提案跟踪落实，定期通报办理情况，不断提高提案办理质量。',
    },
  ];

  const table: ReportBlock[] = [
    { h: 2, text: '附表：各承办单位办理情况' },
    {
      head: ['承办单位', '主办', '协办', '已办结', '办结率', '按时办结率', '超期', '满意及基本满意', '不满意'],
      rows: stats.byUnit.map((r) => [
        unitName(r.unit),
        `${r.assigned}`,
        `${r.co}`,
        `${r.closed}`,
        pct(r.completionRate),
        pct(r.onTimeRate),
        `${r.overdue}`,
        `${r.satisfied}`,
        `${r.dissatisfied}`,
      ]),
    },
    {
      chart: '各主办单位办结率',
      bars: leads.map((r) => ({ label: unitName(r.unit), value: r.completionRate, note: `${r.closed}/${r.assigned}` })),
    },
  ];
  return { title, blocks: [{ h: 1, text: title }, ...basics, ...practice, ...results, ...next, ...table] };
}

/** 精准交办: how the proposals were assigned and how many were changed; "on a unit's request" only as the events show. */
function assignmentText(s: Statistics): string {
  const a = s.assignment;
  const changed = s.assigned - s.neverReassigned;
  return (
    `${s.assigned}件交办提案中，` +
    (a ? `${a.byKeywords}件按承办单位职责关键词自动匹配交办，${a.byOffice}件由人工交办；` : '') +
    `${s.neverReassigned}件未经调整，交办准确率${pct(s.assignmentAccuracy)}；${changed}件调整交办` +
    (a && changed ? `，其中${a.changedOnObjection}件经承办单位申请调整` : '') +
    '。'
  );
}

const obligationLabels: Readonly<Record<string, string>> = obligationNames;
/** "2026-003（面商联系、答复）、2026-009（签收）" */
function overdueOf(stats: Statistics, unit: string): string {
  const byNumber = new Map<string, string[]>();
  for (const o of stats.overdue)
    if (o.unit === unit) byNumber.set(o.number, [...(byNumber.get(o.number) ?? []), obligationLabels[o.obligation] ?? o.obligation]);
  return [...byNumber].map(([n, what]) => `${n}（${what.join('、')}）`).join('、');
}

function outcome(p: Proposal, city: ReportCity): Item {
  const who =
    `提案人：${p.proposers.map((x) => x.name).join('、')}；主办：${p.lead ? city.unitName(p.lead) : '待定'}` +
    (p.co.length ? `；协办：${p.co.map((u) => city.unitName(u)).join('、')}` : '');
  const reply = latestApproved(p);
  const ratings = lastRatings(p);
  const rated = ratings.length
    ? `提案人评价：满意${ratings.filter((s) => s === 'satisfied').length}、基本满意${ratings.filter((s) => s === 'basically_satisfied').length}、不满意${ratings.filter((s) => s === 'dissatisfied').length}。`
    : '';
  const result = reply
    ? `${reply.replyClass}类（${replyClassNames[reply.replyClass]}）：${cut(reply.text, REPLY_EXCERPT)}`
    : `${statusNames[p.status]}。`;
  return { lead: `${p.number} ${p.title}`, text: `（${who}）${result}${p.rehandles ? '（经重新办理）' : ''}${rated ? ` ${rated}` : ''}` };
}
