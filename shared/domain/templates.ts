/**
 * Email templates (通知模板): one short function per notice kind turns the notice's vars into a
 * small document (paragraphs, fields, quoted text, links, one table); `layout` renders that document
 * as the subject, the text part and the HTML part. Pure: no I/O.
 *
 * Safety lives in `layout` alone, so no kind function can forget it:
 * - every value is HTML-escaped in the HTML part (kind functions never write HTML);
 * - the subject has control characters (CR, LF, NEL, U+2028/9...) collapsed to one space and is cut
 *   to SUBJECT_MAX characters (the title first, with …), so a title cannot inject mail headers;
 * - a link is rendered as <a href> only when it parses as an http(s) URL; otherwise it is shown as text.
 *
 * Vars per kind (validated with `noticeVarsSchemas` before rendering; `unit` is a unit id, its name
 * comes from the city; dates are YYYY-MM-DD):
 * - assignment     交办通知 to a unit: number, title, unit, role lead|co, deadlines {acknowledge?, objection?,
 *                  contact? (lead), coOpinion? (co), reply? (lead)}, matchedKeywords, proposers (names), proposalId
 * - triage         无法自动交办 to the office: number, title, proposalId, reason
 * - objection      申请调整 to the office: number, title, unit, reason, proposalId
 * - objectionDeclined 维持原交办 to the objecting unit: number, title, unit, reason? (the office's),
 *                  deadline? (its new 签收 deadline; absent when it has signed), proposalId
 * - reassignment   交办调整 to a unit: number, title, unit, change removed|added, role?, reason?, proposalId
 * - reminder       办理提醒: number, title, unit?, obligation, deadline, daysLeft, proposalId
 * - escalation     催办 (1) / 督办 (2) / 报分管领导 (3): number, title, unit?, obligation, deadline, level,
 *                  daysOverdue, proposalId
 * - replyApproved  答复 to one proposer: number, title, unit, replyClass A-D, replyText, proposerName,
 *                  feedbackUrl (the proposer's own link), feedbackDeadline, rehandlePossible? (false: last round)
 * - feedbackReminder 评价提醒 to one proposer who has not rated yet: number, title, unit, proposerName,
 *                  feedbackUrl (their own link), feedbackDeadline, daysLeft
 * - replyReturned  答复退回 to the unit: number, title, unit, reason, proposalId
 * - rehandling     重新办理 to the unit: number, title, unit, deadline, comment? (the proposer's), proposalId
 * - closed         办结: number, title, proposalId, followUp (B/C: 跟踪落实 continues)
 * - bulletin       通报: period (e.g. "2026年3月"), rows {unit, unitName, overdue, onTimeRate 0..1|null, open},
 *                  best (unit ids)
 * - deliveryFailed 通知发送失败 to the office: failedKind, noticeId, to (addresses), reason,
 *                  number?, title?, proposalId? (when the failed notice was about a proposal)
 */
import * as z from '#shared/zod.ts';
import { noticeKinds, type Notice, type NoticeKind } from '#events/notices.ts';
import { formatPath } from '#domain/city-config.ts';
import type { Obligation as WorkflowObligation } from '#domain/workflow.ts';

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
}

// ---- vars ----

