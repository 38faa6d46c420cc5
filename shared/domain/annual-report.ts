/**
 * The annual report (年度提案办理工作情况报告), in the structure of a city's annual review:
 * 一、基本情况 (counts, the measures, themes and 界别) / 二、主要做法 (how, in numbers, the office's
 * review apart) / 三、办理成效 (by theme, each proposal's outcome from its reply, with its proposers) /
 * 四、下一步工作 (units with overdue or dissatisfied items) / 附表一 (per unit) / 附表二 (办理考评). Pure: statistics + proposals in, a small document out
 * (headings, paragraphs, items, tables, a chart) with the figures in its words; shared/render/
 * annual-report.ts writes it as Markdown or HTML, and alone escapes user text (titles, names, replies).
 * Every figure is one of the statistics' measures (statistics.ts, measures.ts; docs/reports.md), named
 * as there: 办结率 and 办复率 count answered proposals, 按时办复率 the units' own time (the office's
 * review is reported apart), 满意率 and 基本满意率 each over the ratings received.
 * In 三、办理成效 a proposal's theme (主题) is its category, else the name of its lead unit; the
 * per-theme table counts by category (未分类 when none).
 */
import type { Proposal } from '#domain/proposal.ts';
import { latestApproved } from '#domain/workflow.ts';
import { leadUnits, partView } from '#domain/parts.ts';
import { isRegistered, lastRatings, type GroupRow, type Statistics } from '#domain/statistics.ts';
import { assessmentKeys, defaultWeights, type AssessmentKey, type AssessmentWeights } from '#domain/assessment.ts';
import { obligationNames, pct, replyClassName, statusNames } from '#domain/glossary.ts';

export interface ReportCity {
  name: string;
  timeZone: string;
  unitName(id: string): string;
  /** The city's reply classes (config replies.classes); default the national four. */
  classes?: readonly { code: string; name: string }[];
  /** 办理考评 weights (config assessment.weights), printed with the table. */
  weights?: AssessmentWeights;
}

