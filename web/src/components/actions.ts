/**
 * The workflow's actions as the console offers them (docs/console.md's table: button, dialog fields
 * and submit labels). Which are offered is the API's `actions`; what they send is the API's body.
 */
import { replyOrdinal } from '../lib/reply-ordinal';
import { api, unwrap } from '../api/client';
import { ApiProblem } from '../api/problem';
import type { Action, ProposalView } from '../api/types';
import type { Identity } from '../auth';
import { localDate, wallTimeToIso, nowWallTime } from '../lib/format';
import {
  contactModeNames,
  disclosureNames,
  replyClassLabel,
  replyClassList,
  satisfactionNames,
  supervisionModeNames,
  type ReplyClass,
} from '../lib/labels';
import { keyProposalActionSpecs } from './key-proposal-actions';
import { memberActionSpecs } from './member-actions';

export type FieldKind = 'text' | 'textarea' | 'select' | 'multiselect' | 'radio' | 'date' | 'datetime' | 'switch';
export interface Option {
  value: string;
  label: string;
}
export interface Field {
  prop: string;
  label: string;
  kind: FieldKind;
  options?: Option[];
  required?: boolean;
  /** A select that also takes a typed value (e.g. a proposal id). */
  allowCreate?: boolean;
}
export interface ActionContext {
  view: ProposalView;
  identity: Identity;
  units: readonly { id: string; name: string }[];
  timeZone: string;
  /** The city's leaders (GET /v1/me): who may lead a key proposal (领办领导). */
  leaders?: readonly { name: string }[];
  /** The city's reply classes (GET /v1/me `replies.classes`); the national four when absent. */
  replyClasses?: readonly ReplyClass[];
  /** The signed-in person's name (GET /v1/me `identity.name`): the 签发人 a unit head signs as. */
  name?: string;
}
export type FormValue = string | string[] | boolean | undefined;
export type Form = Record<string, FormValue>;

export interface ActionSpec {
  button: (v: ProposalView) => string;
  /** Asked with 确定 instead of a dialog (签收). */
  confirm?: string;
  /** A line of explanation above the dialog's fields. */
  note?: (c: ActionContext) => string;
  fields?: (c: ActionContext) => Field[];
  initial?: (c: ActionContext) => Form;
  submit?: string;
  send: (c: ActionContext, f: Form) => Promise<ProposalView>;
}

const text = (v: FormValue): string => (typeof v === 'string' ? v.trim() : '');
/** An optional text: left out when empty. */
const opt = (v: FormValue): string | undefined => text(v) || undefined;
const options = (names: Record<string, string>): Option[] => Object.entries(names).map(([value, label]) => ({ value, label }));
const unitOptions = (c: ActionContext) => c.units.map((u) => ({ value: u.id, label: u.name }));
const id = (c: ActionContext) => ({ path: { id: c.view.id } });
const ownUnit = (c: ActionContext) => ({ path: { id: c.view.id, unit: c.identity.unit ?? '' } });
type Reply = ProposalView['replies'][number];
const unitLabel = (c: ActionContext, u: string) => c.units.find((x) => x.id === u)?.name ?? u;

/** The lead units: 分办 several (the first lead first), else the one lead. (`?? []`: a view from before 分办.) */
export const leadUnitsOf = (v: ProposalView): string[] => (v.leads?.length ? v.leads : v.lead ? [v.lead] : []);
/** Split between several lead units (分办), each answering its own part. */
export const isSplit = (v: ProposalView): boolean => (v.leads?.length ?? 0) > 1;

/** The replies under the office's review (分办: one per part may be). */
export const underReview = (v: ProposalView): Reply[] => v.replies.filter((r) => r.status === 'review');
/** The replies the office may return: under its review, or still with the co-units (会签). */
export const returnable = (v: ProposalView): Reply[] => v.replies.filter((r) => r.status === 'review' || r.status === 'countersign');
/**
 * The answers the member may rate: the latest approved reply of each lead unit (part) that this member
 * has not rated yet (the API offers `rate` while there is one).
 */
