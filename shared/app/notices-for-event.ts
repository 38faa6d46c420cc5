/**
 * Which notices (通知) an event causes, and to whom. Pure given the event, the proposal and the config.
 * Notice ids are `<eventId>/<kind>/<recipient>`: the same event always yields the same ids, so a
 * repeated stream delivery produces duplicates the mailer recognises and does not send.
 * Each unit gets its own email (a clerk wants one clear email about their part).
 * Each notice's vars are typed by its kind (events/notices.ts): a wrong field does not compile.
 */
import type { DomainEvent } from '#events/domain-events.ts';
import {
  noticeMaker,
  noticeObligations,
  type Notice,
  type NoticeKind,
  type NoticeObligation,
  type NoticeVars,
  type Recipient,
} from '#events/notices.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { AppState } from '#app/state.ts';
import { createFeedbackToken } from '#app/feedback-token.ts';
import { confirmedProposers } from '#domain/proposers.ts';
import { collectiveKindNames } from '#domain/collective.ts';
import { keyProposalNotices } from '#app/key-proposal-notices.ts';
import { officePowerNotices } from '#app/office-power-notices.ts';
import { followUpOf, leadUnits, partAnswer, partDeadline } from '#domain/parts.ts';

/** Feedback links stay valid this long after the feedback deadline (late ratings still count). */
const FEEDBACK_GRACE_MS = 30 * 86_400_000;

type Deps = Pick<AppState, 'calendar' | 'config' | 'feedbackSecret'>;

/**
 * Key proposals (重点提案, with policy.key.addLeaders): the leaders get each event once, on its first
 * notice not addressed to a proposer (those carry a proposer's address and private link), e.g. the
 * lead unit's 交办 or 办结 notice; unless a notice of the event reaches them already (reminders and
 * escalations: the timer policy adds them). A key proposal with a 领办领导 copies that leader instead.
 */
export function noticesForEvent(s: Deps, event: DomainEvent, p: Proposal): Notice[] {
  const notices = eventNotices(s, event, p);
  const has = (n: Notice, kind: Recipient['kind']) => n.recipients.some((r) => r.kind === kind);
  // A key proposal with its 领办领导: that leader (whatever addLeaders says), instead of all the leaders.
  const leads = p.key && p.leader ? p.leader : undefined;
  const reached = (n: Notice) => (leads ? n.recipients.some((r) => r.kind === 'leader' && r.name === leads) : has(n, 'leaders'));
  // (KeyProposalSet's own notices are the leaders' already.)
  if (!p.key || event.type === 'KeyProposalSet' || (!leads && !s.config.policy.key.addLeaders) || notices.some(reached)) return notices;
  const add: Recipient = leads ? { kind: 'leader', name: leads } : { kind: 'leaders' };
  const i = notices.findIndex((n) => !has(n, 'address'));
  return notices.map((n, j) => (j === i ? { ...n, recipients: [...n.recipients, add] } : n));
}