/** The column names of the 办理考评 figures. */
export const assessmentNames: Record<AssessmentKey, string> = {
  acknowledgeOnTime: '按时签收',
  contact: '面商',
  replyOnTime: '按时办复',
  satisfaction: '满意度',
  secondReply: '二次答复',
};

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

  const className = (code: string) => replyClassName(code, city.classes ?? stats.replyClasses);
  const classCodes = [...new Set([...stats.replyClasses.map((c) => c.code), ...Object.keys(stats.classes)])];
  const followUpCodes = stats.replyClasses.filter((c) => c.followUp).map((c) => `${c.code}类`);
  const r = stats.ratings;
  const basics: ReportBlock[] = [
    { h: 2, text: '一、基本情况' },
    {
      p:
        `${y}年，共收到政协委员提案${stats.total}件，经审查立案${stats.registered}件` +
        `（并案处理${stats.merged}件，不予立案${stats.rejected}件${stats.pendingReview ? `，尚待审查${stats.pendingReview}件` : ''}），` +
        `交由${leads.length}个主办单位、${stats.byUnit.filter((u) => u.co > 0).length}个协办单位办理。` +
        `截至${localDate(stats.asOf, city.timeZone)}，已办复${stats.answered}件，办结率${pct(stats.completionRate)}` +
        `（已办复占立案），办复率${pct(stats.replyRate)}（已办复占交办）；按时办复率${pct(stats.onTimeReplyRate)}` +
        `（承办单位签发答复未超过办理期限，${stats.onTime}/${stats.replyDue}件）；${stats.closed}件已完成评价。`,
    },
    {
      p:
        `提案人评价${stats.rated}人次（应评价${stats.asked}人次，评价反馈率${pct(stats.feedbackRate)}），其中满意${r.satisfied}人次、` +
        `基本满意${r.basically_satisfied}人次、不满意${r.dissatisfied}人次，满意率${pct(stats.satisfactionRate)}，` +
        `基本满意率${pct(stats.basicSatisfactionRate)}，满意和基本满意合计${pct(stats.overallSatisfactionRate)}。`,
    },
    ...(themeList.length ? [{ p: `提案内容涉及${themeList.map(([t, ps]) => `${t}（${ps.length}件）`).join('、')}等方面。` }] : []),
    {
      p:
        `从答复类别看，${classCodes.map((c) => `${c}类（${className(c)}）${stats.classes[c] ?? 0}件`).join('，')}。` +
        (stats.followUpOpen ? `${followUpCodes.join('、') || '需跟踪落实'}的提案中，尚有${stats.followUpOpen}件在跟踪落实。` : ''),
    },
    { h: 3, text: '各主题办理情况' },
    groupTable(
      '主题',
      stats.byTheme.map((g) => [g.theme ?? '未分类', g]),
    ),
    { h: 3, text: '各界别提案办理情况' },
    groupTable(
      '界别',
      stats.bySector.map((g) => [g.sector ?? '未登记界别', g]),
    ),
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
        {
          lead: `${ord(2)}面商沟通。`,
          text:
            `主办单位与提案人当面协商或走访${stats.faceToFace}件，面商率${pct(stats.faceToFaceRate)}；` +
            `各承办单位与提案人沟通联系${stats.contacted}件，沟通率${pct(stats.contactRate)}。`,
        },
        {
          lead: `${ord(3)}督查督办。`,
          text:
            stats.reminders === null || escal === null
              ? '按期限自动提醒、逾期逐级催办。'
              : `按期限自动发送办理提醒${stats.reminders}次；逾期催办${escal['1']}次、督办${escal['2']}次、报分管领导${escal['3']}次。`,
        },
        { lead: `${ord(4)}答复审核。`, text: reviewText(stats) },
        { lead: `${ord(5)}重新办理。`, text: `对提案人不满意的答复重新办理${stats.rehandled}件，重新答复后再次征询提案人意见。` },
        {
          lead: `${ord(6)}跟踪落实。`,
          text:
            `${followUpCodes.join('、') || '需跟踪落实的'}答复持续跟踪落实，尚在跟踪${stats.followUpOpen}件；` +
            `应作二次答复${stats.secondReply.due}件，已二次答复${stats.secondReply.given}件。`,
        },
      ],
    },
  ];

  const results: ReportBlock[] = [{ h: 2, text: '三、办理成效' }];
  themeList.forEach(([theme, ps], i) => {
    results.push({ h: 3, text: `${ord(i)}${theme}（${ps.length}件）` }, { items: ps.map((p) => outcome(p, city)) });
  });
  if (!themeList.length) results.push({ p: '本年度暂无立案提案。' });

  const unitName = (u: string) => city.unitName(u);
  const attention = stats.byUnit.filter((u) => u.overdue > 0 || u.ratings.dissatisfied > 0);
  const next: ReportBlock[] = [
    { h: 2, text: '四、下一步工作' },
    attention.length
      ? {
          items: attention.map((u) => ({
            lead: `${unitName(u.unit)}：`,
            text:
              [
                u.overdue ? `超期未办${u.overdue}件（${overdueOf(stats, u.unit)}）` : '',
                u.ratings.dissatisfied ? `提案人不满意${u.ratings.dissatisfied}人次` : '',
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

  const weights = city.weights ?? defaultWeights;
  const table: ReportBlock[] = [
    { h: 2, text: '附表一：各承办单位办理情况' },
    {
      head: ['承办单位', '主办', '协办', '已办复', '办复率', '按时办复率', '面商率', '超期', '满意', '基本满意', '不满意'],
      rows: stats.byUnit.map((u) => [
        unitName(u.unit),
        `${u.assigned}`,
        `${u.co}`,
        `${u.answered}`,
        pct(u.replyRate),
        pct(u.onTimeReplyRate),
        pct(u.faceToFaceRate),
        `${u.overdue}`,
        `${u.ratings.satisfied}`,
        `${u.ratings.basically_satisfied}`,
        `${u.ratings.dissatisfied}`,
      ]),
    },
    {
      chart: '各主办单位办复率',
      bars: leads.map((u) => ({ label: unitName(u.unit), value: u.replyRate, note: `${u.answered}/${u.assigned}` })),
    },
    { h: 2, text: '附表二：各承办单位办理考评' },
    {
      p:
        `得分 = 各项比率按权重加权（${assessmentKeys.map((k) => `${assessmentNames[k]}${weights[k]}`).join('、')}）后折合百分制；` +
        '某项无可计数的提案时不计入。未达标事项列出相应案号。',
    },
    {
      head: ['承办单位', ...assessmentKeys.map((k) => assessmentNames[k]), '得分', '未达标事项'],
      rows: stats.assessment.map((a) => [
        unitName(a.unit),
        ...assessmentKeys.map((k) => pct(a.rates[k])),
        a.score === null ? '—' : a.score.toFixed(1),
        assessmentKeys
          .filter((k) => a.sources[k].missed.length)
          .map((k) => `${assessmentNames[k]}：${[...new Set(a.sources[k].missed)].join('、')}`)
          .join('；') || '无',
      ]),
    },
  ];
  return { title, blocks: [{ h: 1, text: title }, ...basics, ...practice, ...results, ...next, ...table] };
}

/** A table of 界别 or theme rows: cases, answered, the rates. */
function groupTable(label: string, rows: [string, GroupRow][]): ReportBlock {
  return {
    head: [label, '立案', '已办复', '办结率', '按时办复率', '满意率', '基本满意率'],
    rows: rows.map(([name, g]) => [
      name,
      `${g.registered}`,
      `${g.answered}`,
      pct(g.completionRate),
      pct(g.onTimeReplyRate),
      pct(g.satisfactionRate),
      pct(g.basicSatisfactionRate),
    ]),
  };
}

/** 答复审核: the office's own review time, apart from the units' 按时办复. */
function reviewText(s: Statistics): string {
  const o = s.officeReview;
  if (!o.reviews) return '本年度暂无答复审核记录。';
  const avg = o.averageWorkdays === null ? '' : `，平均用时${Number(o.averageWorkdays.toFixed(1))}个工作日`;
  const late = o.late ? `超过审核期限${o.late}件次（${o.lateNumbers.join('、')}）` : '均未超过审核期限';
  return `政府办审核承办单位答复${o.reviews}件次（已审结${o.decided}件次${avg}${o.open ? `，审核中${o.open}件次` : ''}），${late}；审核用时不计入承办单位按时办复。`;
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
  const leads = leadUnits(p);
  const who =
    `提案人：${p.proposers.map((x) => x.name).join('、')}；` +
    (leads.length > 1 ? `分办：${leads.map((u) => city.unitName(u)).join('、')}` : `主办：${p.lead ? city.unitName(p.lead) : '待定'}`) +
    (p.co.length ? `；协办：${p.co.map((u) => city.unitName(u)).join('、')}` : '');
  if (leads.length > 1) {
    // 分办: each unit's part, its answer and its ratings.
    const parts = leads.map((u) => {
      const part = partView(p, u);
      return `${city.unitName(u)}：${outcomeText(part, city)}`;
    });
    return { lead: `${p.number} ${p.title}`, text: `（${who}）${parts.join(' ')}` };
  }
  return { lead: `${p.number} ${p.title}`, text: `（${who}）${outcomeText(p, city)}` };
}

/** The answer (class and an excerpt), whether re-handled, and the ratings of one part (or a whole single-lead proposal). */
function outcomeText(p: Proposal, city: ReportCity): string {
  const reply = latestApproved(p);
  const ratings = lastRatings(p);
  const rated = ratings.length
    ? `提案人评价：满意${ratings.filter((s) => s === 'satisfied').length}、基本满意${ratings.filter((s) => s === 'basically_satisfied').length}、不满意${ratings.filter((s) => s === 'dissatisfied').length}。`
    : '';
  const result = reply
    ? `${reply.replyClass}类（${replyClassName(reply.replyClass, city.classes)}）：${cut(reply.text, REPLY_EXCERPT)}`
    : `${statusNames[p.status]}。`;
  return `${result}${p.rehandles ? '（经重新办理）' : ''}${rated ? ` ${rated}` : ''}`;
}