// Every schema here is built on first use (z.lazy): a function renders a few kinds per cold start.
const text = z.lazy(() => z.string().check(z.minLength(1, 'empty')));
const date = z.lazy(() => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date (YYYY-MM-DD)')));
const count = z.lazy(() => z.int().check(z.nonnegative()));
const role = z.lazy(() => z.enum(['lead', 'co']));
const proposal = { number: text, title: text, proposalId: text };

/** The obligations reminders and escalations are about (the objection window has no timer). */
export const obligations = ['acknowledge', 'objectionDecision', 'contact', 'coOpinion', 'reply', 'feedback', 'rehandle', 'followUp'] as const;
export type Obligation = (typeof obligations)[number];
/** Every obligation's name (in emails, calendar warnings and the annual report). */
export const obligationNames: Record<WorkflowObligation, string> = {
  acknowledge: '签收',
  objection: '申请调整',
  objectionDecision: '申请调整审核',
  contact: '面商联系',
  coOpinion: '会签意见',
  reply: '答复',
  feedback: '评价',
  rehandle: '重新办理',
  followUp: '跟踪落实',
};
/** A rate as a percentage, one decimal at most; a rate below 1 never shows as 100%, one above 0 never as 0%. */
export function pct(r: number | null): string {
  if (r === null) return '—';
  const shown = Number((r * 100).toFixed(1));
  if (r < 1 && shown >= 100) return `${Math.floor(r * 1000) / 10}%`;
  if (r > 0 && shown <= 0) return `${Math.ceil(r * 1000) / 10}%`;
  return `${shown}%`;
}

/** Each notice kind's name (in the office's delivery-failure notice). */
export const noticeKindNames: Record<NoticeKind, string> = {
  assignment: '交办通知',
  triage: '待人工交办',
  objection: '申请调整',
  objectionDeclined: '维持原交办',
  reassignment: '交办调整',
  reminder: '办理提醒',
  escalation: '催办督办通知',
  replyApproved: '提案答复',
  feedbackReminder: '评价提醒',
  replyReturned: '答复退回',
  rehandling: '重新办理通知',
  closed: '办结通知',
  bulletin: '办理情况通报',
  reviewResult: '立案审查结果',
  replyForReview: '答复待审核',
  deliveryFailed: '通知发送失败',
};
export const replyClassNames = {
  A: '所提问题已经解决或基本解决',
  B: '列入计划拟解决',
  C: '因条件限制暂时难以解决',
  D: '留作参考',
} as const;

const schemas = {
  assignment: z.lazy(() => z.object({
    ...proposal,
    unit: text,
    role,
    deadlines: z.object({ acknowledge: z.optional(date), objection: z.optional(date), contact: z.optional(date), coOpinion: z.optional(date), reply: z.optional(date) }),
    matchedKeywords: z.array(z.string()),
    proposers: z.array(text),
  })),
  triage: z.lazy(() => z.object({ ...proposal, reason: text })),
  objection: z.lazy(() => z.object({ ...proposal, unit: text, reason: text })),
  objectionDeclined: z.lazy(() => z.object({ ...proposal, unit: text, reason: z.optional(z.string()), deadline: z.optional(date) })),
  reassignment: z.lazy(() => z.object({ ...proposal, unit: text, change: z.enum(['removed', 'added']), role: z.optional(role), reason: z.optional(z.string()) })),
  reminder: z.lazy(() => z.object({ ...proposal, unit: z.optional(text), obligation: z.enum(obligations), deadline: date, daysLeft: count })),
  escalation: z.lazy(() => z.object({
    ...proposal,
    unit: z.optional(text),
    obligation: z.enum(obligations),
    deadline: date,
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    daysOverdue: count,
  })),
  replyApproved: z.lazy(() => z.object({
    number: text,
    title: text,
    unit: text,
    replyClass: z.enum(['A', 'B', 'C', 'D']),
    replyText: text,
    proposerName: text,
    feedbackUrl: text,
    feedbackDeadline: date,
    /** false on the last round: a 不满意 then closes the proposal (absent: an older notice, worded as before). */
    rehandlePossible: z.optional(z.boolean()),
  })),
  feedbackReminder: z.lazy(() => z.object({ number: text, title: text, unit: text, proposerName: text, feedbackUrl: text, feedbackDeadline: date, daysLeft: count })),
  replyReturned: z.lazy(() => z.object({ ...proposal, unit: text, reason: text })),
  rehandling: z.lazy(() => z.object({ ...proposal, unit: text, deadline: date, comment: z.optional(z.string()) })),
  closed: z.lazy(() => z.object({ ...proposal, followUp: z.boolean() })),
  reviewResult: z.lazy(() => z.object({ ...proposal, decision: z.enum(['rejected', 'merged']), reason: z.optional(z.string()), intoNumber: z.optional(z.string()), intoTitle: z.optional(z.string()) })),
  replyForReview: z.lazy(() => z.object({ ...proposal, unit: text, replyClass: z.enum(['A', 'B', 'C', 'D']), round: count })),
  deliveryFailed: z.lazy(() => z.object({
    failedKind: z.enum(noticeKinds),
    noticeId: text,
    to: z.array(z.string()),
    reason: text,
    number: z.optional(text),
    title: z.optional(text),
    proposalId: z.optional(text),
  })),
  bulletin: z.lazy(() => z.object({
    period: text,
    rows: z.array(z.object({ unit: text, unitName: text, overdue: count, onTimeRate: z.nullable(z.number().check(z.gte(0), z.lte(1))), open: count })),
    best: z.array(z.string()),
  })),
};

export type NoticeVarsMap = { [K in NoticeKind]: z.output<(typeof schemas)[K]> };
export const noticeVarsSchemas: { [K in NoticeKind]: z.ZodMiniType<NoticeVarsMap[K]> } = schemas;
export type AssignmentVars = NoticeVarsMap['assignment'];
export type TriageVars = NoticeVarsMap['triage'];
export type ObjectionVars = NoticeVarsMap['objection'];
export type ReassignmentVars = NoticeVarsMap['reassignment'];
export type ReminderVars = NoticeVarsMap['reminder'];
export type EscalationVars = NoticeVarsMap['escalation'];
export type ReplyApprovedVars = NoticeVarsMap['replyApproved'];
export type ReplyReturnedVars = NoticeVarsMap['replyReturned'];
export type RehandlingVars = NoticeVarsMap['rehandling'];
export type ClosedVars = NoticeVarsMap['closed'];
export type BulletinVars = NoticeVarsMap['bulletin'];

/** The notice's vars do not fit its kind: a bug in whoever made the notice, not worth a retry. */
export class NoticeVarsError extends Error {
  constructor(
    readonly kind: NoticeKind,
    readonly fields: string[],
    detail: string,
  ) {
    super(`invalid vars for notice kind "${kind}": ${detail}`);
    this.name = 'NoticeVarsError';
  }
}

export function renderNotice(notice: Notice, city: TemplateCity): RenderedMail {
  return render(notice.kind, notice.vars, city);
}

function render<K extends NoticeKind>(kind: K, raw: unknown, city: TemplateCity): RenderedMail {
  const parsed = noticeVarsSchemas[kind].safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => formatPath(i.path));
    const detail = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
    throw new NoticeVarsError(kind, fields, detail);
  }
  return layout(templates[kind](parsed.data, city), city);
}