export function unratedAnswers(v: ProposalView, memberId: string | undefined): Reply[] {
  const latest = (u: string) => v.replies.filter((r) => r.unit === u && r.status === 'approved').sort((a, b) => b.n - a.n)[0];
  return leadUnitsOf(v)
    .map(latest)
    .filter((r): r is Reply => r !== undefined && !v.feedback.some((f) => f.n === r.n && f.memberId === memberId && !f.second));
}
const replyN = (c: ActionContext, r: Reply | undefined) => ({ path: { id: c.view.id, n: String(r?.n ?? '') } });
/** `第1次答复（交通运输局）`: the unit's own count (replyOrdinal). */
export const replyLabel = (c: ActionContext, r: Reply): string => `第${replyOrdinal(c.view.replies, r.n)}次答复（${unitLabel(c, r.unit)}）`;
/** Which reply a dialog acts on: a select when there is more than one to choose from (分办), else none. */
const replyChoice = (c: ActionContext, rs: Reply[], label = '答复'): Field[] =>
  rs.length > 1
    ? [{ prop: 'n', label, kind: 'select', required: true, options: rs.map((r) => ({ value: String(r.n), label: replyLabel(c, r) })) }]
    : [];
const firstChoice = (rs: Reply[]): Form => (rs.length > 1 ? { n: String(rs[0]?.n) } : {});
/** The reply chosen in the dialog (the only one when there is no choice); several and none chosen: the field says so. */
function chosenReply(rs: Reply[], f: Form): Reply | undefined {
  if (rs.length <= 1) return rs[0];
  const r = rs.find((x) => String(x.n) === text(f.n));
  if (!r) throw new ApiProblem(400, '请求无效', '', [{ path: 'n', message: '请选择答复' }]);
  return r;
}
/** The signed-in unit's own replies (分办: each lead unit answers its own part); all of them for other roles. */
const ownReplies = (c: ActionContext): Reply[] => {
  const unit = c.identity.role === 'unit' ? c.identity.unit : undefined;
  return unit ? c.view.replies.filter((r) => r.unit === unit) : c.view.replies;
};
/**
 * The reply the lead unit's form starts from: its draft (or the one waiting for 签发), else the one the
 * office returned last (to be corrected), else none. Only the unit's own replies (分办).
 */
function replyToEdit(c: ActionContext): Reply | undefined {
  const own = ownReplies(c);
  const inUnit = own.find((r) => r.status === 'draft' || r.status === 'signing');
  if (inUnit) return inUnit;
  const last = [...own].sort((a, b) => b.n - a.n)[0];
  return last?.status === 'returned' ? last : undefined;
}
/** The reply waiting for the signed-in head's 签发 (its own unit's). */
const toSign = (c: ActionContext) => ownReplies(c).find((r) => r.status === 'signing');
/** The reply in 会签 that the signed-in co-unit has not countersigned yet. */
const toCountersign = (c: ActionContext) =>
  c.view.replies.find((r) => r.status === 'countersign' && !(r.countersigns ?? []).some((x) => x.unit === c.identity.unit));
/** 分办: a select of the part (its lead unit) an office power acts on; none for a single lead. */
const partChoice = (c: ActionContext, label: string): Field[] =>
  isSplit(c.view)
    ? [
        {
          prop: 'unit',
          label,
          kind: 'select',
          required: true,
          options: leadUnitsOf(c.view).map((u) => ({ value: u, label: unitLabel(c, u) })),
        },
      ]
    : [];
/** The part's own deadline key: the first lead's plain name, the others' `<name>#<unit>`. */
const partKey = (v: ProposalView, name: string, unit: string) => (unit === v.lead ? name : `${name}#${unit}`);
const classOptions = (c: ActionContext): Option[] =>
  replyClassList(c.replyClasses).map((x) => ({ value: x.code, label: replyClassLabel(x.code, c.replyClasses) }));

