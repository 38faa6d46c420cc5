/** Chinese names of the API's enums (UI text only; the values come from the API). */
import type { Role } from '../auth/session';

export const statusNames: Record<string, string> = {
  submitted: '已提交',
  registered: '已立案',
  rejected: '不予立案',
  merged: '已并案',
  triage: '待交办',
  assigned: '已交办',
  in_progress: '办理中',
  reply_review: '答复审核中',
  replied: '已答复',
  rehandling: '重新办理',
  closed: '已办结',
  withdrawn: '已撤回',
};

/** The national four reply classes (答复分类): the fallback while GET /v1/me (the city's own classes) is not loaded. */
export const replyClassNames: Record<string, string> = {
  A: '所提问题已经解决或基本解决',
  B: '所提问题正在解决或已列入计划逐步解决',
  C: '所提问题因条件限制或其他原因需待以后解决',
  D: '所提问题因法律法规政策限制等原因无法解决，留作参考',
};

/** A reply class of the city (GET /v1/me `replies.classes`). */
export interface ReplyClass {
  code: string;
  name: string;
  followUp?: boolean;
}

/** The city's name of a reply class, else the national one, else the code itself. */
export function replyClassName(code: string, classes?: readonly ReplyClass[]): string {
  return classes?.find((c) => c.code === code)?.name ?? nameOf(replyClassNames, code);
}

/** `B类：所提问题正在解决…`: a class as the console shows it. */
export const replyClassLabel = (code: string, classes?: readonly ReplyClass[]): string => `${code}类：${replyClassName(code, classes)}`;

/** The classes to choose from: the city's, else the national four. */
export function replyClassList(classes?: readonly ReplyClass[]): ReplyClass[] {
  return classes?.length ? [...classes] : Object.entries(replyClassNames).map(([code, name]) => ({ code, name }));
}

/** 公开属性 of a reply letter (办理结果公开). */
export const disclosureNames: Record<string, string> = { public: '公开', on_request: '依申请公开', private: '不予公开' };

export const contactModeNames: Record<string, string> = {
  face_to_face: '当面',
  phone: '电话',
  visit: '走访',
  letter: '信函',
  online: '网络',
};

export const satisfactionNames: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

export const roleNames: Record<Role, string> = {
  office: '政府办',
  leader: '分管领导',
  unit: '承办单位',
  member: '委员',
  committee: '提案委员会',
};

/** The top bar's identity: `<name> · <role>`, or the role alone when the name is the role (分管领导). */
export function identityLine(name: string, role: Role): string {
  const roleName = roleNames[role];
  const n = name.trim();
  return !n || n === roleName ? roleName : `${n} · ${roleName}`;
}

export const obligationNames: Record<string, string> = {
  acknowledge: '签收',
  objection: '申请调整',
  objectionDecision: '申请调整审核',
  contact: '面商联系',
  coOpinion: '会签意见',
  reply: '答复',
  feedback: '评价',
  rehandle: '重新办理',
  followUp: '跟踪落实',
  extensionDecision: '延期审批',
  instruction: '批示签收',
  replyReview: '答复审核',
  countersign: '答复会签',
};

export const supervisionModeNames: Record<string, string> = { onsite: '实地督查', phone: '电话督办', meeting: '座谈' };

export const replyStatusNames: Record<string, string> = {
  draft: '草稿',
  signing: '待签发',
  countersign: '会签中',
  review: '审核中',
  approved: '已通过',
  returned: '已退回',
};

export const lightNames: Record<string, string> = { green: '绿', yellow: '黄', red: '红' };

/** Each audit-trail event type, as a clerk would say it. */
export const eventNames: Record<string, string> = {
  ProposalSubmitted: '提交提案',
  ProposalRegistered: '立案',
  ProposalAssigned: '交办',
  ProposalTriaged: '待人工交办',
  SimilarProposalsFound: '发现相似提案',
  ProposalRejected: '不予立案',
  ProposalMerged: '并案',
  ProposalAbsorbed: '并入其他提案',
  AssignmentChanged: '调整承办单位',
  UnitAcknowledged: '签收',
  UnitObjected: '申请调整',
  ObjectionDeclined: '维持原交办',
  CoOpinionGiven: '协办意见',
  ContactRecorded: '联系记录',
  ReplyDrafted: '起草答复',
  ReplySubmitted: '提交答复',
  ReplySigned: '签发答复',
  ReplyCountersigned: '会签答复',
  ReplyApproved: '答复审核通过',
  ReplyReturned: '答复退回',
  FeedbackGiven: '满意度评价',
  RehandlingStarted: '重新办理',
  ProposalClosed: '办结',
  ProgressReported: '跟踪进展',
  CosignAnswered: '联名确认',
  ReplyDeadlineExtended: '延期',
  ReminderDue: '办理提醒',
  Escalated: '催办督办',
  NoticeFailed: '通知发送失败',
  RecipientSuppressed: '收件人已屏蔽',
  SupervisionRecorded: '督办记录',
  ExtensionRequested: '申请延期',
  ExtensionDecided: '延期审批',
  ProposalEdited: '修改提案',
  ProposalWithdrawn: '撤回提案',
  KeyProposalSet: '重点提案',
  InstructionGiven: '领导批示',
  InstructionAcknowledged: '签收批示',
  ReturnedToCommittee: '退回提案委员会',
};

export const actorRoleNames: Record<string, string> = { ...roleNames, system: '系统' };

/** A name from a table, or the value itself when the table does not know it. */
export const nameOf = (table: Record<string, string>, v: string | undefined): string => (v === undefined ? '' : (table[v] ?? v));