// ---- the document a template produces ----

type Block =
  | { p: string; strong?: boolean }
  | { fields: [label: string, value: string | undefined][] }
  | { quote: string; label: string }
  | { link: string; label: string }
  | { table: string[][]; head: string[] };

interface Doc {
  /** The kind's name in the subject and heading, e.g. 交办通知. */
  label: string;
  /** After the label: `2026-001 关于…` (the title is cut in the subject) or a period. */
  topic: { number: string; title: string } | string;
  greeting: string;
  blocks: Block[];
}

// ---- one function per kind ----

type Templates = { [K in NoticeKind]: (v: NoticeVarsMap[K], city: TemplateCity) => Doc };
const roleName = { lead: '主办', co: '协办' } as const;
/** 2026-03-09 -> 2026年3月9日 */
export const chineseDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const cn = chineseDate;
const ref = (v: { number: string; title: string }) => `${v.number}号提案《${v.title}》`;
const topic = (v: { number: string; title: string }) => ({ number: v.number, title: v.title });
const view = (city: TemplateCity, id: string): Block => ({ label: '查看提案', link: `${city.linkBase.replace(/\/+$/, '')}/v1/proposals/${encodeURIComponent(id)}` });

const templates: Templates = {
  assignment: (v, city) => {
    const { acknowledge, objection, contact, coOpinion, reply } = v.deadlines;
    const by = (d: string | undefined) => (d ? `于${cn(d)}前` : '尽快');
    const lead = v.role === 'lead';
    return {
      label: '交办通知',
      topic: topic(v),
      greeting: `${city.unitName(v.unit)}：`,
      blocks: [
        lead
          ? { p: `经审查，${ref(v)}交由你单位主办。请你单位牵头办理，加强与协办单位的沟通协调，与提案人面商，并负责答复提案人。` }
          : { p: `经审查，${ref(v)}交由你单位协办。请你单位积极配合主办单位办理，并按时向主办单位提出会签意见。` },
        {
          fields: [
            ['提案编号', v.number],
            ['提案标题', v.title],
            ['提案人', v.proposers.join('、') || undefined],
            ['办理方式', roleName[v.role]],
            ['签收期限', acknowledge && cn(acknowledge)],
            ['申请调整期限', objection && cn(objection)],
            lead ? ['面商联系期限', contact && cn(contact)] : ['会签意见期限', coOpinion && cn(coOpinion)],
            [lead ? '答复期限' : '主办单位答复期限', reply && cn(reply)],
            ['匹配关键词', v.matchedKeywords.join('、') || undefined],
          ],
        },
        {
          p: `下一步：请${by(acknowledge)}登录系统签收，${lead ? `${by(contact)}与提案人面商联系` : `${by(coOpinion)}向主办单位提出会签意见`}。如认为该提案不属于你单位职责范围，请${by(objection)}提出调整申请并说明理由。`,
          strong: true,
        },
        view(city, v.proposalId),
      ],
    };
  },
  triage: (v, city) => ({
    label: '待人工交办',
    topic: topic(v),
    greeting: '提案工作人员：',
    blocks: [
      { p: `${ref(v)}无法自动交办，请人工指定主办单位和协办单位。` },
      { quote: v.reason, label: '原因' },
      { ...view(city, v.proposalId), label: '前往交办' },
    ],
  }),
  objection: (v, city) => ({
    label: '申请调整',
    topic: topic(v),
    greeting: '提案工作人员：',
    blocks: [
      { p: `${city.unitName(v.unit)}对${ref(v)}的交办提出调整申请，请审核后重新交办或维持原交办。` },
      { quote: v.reason, label: '申请理由' },
      view(city, v.proposalId),
    ],
  }),
  objectionDeclined: (v, city) => ({
    label: '维持原交办',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      { p: `你单位对${ref(v)}提出的调整申请，经审核，决定维持原交办，仍由你单位按原交办承办。` },
      ...(v.reason ? [{ quote: v.reason, label: '审核意见' }] : []),
      { fields: [['提案编号', v.number], ['提案标题', v.title], ['签收期限', v.deadline && cn(v.deadline)]] },
      { p: v.deadline ? `下一步：请于${cn(v.deadline)}前登录系统签收，并按期办理。` : '下一步：你单位已签收，请按期办理。', strong: true },
      view(city, v.proposalId),
    ],
  }),
  reassignment: (v, city) => ({
    label: '交办调整',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      v.change === 'removed'
        ? { p: `${ref(v)}的交办已调整，你单位不再${v.role ? `作为${roleName[v.role]}单位` : ''}承办该提案，无需继续办理。` }
        : { p: `${ref(v)}的交办已调整，现增加你单位为${v.role ? roleName[v.role] : '承办'}单位，请尽快登录系统签收并办理。` },
      ...(v.reason ? [{ quote: v.reason, label: '调整原因' }] : []),
      view(city, v.proposalId),
    ],
  }),
  reminder: (v, city) => {
    const duty = obligationNames[v.obligation];
    const left = v.daysLeft === 0 ? '今天到期' : `距到期还有${v.daysLeft}天`;
    return {
      label: '办理提醒',
      topic: topic(v),
      greeting: v.unit ? `${city.unitName(v.unit)}：` : '您好：',
      blocks: [
        { p: `${ref(v)}的${duty}期限为${cn(v.deadline)}，${left}。请按时完成${duty}。` },
        { fields: [['提案编号', v.number], ['提案标题', v.title], ['办理事项', duty], ['办理期限', cn(v.deadline)]] },
        view(city, v.proposalId),
      ],
    };
  },
  escalation: (v, city) => {
    const duty = obligationNames[v.obligation];
    const who = v.unit ? city.unitName(v.unit) : '承办单位';
    const late = `${ref(v)}的${duty}已于${cn(v.deadline)}到期，目前已逾期${v.daysOverdue}天`;
    const words = {
      1: { label: '催办通知', p: `${late}。请抓紧办理，尽快完成${duty}。` },
      2: { label: '督办通知', p: `${late}，经催办仍未完成，现予督办。请${who}高度重视，立即完成${duty}，并书面说明逾期原因。` },
      3: { label: '督办通知（报分管领导）', p: `${late}，经催办、督办仍未完成，现报请分管领导督促办理。请${who}主要负责同志亲自过问，立即落实，并书面说明逾期原因。` },
    }[v.level];
    return {
      label: words.label,
      topic: topic(v),
      greeting: v.unit ? `${who}：` : '您好：',
      blocks: [
        { p: words.p, strong: v.level > 1 },
        { fields: [['提案编号', v.number], ['提案标题', v.title], ['承办单位', v.unit && who], ['办理事项', duty], ['逾期天数', `${v.daysOverdue}天`]] },
        view(city, v.proposalId),
      ],
    };
  },
  replyApproved: (v, city) => ({
    label: '提案答复',
    topic: topic(v),
    greeting: `尊敬的${v.proposerName}：`,
    blocks: [
      { p: `您提出的${ref(v)}已由${city.unitName(v.unit)}办理答复，经审核，现将答复转送给您。` },
      { fields: [['答复单位', city.unitName(v.unit)], ['答复类别', `${v.replyClass}类（${replyClassNames[v.replyClass]}）`]] },
      { quote: v.replyText, label: '答复内容' },
      {
        p: `请于${cn(v.feedbackDeadline)}前对办理结果作出评价：满意、基本满意或不满意。您的评价是考核承办单位的重要依据${v.rehandlePossible === false ? '。本次答复为最终答复，评价后提案即办结' : '；如不满意，承办单位将重新办理'}。`,
        strong: true,
      },
      { link: v.feedbackUrl, label: '评价办理结果' },
      { p: '此链接仅供您本人使用，请勿转发。' },
    ],
  }),
  feedbackReminder: (v, city) => ({
    label: '评价提醒',
    topic: topic(v),
    greeting: `尊敬的${v.proposerName}：`,
    blocks: [
      {
        p: `${city.unitName(v.unit)}对您提出的${ref(v)}的办理答复已转送给您，请于${cn(v.feedbackDeadline)}前对办理结果作出评价（${v.daysLeft === 0 ? '今天到期' : `距到期还有${v.daysLeft}天`}）。逾期未评价的，提案按期办结。`,
        strong: true,
      },
      { link: v.feedbackUrl, label: '评价办理结果' },
      { p: '此链接仅供您本人使用，请勿转发。如您已作出评价，请忽略本邮件。' },
    ],
  }),
  reviewResult: (v, city) => ({
    label: v.decision === 'rejected' ? '不予立案通知' : '并案处理通知',
    topic: topic(v),
    greeting: '尊敬的提案人：',
    blocks: [
      v.decision === 'rejected'
        ? { p: `您提出的${ref(v)}经审查，不予立案。感谢您对政府工作的关心和支持。` }
        : { p: `您提出的${ref(v)}与${v.intoNumber ?? ''}号提案${v.intoTitle ? `《${v.intoTitle}》` : ''}内容相近，经审查并案办理。您将作为该提案的提案人收到办理答复。` },
      ...(v.reason?.trim() ? [{ quote: v.reason, label: v.decision === 'rejected' ? '不予立案理由' : '并案说明' }] : []),
      view(city, v.proposalId),
    ],
  }),
  replyForReview: (v, city) => ({
    label: '答复待审核',
    topic: topic(v),
    greeting: '提案工作人员：',
    blocks: [
      { p: `${city.unitName(v.unit)}已提交${ref(v)}的${v.round > 1 ? '重新办理' : ''}答复（${v.replyClass}类），请及时审核：通过后答复将发送提案人，或退回并说明理由。` },
      { ...view(city, v.proposalId), label: '审核答复' },
    ],
  }),
  replyReturned: (v, city) => ({
    label: '答复退回',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      { p: `你单位对${ref(v)}的答复经审核未予通过，现予退回。请按以下意见修改后重新提交。` },
      { quote: v.reason, label: '退回原因' },
      view(city, v.proposalId),
    ],
  }),
  rehandling: (v, city) => ({
    label: '重新办理通知',
    topic: topic(v),
    greeting: `${city.unitName(v.unit)}：`,
    blocks: [
      { p: `提案人对${ref(v)}的办理结果不满意。请你单位重新办理，再次与提案人沟通，并于${cn(v.deadline)}前重新答复。`, strong: true },
      ...(v.comment ? [{ quote: v.comment, label: '提案人意见' }] : []),
      view(city, v.proposalId),
    ],
  }),
  closed: (v, city) => ({
    label: '办结通知',
    topic: topic(v),
    greeting: '您好：',
    blocks: [
      { p: `${ref(v)}已办结。` },
      { p: v.followUp ? '所提问题尚在落实中，承办单位将继续跟踪落实，并按期报告进展情况。' : '感谢您对提案办理工作的支持。' },
      view(city, v.proposalId),
    ],
  }),
  deliveryFailed: (v, city) => {
    const kind = noticeKindNames[v.failedKind];
    const about = v.number && v.title ? { number: v.number, title: v.title } : undefined;
    return {
      label: '通知发送失败',
      topic: about ?? kind,
      greeting: '提案工作人员：',
      blocks: [
        { p: `${about ? `${ref(about)}的` : ''}“${kind}”邮件未能送达，系统已停止重试。请核实收件地址，并通过电话等方式通知收件人；如地址有误，请更正城市配置中的邮箱。`, strong: true },
        { fields: [['通知类型', kind], ['收件人', v.to.join('、') || undefined], ['通知编号', v.noticeId]] },
        { quote: v.reason, label: '失败原因' },
        ...(v.proposalId ? [view(city, v.proposalId)] : []),
      ],
    };
  },
  bulletin: (v, city) => {
    const names = new Map(v.rows.map((r) => [r.unit, r.unitName]));
    const best = v.best.map((id) => names.get(id) ?? city.unitName(id));
    return {
      label: '办理情况通报',
      topic: v.period,
      greeting: '各位领导、提案工作人员：',
      blocks: [
        { p: `现将${v.period}提案办理情况通报如下。` },
        v.rows.length
          ? { head: ['承办单位', '未办结', '逾期', '按时办结率'], table: v.rows.map((r) => [r.unitName, `${r.open}`, `${r.overdue}`, pct(r.onTimeRate)]) }
          : { p: '本期暂无办理数据。' },
        ...(best.length ? [{ p: `按时办结率较高的单位：${best.join('、')}，予以通报表扬。` }] : []),
        { p: '请督促逾期单位高度重视，抓紧办理。' },
      ],
    };
  },
};

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