/** The lead unit's reply form (答复 and 起草答复): the text and the 答复函's 联系人, 联系电话, 公开属性. */
const replyFields = (c: ActionContext): Field[] => [
  { prop: 'class', label: '答复类别', kind: 'select', required: true, options: classOptions(c) },
  { prop: 'text', label: '答复内容', kind: 'textarea', required: true },
  { prop: 'contactName', label: '联系人', kind: 'text' },
  { prop: 'contactPhone', label: '联系电话', kind: 'text' },
  { prop: 'disclosure', label: '公开属性', kind: 'radio', required: true, options: options(disclosureNames) },
  { prop: 'disclosureReason', label: '不公开理由（依申请公开、不予公开时填写）', kind: 'textarea' },
];
function replyInitial(c: ActionContext): Form {
  const r = replyToEdit(c);
  const l = r?.letter;
  return {
    class: r?.replyClass,
    text: r?.text ?? '',
    contactName: l?.contactName ?? '',
    contactPhone: l?.contactPhone ?? '',
    disclosure: l?.disclosure ?? 'public',
    disclosureReason: l?.disclosureReason ?? '',
  };
}
const sendReply = (c: ActionContext, f: Form, draft: boolean) => {
  const disclosure = (text(f.disclosure) || 'public') as 'public' | 'on_request' | 'private';
  return unwrap(
    api().POST('/v1/proposals/{id}/replies', {
      params: id(c),
      body: {
        class: text(f.class),
        text: text(f.text),
        ...(draft ? { draft: true } : {}),
        contactName: opt(f.contactName),
        contactPhone: opt(f.contactPhone),
        disclosure,
        disclosureReason: disclosure === 'public' ? undefined : opt(f.disclosureReason),
      },
    }),
  );
};
const ratingFields = (): Field[] => [
  { prop: 'satisfaction', label: '满意度', kind: 'radio', required: true, options: options(satisfactionNames) },
  { prop: 'comment', label: '评价意见', kind: 'textarea' },
];
/** The units handling the proposal, every lead unit (分办) first (督办 names one of them). */
const proposalUnitOptions = (c: ActionContext) => [...leadUnitsOf(c.view), ...c.view.co].map((u) => ({ value: u, label: unitLabel(c, u) }));
/** The lead unit's extension request waiting for the office. */
const pendingExtension = (v: ProposalView) => (v.extensionRequests ?? []).find((r) => !r.decision);
/** The latest reply sent to the proposers: what a member rates when none is left unrated (the API then says why not). */
const latestApproved = (v: ProposalView) => v.replies.filter((r) => r.status === 'approved').sort((a, b) => b.n - a.n)[0];
const memberIdOf = (c: ActionContext) => (c.identity.role === 'member' ? c.identity.memberId : undefined);

