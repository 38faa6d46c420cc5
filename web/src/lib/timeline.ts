/** 办理过程: the audit trail (office, leaders) or, for others, the dates the proposal view carries. */
import type { DomainEvent, ProposalView } from '../api/types';
import { replyOrdinal } from './reply-ordinal';
import {
  actorRoleNames,
  contactModeNames,
  eventNames,
  nameOf,
  obligationNames,
  replyClassName,
  satisfactionNames,
  supervisionModeNames,
  type ReplyClass,
} from './labels';

export interface TimelineItem {
  at: string;
  title: string;
  actor?: string;
  detail?: string;
}

/** Where a submitted or signed reply went next (ReplySubmitted / ReplySigned `next`). */
const onward: Record<string, string> = { signing: '送单位负责人签发', countersign: '送协办单位会签', review: '送政府办审核' };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v)) : {});

/** The title of an event: its type's name, but a final progress report is the 二次答复 and its rating says so. */
function titleOf(e: DomainEvent): string {
  if (e.type === 'ProgressReported' && e.data.resolved === true) return '二次答复';
  if (e.type === 'FeedbackGiven' && e.data.second === true) return '二次答复评价';
  return nameOf(eventNames, e.type);
}

/** One line of detail per event type, from its data (what a clerk wants to read). */
function detailOf(
  e: DomainEvent,
  unitName: (id: string) => string,
  classes: readonly ReplyClass[] | undefined,
  replies: readonly { n: number; unit: string }[],
): string | undefined {
  const d = e.data;
  const unit = str(d.unit) ? unitName(String(d.unit)) : undefined;
  const cls = (code: unknown) => `${String(code)}类（${replyClassName(String(code), classes)}）`;
  switch (e.type) {
    case 'ProposalAssigned':
    case 'AssignmentChanged': {
      const names = (v: unknown) => (Array.isArray(v) ? v.map((u) => unitName(String(u))).join('、') : '');
      const co = names(d.co);
      // 分办: every lead unit (`leads`, the first lead first), each answering its own part.
      const lead = Array.isArray(d.leads) && d.leads.length > 1 ? `主办（分办）：${names(d.leads)}` : `主办：${unitName(String(d.lead))}`;
      return [lead, co && `协办：${co}`, str(d.reason) && `理由：${String(d.reason)}`].filter(Boolean).join('；');
    }
    case 'ContactRecorded':
      return `${unit ?? ''} ${nameOf(contactModeNames, str(d.mode))}：${str(d.note) ?? ''}`;
    case 'ReplyDrafted':
      return `${unit ?? ''} ${cls(d.replyClass)}，草稿`;
    case 'ReplySubmitted':
      return `${unit ?? ''} ${cls(d.replyClass)}${str(d.next) ? `，${nameOf(onward, str(d.next))}` : ''}`;
    case 'ReplySigned':
      return [
        `签发人：${str(d.signer) ?? ''}`,
        str(d.docNumber) && `文号：${String(d.docNumber)}`,
        str(d.next) && nameOf(onward, str(d.next)),
      ]
        .filter(Boolean)
        .join('；');
    case 'ReplyCountersigned':
      return `${unit ?? ''} 会签第${typeof d.n === 'number' ? replyOrdinal(replies, d.n) : String(d.n)}次答复${str(d.note) ? `：${String(d.note)}` : ''}${d.complete === true ? '（会签完成，送政府办审核）' : ''}`;
    case 'ReplyApproved': {
      const c = record(d.classCorrection);
      return str(c.to) ? `答复类别由 ${cls(c.from)} 更正为 ${cls(c.to)}：${str(c.reason) ?? ''}` : undefined;
    }
    case 'FeedbackGiven':
      return [nameOf(satisfactionNames, str(d.satisfaction)), str(d.comment)].filter(Boolean).join('：');
    case 'ProgressReported':
      return `${str(d.text) ?? ''}${d.capped === true ? '（跟踪期满，跟踪落实结束）' : ''}`;
    case 'ReminderDue':
    case 'Escalated':
      return `${unit ? `${unit} ` : ''}${nameOf(obligationNames, str(d.obligation))}${e.type === 'Escalated' ? `（第${String(d.level)}级）` : ''}`;
    case 'ReplyDeadlineExtended':
      return `延至 ${String(d.until).slice(0, 10)}${str(d.reason) ? `：${String(d.reason)}` : ''}`;
    case 'ProposalMerged':
      return `并入 ${String(d.intoNumber)}`;
    case 'KeyProposalSet':
      return d.key ? `设为重点提案${str(d.leader) ? `，领办领导：${String(d.leader)}` : ''}` : '取消重点提案';
    case 'InstructionGiven':
      return `${str(d.leader) ?? ''}批示：${str(d.text) ?? ''}`;
    case 'InstructionAcknowledged':
      return `${unit ?? ''} 签收第${String(d.n)}号批示`;
    case 'SupervisionRecorded':
      return `${unit ?? ''} ${nameOf(supervisionModeNames, str(d.mode))}：${str(d.note) ?? ''}`;
    case 'ExtensionRequested':
      return `${unit ?? ''} 申请延至 ${String(d.until).slice(0, 10)}：${str(d.reason) ?? ''}`;
    case 'ExtensionDecided':
      return `${d.approve === true ? '同意' : '不同意'}延至 ${String(d.until).slice(0, 10)}${str(d.reason) ? `：${String(d.reason)}` : ''}`;
    case 'ProposalEdited': {
      const changes = record(d.changes);
      const previous = record(d.previous);
      const parts = (['title', 'category'] as const)
        .filter((k) => changes[k] !== undefined)
        .map((k) => `${k === 'title' ? '标题' : '类别'}：${str(previous[k]) ?? '（无）'} → ${str(changes[k]) ?? '（无）'}`);
      return [...parts, str(d.reason) && `理由：${String(d.reason)}`].filter(Boolean).join('；');
    }
    default:
      return str(d.reason) ?? str(d.text) ?? unit;
  }
}