function layout(doc: Doc, city: TemplateCity): RenderedMail {
  const prefix = `【${oneLine(city.name)}提案办理】${oneLine(doc.label)}：`;
  const about = typeof doc.topic === 'string' ? oneLine(doc.topic) : `${oneLine(doc.topic.number)} ${cut(oneLine(doc.topic.title), TITLE_MAX)}`;
  const subject = cut(prefix + about, SUBJECT_MAX);
  const heading = typeof doc.topic === 'string' ? doc.topic : `${doc.topic.number} ${doc.topic.title}`;
  const footer = `本邮件由${city.name}提案办理系统自动发送，请勿直接回复。`;

  const text = [`${oneLine(doc.label)}：${oneLine(heading)}`, oneLine(doc.greeting), ...doc.blocks.map(blockText), `——\n${oneLine(footer)}`];
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
  if ('fields' in b) return present(b.fields).map(([k, v]) => `${k}：${oneLine(v)}`).join('\n');
  if ('quote' in b) return `${b.label}：\n${multiLine(b.quote).replace(/^(?=.)/gm, '    ')}`;
  if ('link' in b) return `${b.label}：${httpUrl(b.link) ?? oneLine(b.link)}`;
  return [b.head, ...b.table].map((row) => row.map(oneLine).join(' | ')).join('\n');
}