export const actionSpecs: Record<Action, ActionSpec> = {
  ...keyProposalActionSpecs,
  ...memberActionSpecs,
  review: {
    button: () => '审查立案',
    fields: (c) => [
      {
        prop: 'decision',
        label: '审查结果',
        kind: 'radio',
        required: true,
        options: [
          { value: 'register', label: '立案' },
          { value: 'reject', label: '不予立案' },
          { value: 'merge', label: '并案' },
        ],
      },
      { prop: 'reason', label: '理由', kind: 'textarea' },
      {
        prop: 'mergeInto',
        label: '并入提案',
        kind: 'select',
        allowCreate: true,
        options: c.view.similar.map((s) => ({ value: s.id, label: `${s.number} ${s.title}` })),
      },
    ],
    initial: () => ({ decision: 'register' }),
    submit: '确定',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/review', {
          params: id(c),
          body: {
            decision: text(f.decision) as 'register' | 'reject' | 'merge',
            reason: opt(f.reason),
            mergeInto: f.decision === 'merge' ? opt(f.mergeInto) : undefined,
          },
        }),
      ),
  },
  assign: {
    button: (v) => (v.lead ? '调整承办单位' : '交办'),
    fields: (c) => [
      { prop: 'lead', label: '主办单位', kind: 'select', required: true, options: unitOptions(c) },
      { prop: 'leads', label: '其他主办单位（分办，各自答复一部分）', kind: 'multiselect', options: unitOptions(c) },
      { prop: 'co', label: '协办单位', kind: 'multiselect', options: unitOptions(c) },
      { prop: 'reason', label: '理由', kind: 'textarea' },
    ],
    initial: (c) => ({
      lead: c.view.lead ?? c.view.matchedKeywords[0]?.unit,
      leads: leadUnitsOf(c.view).filter((u) => u !== c.view.lead),
      co: [...c.view.co],
    }),
    submit: '交办',
    send: (c, f) => {
      const lead = text(f.lead);
      const leads = (Array.isArray(f.leads) ? f.leads : []).filter((u) => u !== lead);
      // A unit named as a further lead leads its part: it is not a co-unit as well.
      const co = (Array.isArray(f.co) ? f.co : []).filter((u) => !leads.includes(u));
      return unwrap(
        api().POST('/v1/proposals/{id}/assignment', {
          params: id(c),
          body: { lead, co, ...(leads.length ? { leads } : {}), reason: opt(f.reason) },
        }),
      );
    },
  },
  acknowledge: {
    button: () => '签收',
    confirm: '确认签收此提案？签收后请按期办理。',
    send: (c) => unwrap(api().POST('/v1/proposals/{id}/units/{unit}/acknowledge', { params: ownUnit(c) })),
  },
  object: {
    button: () => '申请调整',
    fields: () => [{ prop: 'reason', label: '理由', kind: 'textarea', required: true }],
    submit: '提交申请',
    send: (c, f) =>
      unwrap(api().POST('/v1/proposals/{id}/units/{unit}/objection', { params: ownUnit(c), body: { reason: text(f.reason) } })),
  },
  opinion: {
    button: () => '协办意见',
    fields: () => [{ prop: 'text', label: '意见内容', kind: 'textarea', required: true }],
    submit: '提交意见',
    send: (c, f) => unwrap(api().POST('/v1/proposals/{id}/units/{unit}/opinion', { params: ownUnit(c), body: { text: text(f.text) } })),
  },
  contact: {
    button: () => '记录面商',
    fields: () => [
      { prop: 'mode', label: '联系方式', kind: 'select', required: true, options: options(contactModeNames) },
      { prop: 'at', label: '联系时间', kind: 'datetime', required: true },
      { prop: 'note', label: '情况记录', kind: 'textarea', required: true },
    ],
    initial: (c) => ({ mode: 'face_to_face', at: nowWallTime(c.timeZone) }),
    submit: '保存',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/contacts', {
          params: id(c),
          body: {
            unit: c.identity.unit ?? '',
            mode: text(f.mode) as 'face_to_face',
            at: wallTimeToIso(text(f.at), c.timeZone),
            note: text(f.note),
          },
        }),
      ),
  },
  reply: {
    button: () => '答复',
    note: () => '提交后答复按本市流程送签发、会签或审核；暂不提交的，请保存为草稿。',
    fields: replyFields,
    initial: replyInitial,
    submit: '提交答复',
    send: (c, f) => sendReply(c, f, false),
  },
  draftReply: {
    // A reply waiting for 签发 saved as a draft again comes back to the unit for editing.
    button: (v) => {
      const s = v.replies.find((r) => r.status === 'draft' || r.status === 'signing')?.status;
      return s === 'signing' ? '撤回修改' : s === 'draft' ? '修改草稿' : '起草答复';
    },
    note: () => '草稿只保存在本单位，可随时修改；定稿后用“答复”提交。',
    fields: replyFields,
    initial: replyInitial,
    submit: '保存草稿',
    send: (c, f) => sendReply(c, f, true),
  },
  signReply: {
    button: () => '签发',
    note: (c) => {
      const r = toSign(c);
      return `签发第${r ? replyOrdinal(c.view.replies, r.n) : ''}次答复（${r ? replyClassLabel(r.replyClass, c.replyClasses) : ''}）：答复以本单位名义发出并取得文号。`;
    },
    fields: () => [{ prop: 'signer', label: '签发人', kind: 'text', required: true }],
    initial: (c) => ({ signer: c.name ?? '' }),
    submit: '确定签发',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/replies/{n}/sign', {
          params: replyN(c, toSign(c)),
          body: { signer: opt(f.signer) },
        }),
      ),
  },
  countersignReply: {
    button: () => '会签',
    note: () => '会签主办单位已签发的答复；有不同意见请写明，政府办审核时可见。',
    fields: () => [{ prop: 'note', label: '会签意见', kind: 'textarea' }],
    submit: '确定会签',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/replies/{n}/countersign', {
          params: replyN(c, toCountersign(c)),
          body: { note: opt(f.note) },
        }),
      ),
  },
  approveReply: {
    button: () => '审核通过',
    note: () => '审核通过后，答复将发送给提案人。答复类别不当的，可在此更正并说明理由。',
    // 分办, several under review: which one; the class is then chosen only to correct it.
    fields: (c) => {
      const rs = underReview(c.view);
      return [
        ...replyChoice(c, rs),
        rs.length > 1
          ? { prop: 'class', label: '更正答复类别（不更正的不选）', kind: 'select', options: classOptions(c) }
          : { prop: 'class', label: '答复类别', kind: 'select', required: true, options: classOptions(c) },
        { prop: 'reason', label: '更正理由（更正类别时填写）', kind: 'textarea' },
      ];
    },
    initial: (c) => {
      const rs = underReview(c.view);
      return rs.length > 1 ? firstChoice(rs) : { class: rs[0]?.replyClass };
    },
    submit: '确定',
    send: (c, f) => {
      const r = chosenReply(underReview(c.view), f);
      const corrected = r && text(f.class) && text(f.class) !== r.replyClass;
      return unwrap(
        api().POST('/v1/proposals/{id}/replies/{n}/approve', {
          params: replyN(c, r),
          body: corrected ? { class: text(f.class), reason: opt(f.reason) } : {},
        }),
      );
    },
  },
  returnReply: {
    button: () => '退回',
    fields: (c) => [...replyChoice(c, returnable(c.view)), { prop: 'reason', label: '退回理由', kind: 'textarea', required: true }],
    initial: (c) => firstChoice(returnable(c.view)),
    submit: '退回答复',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/replies/{n}/return', {
          params: replyN(c, chosenReply(returnable(c.view), f)),
          body: { reason: text(f.reason) },
        }),
      ),
  },
  extend: {
    button: () => '延期',
    fields: (c) => [
      ...partChoice(c, '延期的分办单位'),
      { prop: 'until', label: '延至', kind: 'date', required: true },
      { prop: 'reason', label: '理由', kind: 'textarea' },
    ],
    // 分办: the first part still owing its reply.
    initial: (c) =>
      isSplit(c.view)
        ? { unit: leadUnitsOf(c.view).find((u) => c.view.deadlines[partKey(c.view, 'reply', u)]) ?? c.view.lead ?? undefined }
        : {},
    submit: '确定延期',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/extension', {
          params: id(c),
          body: { until: text(f.until), reason: opt(f.reason), unit: isSplit(c.view) ? opt(f.unit) : undefined },
        }),
      ),
  },
  progress: {
    button: () => '跟踪进展',
    fields: () => [
      { prop: 'text', label: '进展情况', kind: 'textarea', required: true },
      { prop: 'resolved', label: '已解决', kind: 'switch' },
    ],
    initial: () => ({ resolved: false }),
    submit: '提交进展',
    send: (c, f) =>
      unwrap(api().POST('/v1/proposals/{id}/progress', { params: id(c), body: { text: text(f.text), resolved: f.resolved === true } })),
  },
  rehandle: {
    button: () => '重新办理',
    fields: (c) => [...partChoice(c, '重新办理的分办单位'), { prop: 'reason', label: '重新办理理由', kind: 'textarea', required: true }],
    initial: (c) => (isSplit(c.view) ? { unit: c.view.lead ?? undefined } : {}),
    submit: '确定重新办理',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/rehandle', {
          params: id(c),
          body: { reason: text(f.reason), unit: isSplit(c.view) ? opt(f.unit) : undefined },
        }),
      ),
  },
  supervision: {
    button: () => '督办记录',
    fields: (c) => [
      { prop: 'mode', label: '督办方式', kind: 'radio', required: true, options: options(supervisionModeNames) },
      { prop: 'at', label: '督办时间', kind: 'datetime', required: true },
      { prop: 'unit', label: '督办单位', kind: 'select', required: true, options: proposalUnitOptions(c) },
      { prop: 'note', label: '督办情况', kind: 'textarea', required: true },
    ],
    initial: (c) => ({ mode: 'onsite', at: nowWallTime(c.timeZone), unit: c.view.lead ?? undefined }),
    submit: '保存督办记录',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/supervision', {
          params: id(c),
          body: {
            mode: text(f.mode) as 'onsite',
            at: wallTimeToIso(text(f.at), c.timeZone),
            note: text(f.note),
            unit: opt(f.unit),
          },
        }),
      ),
  },
  requestExtension: {
    button: () => '申请延期',
    fields: () => [
      { prop: 'until', label: '延至', kind: 'date', required: true },
      { prop: 'reason', label: '延期理由', kind: 'textarea', required: true },
    ],
    submit: '提交延期申请',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/extension-requests', { params: id(c), body: { until: text(f.until), reason: text(f.reason) } }),
      ),
  },
  decideExtension: {
    button: () => '审批延期',
    fields: (c) => {
      const r = pendingExtension(c.view);
      const until = r ? localDate(r.until, c.timeZone) : '';
      return [
        {
          prop: 'approve',
          label: r ? `审批结果（申请延至 ${until}：${r.reason}）` : '审批结果',
          kind: 'radio',
          required: true,
          options: [
            { value: 'yes', label: '同意延期' },
            { value: 'no', label: '不同意' },
          ],
        },
        { prop: 'reason', label: '审批意见', kind: 'textarea' },
      ];
    },
    initial: () => ({ approve: 'yes' }),
    submit: '提交审批',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/extension-requests/{n}/decision', {
          params: { path: { id: c.view.id, n: String(pendingExtension(c.view)?.n ?? '') } },
          body: { approve: f.approve === 'yes', reason: opt(f.reason) },
        }),
      ),
  },
  edit: {
    button: () => '修改标题',
    fields: () => [
      { prop: 'title', label: '标题', kind: 'textarea', required: true },
      { prop: 'category', label: '类别', kind: 'textarea' },
      { prop: 'reason', label: '修改理由', kind: 'textarea', required: true },
    ],
    initial: (c) => ({ title: c.view.title, category: c.view.category ?? '' }),
    submit: '保存修改',
    send: (c, f) =>
      unwrap(
        api().POST('/v1/proposals/{id}/edit', {
          params: id(c),
          body: { title: text(f.title) || undefined, category: text(f.category), reason: text(f.reason) },
        }),
      ),
  },
  withdraw: {
    button: () => '撤回提案',
    fields: () => [{ prop: 'reason', label: '撤回理由', kind: 'textarea', required: true }],
    submit: '确定撤回',
    send: (c, f) => unwrap(api().POST('/v1/proposals/{id}/withdraw', { params: id(c), body: { reason: text(f.reason) } })),
  },
  rate: {
    button: () => '评价',
    // 分办: each part's answer is rated on its own; a select of which when several are unrated.
    note: (c) => (unratedAnswers(c.view, memberIdOf(c)).length > 1 ? '本提案由多个单位分办，请分别评价各单位的答复。' : ''),
    fields: (c) => [...replyChoice(c, unratedAnswers(c.view, memberIdOf(c)), '评价的答复'), ...ratingFields()],
    initial: (c) => firstChoice(unratedAnswers(c.view, memberIdOf(c))),
    submit: '提交评价',
    send: (c, f) => {
      const r = chosenReply(unratedAnswers(c.view, memberIdOf(c)), f) ?? latestApproved(c.view);
      return unwrap(
        api().POST('/v1/proposals/{id}/feedback', {
          params: id(c),
          body: { n: r?.n ?? 0, satisfaction: text(f.satisfaction) as 'satisfied', comment: opt(f.comment) },
        }),
      );
    },
  },
};