/**
 * `classes`: the city's reply classes (GET /v1/me), for their names; `replies`: the view's, so that a
 * reply is named as its unit counts it (replyOrdinal).
 */
export function timelineFromEvents(
  events: readonly DomainEvent[],
  unitName: (id: string) => string,
  classes?: readonly ReplyClass[],
  replies: readonly { n: number; unit: string }[] = [],
): TimelineItem[] {
  return events.map((e) => {
    const actor = e.actor.role === 'unit' && e.actor.unit ? unitName(e.actor.unit) : nameOf(actorRoleNames, e.actor.role);
    const detail = detailOf(e, unitName, classes, replies);
    if (detail === actor) return { at: e.at, title: titleOf(e), actor };
    return { at: e.at, title: titleOf(e), actor, ...(detail ? { detail } : {}) };
  });
}

export function timelineFromView(v: ProposalView, unitName: (id: string) => string): TimelineItem[] {
  const out: TimelineItem[] = [{ at: v.createdAt, title: '提交提案' }];
  for (const [id, u] of Object.entries(v.units)) {
    const name = unitName(id);
    out.push({ at: u.assignedAt, title: '交办', detail: `${name}（${u.role === 'lead' ? '主办' : '协办'}）` });
    if (u.acknowledgedAt) out.push({ at: u.acknowledgedAt, title: '签收', actor: name });
    if (u.objection) out.push({ at: u.objection.at, title: '申请调整', actor: name });
    if (u.opinion) out.push({ at: u.opinion.at, title: '协办意见', actor: name });
  }
  for (const c of v.contacts)
    out.push({ at: c.recordedAt, title: '联系记录', actor: unitName(c.unit), detail: nameOf(contactModeNames, c.mode) });
  for (const r of v.replies) out.push(...replyFromView(r, unitName));
  for (const f of v.feedback)
    out.push({ at: f.at, title: f.second ? '二次答复评价' : '满意度评价', detail: nameOf(satisfactionNames, f.satisfaction) });
  // (`?? []`: a view cached from before 批示 existed has none.)
  for (const i of v.instructions ?? []) {
    out.push({ at: i.at, title: '领导批示', actor: i.leader, detail: i.text });
    for (const [unit, u] of Object.entries(i.units))
      if (u.acknowledgedAt) out.push({ at: u.acknowledgedAt, title: '签收批示', actor: unitName(unit), detail: `第${i.n}号批示` });
  }
  out.push(...rehandlingFromView(v, unitName));
  // A final report (resolved) is the 二次答复 sent to the proposers. 分办: each part's, by its unit.
  // (`?? []`, `?? {}`: a view from before 分办.)
  const split = (v.leads ?? []).length > 1;
  const followUps = split
    ? v.leads.map((u) => [u, u === v.lead ? v.followUp : v.partFollowUps?.[u]] as const)
    : [[v.lead, v.followUp] as const];
  for (const [unit, f] of followUps)
    for (const p of f?.progress ?? []) {
      const actor = split && unit ? { actor: unitName(unit) } : {};
      out.push(
        p.resolved
          ? { at: p.at, title: '二次答复', ...actor, detail: p.text }
          : { at: p.at, title: '跟踪进展', ...actor, detail: '未解决' },
      );
    }
  for (const x of v.supervisions ?? [])
    out.push({
      at: x.recordedAt,
      title: '督办记录',
      actor: '政府办',
      detail: `${unitName(x.unit)} ${nameOf(supervisionModeNames, x.mode)}`,
    });
  for (const r of v.extensionRequests ?? []) {
    out.push({ at: r.at, title: '申请延期', actor: unitName(r.unit), detail: `延至 ${r.until.slice(0, 10)}` });
    if (r.decision) out.push({ at: r.decision.at, title: '延期审批', detail: r.decision.approve ? '同意' : '不同意' });
  }
  if (v.withdrawal) out.push({ at: v.withdrawal.at, title: '撤回提案', detail: v.withdrawal.reason });
  if (v.closedAt) out.push({ at: v.closedAt, title: '办结' });
  // Stable: a step at the same instant as the rating that started it stays after it.
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** A reply's steps by the dates it carries: drafted or submitted, 签发, 会签, the office's decision. */
function replyFromView(r: ProposalView['replies'][number], unitName: (id: string) => string): TimelineItem[] {
  const unit = unitName(r.unit);
  const out: TimelineItem[] = [
    { at: r.submittedAt, title: r.status === 'draft' ? '起草答复' : '提交答复', actor: unit, detail: `${r.replyClass}类` },
  ];
  // (Without a 签发 step the submission itself signs the reply: no 签发人, nothing more to show.)
  if (r.signedAt && r.letter?.signer)
    out.push({
      at: r.signedAt,
      title: '签发答复',
      actor: unit,
      detail: [`签发人：${r.letter.signer}`, r.letter.docNumber].filter(Boolean).join('；'),
    });
  for (const c of r.countersigns ?? [])
    out.push({ at: c.at, title: '会签答复', actor: unitName(c.unit), ...(c.note ? { detail: c.note } : {}) });
  if (r.decidedAt) {
    const fix = r.classCorrection
      ? `答复类别由 ${r.classCorrection.from}类 更正为 ${r.replyClass}类：${r.classCorrection.reason}`
      : undefined;
    out.push({ at: r.decidedAt, title: r.status === 'returned' ? '答复退回' : '答复审核通过', ...(fix ? { detail: fix } : {}) });
  }
  return out;
}

/**
 * 重新办理, which the view carries no date for: a 不满意 rating of a reply started it (at the rating's
 * time) when the reply was followed by one of its unit's of a later round, or the proposal is being
 * re-handled now and that reply is its unit's latest, or its unit's round moved past it (分办: each
 * part has its own rounds; the view's `units[u].round`, which proposers do not see). The first 不满意 of a reply counts (the others came after the
 * re-handling had started); a 不满意 that closed the proposal (no re-handling left) has none.
 */
function rehandlingFromView(v: ProposalView, unitName: (id: string) => string): TimelineItem[] {
  const out: TimelineItem[] = [];
  const seen = new Set<number>();
  const ratings = [...v.feedback].sort((a, b) => a.at.localeCompare(b.at));
  for (const f of ratings) {
    // (A rating of the 二次答复 starts nothing.)
    if (f.satisfaction !== 'dissatisfied' || f.second || seen.has(f.n)) continue;
    const rated = v.replies.find((r) => r.n === f.n);
    if (!rated) continue;
    // (分办: rounds are the part's own, so only its unit's replies and its own round count.)
    const followed = v.replies.some((r) => r.unit === rated.unit && r.round > rated.round);
    const latest = Math.max(0, ...v.replies.filter((r) => r.unit === rated.unit).map((r) => r.n));
    const now = (v.status === 'rehandling' && f.n === latest) || (v.units[rated.unit]?.round ?? 0) > rated.round;
    if (!followed && !now) continue;
    seen.add(f.n);
    const whose = (v.leads?.length ?? 0) > 1 ? `（${unitName(rated.unit)}）` : '';
    out.push({
      at: f.at,
      title: '重新办理',
      detail: `对第${replyOrdinal(v.replies, f.n)}次答复${whose}不满意，承办单位重新办理${f.comment ? `：${f.comment}` : ''}`,
    });
  }
  return out;
}