function blockHtml(b: Block): string {
  if ('p' in b) return `<p${b.strong ? ' style="font-weight:bold"' : ''}>${esc(oneLine(b.p))}</p>`;
  if ('fields' in b) {
    const rows = present(b.fields).map(([k, v]) => `<tr><th style="${css.cell};width:9em;background:#fafafa">${esc(k)}</th><td style="${css.cell}">${esc(oneLine(v))}</td></tr>`);
    return `<table style="border-collapse:collapse;width:100%;margin:8px 0 14px">${rows.join('')}</table>`;
  }
  if ('quote' in b) return `<div style="color:#555">${esc(b.label)}：</div><div style="${css.quote}">${esc(multiLine(b.quote))}</div>`;
  if ('link' in b) {
    const url = httpUrl(b.link);
    return url
      ? `<p><a href="${esc(url)}" style="${css.button}">${esc(b.label)}</a></p><p style="font-size:12px;color:#888;word-break:break-all">${esc(url)}</p>`
      : `<p>${esc(b.label)}：${esc(b.link)}</p>`;
  }
  const row = (cells: string[], tag: string) => `<tr>${cells.map((c) => `<${tag} style="${css.cell}">${esc(oneLine(c))}</${tag}>`).join('')}</tr>`;
  return `<table style="border-collapse:collapse;width:100%;margin:8px 0 14px"><thead style="background:#fafafa">${row(b.head, 'th')}</thead><tbody>${b.table.map((r) => row(r, 'td')).join('')}</tbody></table>`;
}

const present = (fields: [string, string | undefined][]) => fields.filter((f): f is [string, string] => f[1] !== undefined);

function esc(s: string): string {
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return stripControls(s).replace(/[&<>"']/g, (c) => map[c] ?? c);
}

/** Line breaks and other control characters (incl. NEL, U+2028/9, bidi overrides) become one space. */
function oneLine(s: string): string {
  return s.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu, ' ').replace(/ {2,}/g, ' ').trim();
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