/**
 * The parts' 跟踪落实 (分办: each lead unit's; the first lead's is the view's `followUp`), those that have one.
 * (`?? {}`: a view from before 分办.)
 */
export function partFollowUps(v: ProposalView): { unit: string; followUp: NonNullable<ProposalView['followUp']> }[] {
  return leadUnitsOf(v).flatMap((unit) => {
    const followUp = unit === v.lead ? v.followUp : v.partFollowUps?.[unit];
    return followUp ? [{ unit, followUp }] : [];
  });
}
const secondReplyOf = (v: ProposalView, unit = v.lead ?? '') => (unit === v.lead ? v.followUp : v.partFollowUps?.[unit])?.secondReply;

/**
 * 评价二次答复: a proposer rates a part's final follow-up report (its `secondReply`; the first lead's when
 * `unit` is not given) through the same feedback route with `second: true` and the `n` of the reply it
 * followed. Not one of the view's `actions`: offered under the 二次答复 to a member who has not rated it
 * (the API answers 409 when not allowed).
 */
export const secondReplyRatingSpecFor = (unit?: string): ActionSpec => ({
  button: () => '评价二次答复',
  fields: ratingFields,
  submit: '提交评价',
  send: (c, f) =>
    unwrap(
      api().POST('/v1/proposals/{id}/feedback', {
        params: id(c),
        body: {
          n: secondReplyOf(c.view, unit)?.n ?? 0,
          satisfaction: text(f.satisfaction) as 'satisfied',
          comment: opt(f.comment),
          second: true,
        },
      }),
    ),
});
/** 评价二次答复 of the first lead's part (the only part unless 分办). */
export const secondReplyRatingSpec: ActionSpec = secondReplyRatingSpecFor();

/** Whether the signed-in member may still rate a part's 二次答复 (it exists, and they have not rated it); the first lead's by default. */
export function mayRateSecondReply(v: ProposalView, identity: Identity | undefined, unit?: string): boolean {
  const second = secondReplyOf(v, unit);
  if (identity?.role !== 'member' || !second) return false;
  return !v.feedback.some((f) => f.second === true && f.n === second.n && f.memberId === identity.memberId);
}
