/**
 * The glossary (术语): the Chinese names of the domain's codes, one place for all of them, used in
 * emails, pages, reports, warnings and exports; and the two ways numbers and dates are written in
 * Chinese text (pct, chineseDate). Pure data and formatting, no I/O.
 */
import type { NoticeKind } from '#events/notices.ts';
import type { Satisfaction } from '#events/domain-events.ts';
import { defaultReplyClasses } from '#domain/reply-classes.ts';
import type { Status, SupervisionMode } from '#domain/proposal.ts';
import type { Obligation } from '#domain/workflow.ts';

/** Every obligation's name (in emails, calendar warnings and the annual report). */
export const obligationNames: Record<Obligation, string> = {
  acknowledge: '签收',
  objection: '申请调整',
  objectionDecision: '申请调整审核',
  replyReview: '答复审核',
  countersign: '答复会签',
  contact: '面商联系',
  coOpinion: '会签意见',
  reply: '答复',
  feedback: '评价',
  rehandle: '重新办理',
  followUp: '跟踪落实',
  instruction: '批示签收',
  extensionDecision: '延期审批',
};

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
  keyProposal: '重点提案领办通知',
  instruction: '领导批示',
  instructionAcknowledged: '批示已签收',
  returnedToCommittee: '退回提案委员会',
  cosignRequest: '联名确认',
  extensionRequested: '延期申请',
  extensionDecided: '延期审批结果',
  supervision: '督办记录',
  withdrawn: '撤案通知',
  replyForSignOff: '答复待签发',
  replyForCountersign: '答复待会签',
  secondReply: '二次答复',
};

/** The national reply classes (答复类别) A-D with their standard wording; a city may have its own (replyClassName). */
export const replyClassNames: Readonly<Record<string, string>> = Object.fromEntries(defaultReplyClasses.map((c) => [c.code, c.name]));

/** The name of a reply class: the city's (config replies.classes), else the national one, else the code. */
export function replyClassName(code: string, classes?: readonly { code: string; name: string }[]): string {
  return classes?.find((c) => c.code === code)?.name ?? replyClassNames[code] ?? code;
}

/** How the office supervised a unit (督办记录). */
export const supervisionModeNames = { onsite: '实地督查', phone: '电话督办', meeting: '座谈' } as const satisfies Record<
  SupervisionMode,
  string
>;

/** A unit's part in a proposal: 主办 (lead) or 协办 (co). */
export const roleNames = { lead: '主办', co: '协办' } as const;

/** A proposal's status. */
export const statusNames: Record<Status, string> = {
  submitted: '待审查',
  registered: '已立案',
  rejected: '不予立案',
  merged: '已并案',
  triage: '待交办',
  assigned: '已交办',
  in_progress: '办理中',
  reply_review: '答复审核中',
  replied: '已答复，待测评',
  rehandling: '重新办理中',
  closed: '已办结',
  withdrawn: '已撤回',
};

/** A proposer's rating of a reply (满意度). */
export const satisfactionNames = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' } as const satisfies Record<
  Satisfaction,
  string
>;

/** 2026-03-09 -> 2026年3月9日 */
export const chineseDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** A rate as a percentage, one decimal at most; a rate below 1 never shows as 100%, one above 0 never as 0%. */
export function pct(r: number | null): string {
  if (r === null) return '—';
  const shown = Number((r * 100).toFixed(1));
  if (r < 1 && shown >= 100) return `${Math.floor(r * 1000) / 10}%`;
  if (r > 0 && shown <= 0) return `${Math.ceil(r * 1000) / 10}%`;
  return `${shown}%`;
}