function eventNotices(s: Deps, event: DomainEvent, p: Proposal): Notice[] {
  const base = { number: p.number, title: p.title, proposalId: p.id };
  /** An instant's local date (YYYY-MM-DD), as the vars carry dates; none for none. */
  function day(iso: string): string;
  function day(iso: string | undefined): string | undefined;
  function day(iso: string | undefined) {
    return iso ? s.calendar.localDate(new Date(iso)) : undefined;
  }
  const notice = noticeMaker(event, p.id);
  /**
   * One notice per proposer (those who count, or those given), to their own address: a co-proposer
   * who has not confirmed the 联名 gets no reply and no rating link.
   */
  const toProposers = <K extends NoticeKind>(
    kind: K,
    vars: (x: Proposal['proposers'][number]) => NoticeVars<K>,
    proposers = confirmedProposers(p),
  ) => proposers.map((x) => notice(kind, x.memberId, [{ kind: 'address', email: x.email, name: x.name }], vars(x)));
  /** 分办: a further lead unit's own deadlines are keyed `reply#unit` (parts.ts partKey). */
  const assignment = (unit: string, role: 'lead' | 'co', all: Record<string, string>, keywords: string[], first?: string) => {
    const deadlines = unit === first ? all : { ...all, contact: all[`contact#${unit}`] ?? '', reply: all[`reply#${unit}`] ?? '' };
    return notice('assignment', unit, [{ kind: 'unit', unit }], {
      ...base,
      unit,
      role,
      deadlines: {
        acknowledge: day(deadlines.acknowledge),
        objection: day(deadlines.objection),
        ...(role === 'lead' ? { contact: day(deadlines.contact), reply: day(deadlines.reply) } : { coOpinion: day(deadlines.coOpinion) }),
      },
      matchedKeywords: keywords,
      proposers: p.proposers.map((x) => x.name),
      ...(role === 'lead' && leadUnits(p).length > 1 ? { partners: leadUnits(p).filter((u) => u !== unit) } : {}),
    });
  };
  const keywordsOf = (unit: string) => p.matches.find((m) => m.unit === unit)?.keywords ?? [];
  /** A proposer's own signed link to rate reply n; valid until a grace period after the deadline. */
  const linkBase = s.config.email.linkBase.replace(/\/+$/, '');
  const feedbackToken = (memberId: string, n: number, deadline: string) =>
    createFeedbackToken(s.feedbackSecret, {
      proposalId: p.id,
      memberId,
      n,
      expiresAt: new Date(new Date(deadline).getTime() + FEEDBACK_GRACE_MS),
    });
  const feedbackUrl = (memberId: string, n: number, deadline: string) =>
    `${linkBase}/v1/feedback?token=${feedbackToken(memberId, n, deadline)}`;
  /** The 答复函 for the proposer's eyes, with the same token as their rating link (GET /v1/letter, app/reply-letter.ts). */
  const letterUrl = (memberId: string, n: number, deadline: string) =>
    `${linkBase}/v1/letter?${new URLSearchParams({ id: p.id, n: String(n), token: feedbackToken(memberId, n, deadline) }).toString()}`;
  /** 评价提醒: each proposer who has not rated a part's answer yet (one part but for 分办), with their own link. */
  const feedbackReminders = (deadline: string, daysLeft: number): Notice[] => {
    if (p.status !== 'replied') return [];
    return leadUnits(p).flatMap((unit) => {
      const reply = partAnswer(p, unit);
      if (!reply) return [];
      const rated = new Set(p.feedback.filter((f) => f.n === reply.n).map((f) => f.memberId));
      const vars = (x: Proposal['proposers'][number]): NoticeVars<'feedbackReminder'> => ({
        number: p.number,
        title: p.title,
        unit: reply.unit,
        proposerName: x.name,
        feedbackUrl: feedbackUrl(x.memberId, reply.n, deadline),
        feedbackDeadline: day(deadline),
        daysLeft,
      });
      return toProposers(
        'feedbackReminder',
        vars,
        confirmedProposers(p).filter((x) => !rated.has(x.memberId)),
      );
    });
  };

  const hasHead = (unit: string) => (s.config.units.find((u) => u.id === unit)?.head.length ?? 0) > 0;
  /** Where a reply went when it moved on (ReplySubmitted/Signed/Countersigned): its head, the co-units or the office. */
  const replyOnward = (n: number, next: 'signing' | 'countersign' | 'review' | 'stays'): Notice[] => {
    const r = p.replies.find((x) => x.n === n);
    if (!r) return [];
    const vars = { ...base, unit: r.unit, replyClass: r.replyClass, round: r.round };
    switch (next) {
      case 'signing':
        // To the unit's head; a unit without a head address in the config gets it itself.
        return [notice('replyForSignOff', r.unit, [{ kind: hasHead(r.unit) ? 'unitHead' : 'unit', unit: r.unit }], { ...vars, n })];
      case 'countersign': {
        const deadline = day(partDeadline(p, 'countersign', r.unit));
        if (!deadline) return [];
        return p.co.map((unit) =>
          notice('replyForCountersign', unit, [{ kind: 'unit', unit }], {
            ...base,
            unit,
            lead: r.unit,
            replyClass: r.replyClass,
            n,
            deadline,
          }),
        );
      }
      case 'review':
        return [notice('replyForReview', 'office', [{ kind: 'office' }], vars)];
      case 'stays':
        return [];
    }
  };

  switch (event.type) {
    case 'ProposalSubmitted': {
      // 联名确认: each co-proposer still to confirm, with the proposal's page in the console.
      const first = p.proposers[0];
      const pending = p.proposers.filter((x) => x.cosign === 'pending');
      if (!first || !pending.length) return [];
      const consoleUrl = `${s.config.email.linkBase.replace(/\/+$/, '')}/proposals/${encodeURIComponent(p.id)}`;
      return toProposers(
        'cosignRequest',
        (x) => ({
          ...base,
          proposerName: x.name,
          initiator: first.name,
          ...(p.collective ? { collective: `${p.collective.name}（${collectiveKindNames[p.collective.kind]}）` } : {}),
          consoleUrl,
        }),
        pending,
      );
    }
    case 'ProposalAssigned': {
      const { lead, co, deadlines } = event.data;
      const leads = event.data.leads ?? [lead];
      return [
        ...leads.map((u) => assignment(u, 'lead', deadlines, keywordsOf(u), lead)),
        ...co.map((u) => assignment(u, 'co', deadlines, keywordsOf(u))),
      ];
    }
    case 'AssignmentChanged': {
      const { lead, co, previous, deadlines, reason } = event.data;
      const leadsBefore = previous.leads ?? (previous.lead ? [previous.lead] : []);
      const roleBefore = (u: string) => (leadsBefore.includes(u) ? 'lead' : previous.co.includes(u) ? 'co' : undefined);
      const now = new Map<string, 'lead' | 'co'>([
        ...(event.data.leads ?? [lead]).map((u): [string, 'lead'] => [u, 'lead']),
        ...co.map((u): [string, 'co'] => [u, 'co']),
      ]);
      const out: Notice[] = [];
      for (const [unit, role] of now) {
        const before = roleBefore(unit);
        if (!before) out.push(assignment(unit, role, deadlines, keywordsOf(unit), lead));
        else if (before !== role)
          out.push(notice('reassignment', unit, [{ kind: 'unit', unit }], { ...base, unit, change: 'added', role, reason }));
      }
      for (const unit of [...leadsBefore, ...previous.co]) {
        if (unit && !now.has(unit))
          out.push(
            notice('reassignment', unit, [{ kind: 'unit', unit }], { ...base, unit, change: 'removed', role: roleBefore(unit), reason }),
          );
      }
      return out;
    }
    case 'ProposalTriaged':
      return [notice('triage', 'office', [{ kind: 'office' }], { ...base, reason: event.data.reason })];
    case 'ProposalRejected': {
      const reason = optionalText(event.data.reason);
      return toProposers('reviewResult', () => ({ ...base, decision: 'rejected', ...(reason ? { reason } : {}) }));
    }
    case 'ProposalMerged': {
      const units = Object.entries(p.units).map(([unit, u]) =>
        notice('reassignment', unit, [{ kind: 'unit', unit }], {
          ...base,
          unit,
          change: 'removed',
          role: u.role,
          reason: `已并入${event.data.intoNumber}号提案`,
        }),
      );
      return [
        ...toProposers('reviewResult', () => ({
          ...base,
          decision: 'merged',
          intoNumber: event.data.intoNumber,
          reason: event.data.reason,
        })),
        ...units,
      ];
    }
    case 'UnitObjected':
      return [notice('objection', 'office', [{ kind: 'office' }], { ...base, unit: event.data.unit, reason: event.data.reason })];
    case 'ObjectionDeclined': {
      const { unit, reason, deadline } = event.data;
      return [notice('objectionDeclined', unit, [{ kind: 'unit', unit }], { ...base, unit, reason, deadline: day(deadline) })];
    }
    case 'ReplySubmitted':
    case 'ReplySigned':
    case 'ReplyCountersigned':
      // A ReplySubmitted of older data has no `next`: it went to the office. A 会签 moves it on only when it was the last.
      return replyOnward(
        event.data.n,
        event.type === 'ReplyCountersigned' ? (event.data.complete ? 'review' : 'stays') : (event.data.next ?? 'review'),
      );
    case 'ProgressReported': {
      const unit = event.data.unit ?? p.lead;
      const second = unit ? followUpOf(p, unit)?.secondReply : undefined;
      if (!event.data.resolved || !second || !unit) return [];
      return toProposers('secondReply', (x) => ({ ...base, unit, proposerName: x.name, text: second.text }));
    }
    case 'ReplyApproved': {
      const reply = p.replies.find((r) => r.n === event.data.n);
      if (!reply) return [];
      // 分办: a part answered before the others has no feedback deadline yet; its link lasts until the
      // latest the proposal's can be (the others answer within replyMax, then the feedback period).
      const early = event.data.feedbackDeadline === undefined;
      const deadline =
        event.data.feedbackDeadline ??
        s.calendar
          .addDuration(s.calendar.addDuration(new Date(event.at), s.config.policy.replyMax).at, s.config.policy.feedback)
          .at.toISOString();
      return toProposers('replyApproved', (x) => ({
        number: p.number,
        title: p.title,
        unit: reply.unit,
        replyClass: reply.replyClass,
        replyText: reply.text,
        proposerName: x.name,
        feedbackUrl: feedbackUrl(x.memberId, reply.n, deadline),
        letterUrl: letterUrl(x.memberId, reply.n, deadline),
        feedbackDeadline: day(deadline),
        ...(early ? { parts: leadUnits(p).length } : {}),
        // Each earlier approved reply was followed by a re-handling (read from the replies, not from
        // p.rehandles, which a later 不满意 may have counted up already).
        rehandlePossible: p.replies.filter((r) => r.status === 'approved' && r.n < reply.n).length < s.config.policy.maxRehandles,
      }));
    }
    case 'ReplyReturned': {
      const unit = p.replies.find((r) => r.n === event.data.n)?.unit ?? p.lead;
      return unit ? [notice('replyReturned', unit, [{ kind: 'unit', unit }], { ...base, unit, reason: event.data.reason })] : [];
    }
    case 'RehandlingStarted': {
      // Ordered by the office: the unit is told why; the office, which ordered it, needs no copy.
      const { orderedBy, reason } = event.data;
      const unit = event.data.unit ?? p.lead;
      const to: Recipient[] = unit ? [{ kind: 'unit', unit }, ...(orderedBy ? [] : [{ kind: 'office' as const }])] : [];
      return unit
        ? [
            notice('rehandling', unit, to, {
              ...base,
              unit,
              deadline: day(event.data.deadline),
              comment: event.data.comment,
              ...(orderedBy ? { orderedBy, reason } : {}),
            }),
          ]
        : [];
    }
    case 'ProposalClosed': {
      const vars = { ...base, followUp: event.data.followUp };
      return [...toProposers('closed', () => vars), ...leadUnits(p).map((unit) => notice('closed', unit, [{ kind: 'unit', unit }], vars))];
    }
    case 'ReminderDue':
    case 'Escalated': {
      const { obligation, unit, deadline, to } = event.data;
      // An obligation of the office (no unit) names the office for the unit and for itself: once.
      const named = to.flatMap((k): Recipient[] =>
        k === 'unit' || k === 'unitHead'
          ? unit
            ? [{ kind: k, unit }]
            : [{ kind: 'office' }]
          : k === 'leaders' && unit
            ? [{ kind: k, unit }]
            : [{ kind: k }],
      );
      const keys = named.map((r) => JSON.stringify(r));
      const recipients = named.filter((_, i) => keys.indexOf(keys[i]!) === i);
      const days = daysBetween(s.calendar.localDate(new Date(event.at)), day(deadline) ?? '');
      if (obligation === 'feedback') return event.type === 'ReminderDue' ? feedbackReminders(deadline, Math.max(0, days)) : [];
      if (!isNoticeObligation(obligation)) return []; // no timer runs for any other (the objection window)
      const vars = { ...base, ...(unit ? { unit } : {}), obligation, deadline: day(deadline) };
      return event.type === 'ReminderDue'
        ? [notice('reminder', unit ?? 'office', recipients, { ...vars, daysLeft: Math.max(0, days) })]
        : [
            notice('escalation', unit ?? 'office', recipients, {
              ...vars,
              level: escalationLevel(event.data.level),
              daysOverdue: Math.max(0, -days),
            }),
          ];
    }
    case 'KeyProposalSet':
    case 'InstructionGiven':
    case 'InstructionAcknowledged':
    case 'ReturnedToCommittee':
      return keyProposalNotices(s, event, p);
    case 'ExtensionRequested':
    case 'ExtensionDecided':
    case 'SupervisionRecorded':
    case 'ProposalWithdrawn':
      return officePowerNotices(s, event, p);
    default:
      return [];
  }
}

const isNoticeObligation = (o: string): o is NoticeObligation => noticeObligations.some((x) => x === o);
/** 催办 (1), 督办 (2), 报分管领导 (3): the ladder's level, capped. */
const escalationLevel = (level: number): 1 | 2 | 3 => (level >= 3 ? 3 : level <= 1 ? 1 : 2);

/** The text, or undefined when it is missing or blank (an optional reason). */
const optionalText = (s: string | undefined) => (s?.trim() ? s : undefined);

/** Calendar days from local date `a` to local date `b` (negative when b is earlier). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
