/**
 * Notice messages (通知): what the reactor and the sweep put on the notices queue and the mailer
 * turns into one email. The id is deterministic (derived from the event that caused it and the
 * recipient), so a repeated delivery or a re-run reactor produces the same id and the mailer's
 * conditional claim sends it once.
 *
 * Each kind carries its own vars (template variables, snapshotted when the notice is made), one zod
 * schema per kind below. `Notice` is the discriminated union of the kinds (`kind` + typed `vars`),
 * so a notice made with a wrong or missing field is a type error where it is made. The queue carries
 * a `NoticeMessage` (`noticeSchema`: the envelope, vars not yet checked); the mailer checks its vars
 * against the same schemas (`checkNotice`) before rendering: a notice whose vars do not fit is a bug
 * in whoever made it, recorded as failed rather than retried.
 *
 * Vars per kind (`unit` is a unit id, its name comes from the city; dates are YYYY-MM-DD):
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
 *                  feedbackUrl (the proposer's own link), feedbackDeadline, rehandlePossible? (false: last round),
 *                  letterUrl? (the printable 答复函, with the same token: app/reply-letter.ts letterUrl),
 *                  parts? (分办: a part answered before the others)
 * - feedbackReminder 评价提醒 to one proposer who has not rated yet: number, title, unit, proposerName,
 *                  feedbackUrl (their own link), feedbackDeadline, daysLeft
 * - replyReturned  答复退回 to the unit: number, title, unit, reason, proposalId
 * - rehandling     重新办理 to the unit: number, title, unit, deadline, comment? (the proposer's), proposalId
 * - closed         办结: number, title, proposalId, followUp (B/C: 跟踪落实 continues)
 * - bulletin       通报: period (e.g. "2026年3月"), rows {unit, unitName, open, followUp, overdue (now),
 *                  periodAnswered, periodOnTime (the period), assigned, answered, replyRate, onTimeReplyRate
 *                  (0..1|null, the year to date)}, best and criticized (unit ids), to? (the unit whose copy it is)
 * - reviewResult   不予立案 / 并案 to the proposers: number, title, proposalId, decision rejected|merged,
 *                  reason?, intoNumber?, intoTitle?
 * - replyForReview 答复待审核 to the office: number, title, unit, replyClass, round, proposalId
 * - replyForSignOff 答复待签发 to the lead unit's head: number, title, unit, replyClass, round, n, proposalId
 * - replyForCountersign 答复待会签 to a co-unit: number, title, unit (the co-unit), lead, replyClass, n, deadline, proposalId
 * - secondReply    二次答复 to one proposer: number, title, unit, proposerName, text, proposalId
 * - deliveryFailed 通知发送失败 to the office: failedKind, noticeId, to (addresses), reason,
 *                  number?, title?, proposalId? (when the failed notice was about a proposal)
 * - extensionRequested 申请延期 to the office: number, title, unit, until (date asked for), reason, decideBy, n, proposalId
 * - extensionDecided 延期审批结果 to the lead unit: number, title, unit, approve, until, reason? (the office's), proposalId
 * - supervision    督办记录 to the supervised unit: number, title, unit, mode onsite|phone|meeting, at (date), note, proposalId
 * - withdrawn      撤案 to each unit that had it (or the office when none had): number, title, unit?, reason, proposalId
 * - keyProposal, instruction, instructionAcknowledged, returnedToCommittee: events/key-proposal-notices.ts
 * - cosignRequest: events/member-notices.ts
 */
import * as z from '#shared/zod.ts';
import { keyProposalNoticeSchemas } from '#events/key-proposal-notices.ts';
import { memberNoticeSchemas } from '#events/member-notices.ts';

export const noticeKinds = [
  'assignment', // 交办通知 to a unit (lead or co)
  'triage', // no unit matched: the office assigns by hand
  'objection', // 申请调整 reached the office
  'objectionDeclined', // 维持原交办: the office kept the objecting unit; sign by the new deadline
  'reassignment', // a unit lost the case
  'reminder', // 提醒: a deadline is near
  'escalation', // 催办 / 督办 / leader, by level
  'replyApproved', // 答复 to a proposer, with the feedback link
  'feedbackReminder', // 评价提醒 to a proposer who has not rated the reply yet, with their link again
  'replyReturned', // 退回 to the unit
  'rehandling', // 重新办理
  'closed', // 办结
  'bulletin', // 通报
  'reviewResult', // 不予立案 / 并案 to the proposers
  'replyForReview', // a reply waits for the office's review (答复审核)
  'deliveryFailed', // 通知发送失败: a notice could not be delivered (to the office; never retried in a loop)
  'extensionRequested', // 申请延期: the lead unit asks the office for a later reply deadline
  'extensionDecided', // 延期审批结果 to the lead unit
  'supervision', // 督办记录 to the supervised unit
  'withdrawn', // 撤案: the proposers withdrew it; the units stop handling it
  'keyProposal', // 重点提案: to its leading leader (领办), set or cleared
  'instruction', // 领导批示 to each assigned unit (to acknowledge)
  'instructionAcknowledged', // 批示已签收 by a unit, to the leader
  'returnedToCommittee', // 退回提案委员会: the office found it outside the government's remit
  'cosignRequest', // 联名确认: a co-proposer is asked to confirm (console link)
  'replyForSignOff', // 答复待签发: the lead unit's reply waits for its head (签发)
  'replyForCountersign', // 答复待会签: the signed reply waits for a co-unit's 会签
  'secondReply', // 二次答复 to a proposer: the final progress report of a followed-up reply
] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** The obligations reminders and escalations are about (the objection window has no timer). */
export const noticeObligations = [
  'acknowledge',
  'objectionDecision',
  'extensionDecision',
  'contact',
  'coOpinion',
  'reply',
  'feedback',
  'rehandle',
  'followUp',
  'instruction',
  'replyReview',
  'countersign',
] as const;
export type NoticeObligation = (typeof noticeObligations)[number];

/** Who receives it; the mailer resolves these to addresses from the city config. */
export const recipientSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('unit'), unit: z.string() }),
    z.object({ kind: z.literal('unitHead'), unit: z.string() }),
    z.object({ kind: z.literal('office') }),
    // With a unit: the leaders in charge of it (分管领导, email.leaders[].units); without: every leader.
    z.object({ kind: z.literal('leaders'), unit: z.optional(z.string()) }),
    z.object({ kind: z.literal('address'), email: z.email(), name: z.optional(z.string()) }),
    // One leader by name (email.leaders[].name): the 领办领导 of a key proposal.
    z.object({ kind: z.literal('leader'), name: z.string() }),
    // 政协提案委员会 (email.committee).
    z.object({ kind: z.literal('committee') }),
  ]),
);
export type Recipient = z.infer<typeof recipientSchema>;

// ---- vars, one schema per kind ----

// Every schema here is built on first use (z.lazy): a function renders a few kinds per cold start.
const text = z.lazy(() => z.string().check(z.minLength(1, 'empty')));
const date = z.lazy(() => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date (YYYY-MM-DD)')));
const count = z.lazy(() => z.int().check(z.nonnegative()));
const role = z.lazy(() => z.enum(['lead', 'co']));
/** A code of the city's reply classes (default A-D). */
const replyClass = z.lazy(() => z.string().check(z.minLength(1, 'empty'), z.maxLength(4)));
const proposal = { number: text, title: text, proposalId: text };

const schemas = {
  assignment: z.lazy(() =>
    z.object({
      ...proposal,
      unit: text,
      role,
      deadlines: z.object({
        acknowledge: z.optional(date),
        objection: z.optional(date),
        contact: z.optional(date),
        coOpinion: z.optional(date),
        reply: z.optional(date),
      }),
      matchedKeywords: z.array(z.string()),
      proposers: z.array(text),
      /** 分办: the other lead units (unit ids), each answering its own part. */
      partners: z.optional(z.array(text)),
    }),
  ),
  triage: z.lazy(() => z.object({ ...proposal, reason: text })),
  objection: z.lazy(() => z.object({ ...proposal, unit: text, reason: text })),
  objectionDeclined: z.lazy(() => z.object({ ...proposal, unit: text, reason: z.optional(z.string()), deadline: z.optional(date) })),
  reassignment: z.lazy(() =>
    z.object({ ...proposal, unit: text, change: z.enum(['removed', 'added']), role: z.optional(role), reason: z.optional(z.string()) }),
  ),
  reminder: z.lazy(() =>
    z.object({ ...proposal, unit: z.optional(text), obligation: z.enum(noticeObligations), deadline: date, daysLeft: count }),
  ),
  escalation: z.lazy(() =>
    z.object({
      ...proposal,
      unit: z.optional(text),
      obligation: z.enum(noticeObligations),
      deadline: date,
      level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      daysOverdue: count,
    }),
  ),
  replyApproved: z.lazy(() =>
    z.object({
      number: text,
      title: text,
      unit: text,
      replyClass,
      replyText: text,
      proposerName: text,
      feedbackUrl: text,
      feedbackDeadline: date,
      /** false on the last round: a 不满意 then closes the proposal (absent: an older notice, worded as before). */
      rehandlePossible: z.optional(z.boolean()),
      /** The printable 答复函 (GET /v1/letter?id=&n=&token=, the proposer's token); absent in older notices. */
      letterUrl: z.optional(text),
      /**
       * 分办: how many units answer a part each, when this part's reply comes before the others'; the
       * feedback deadline is then the link's (the proposal's own starts with the last part).
       */
      parts: z.optional(count),
    }),
  ),
  feedbackReminder: z.lazy(() =>
    z.object({ number: text, title: text, unit: text, proposerName: text, feedbackUrl: text, feedbackDeadline: date, daysLeft: count }),
  ),
  replyReturned: z.lazy(() => z.object({ ...proposal, unit: text, reason: text })),
  rehandling: z.lazy(() =>
    z.object({
      ...proposal,
      unit: text,
      deadline: date,
      comment: z.optional(z.string()),
      /** Ordered by the office (with its reason) rather than after a proposer's 不满意. */
      orderedBy: z.optional(z.literal('office')),
      reason: z.optional(z.string()),
    }),
  ),
  extensionRequested: z.lazy(() => z.object({ ...proposal, unit: text, n: count, until: date, reason: text, decideBy: date })),
  extensionDecided: z.lazy(() => z.object({ ...proposal, unit: text, approve: z.boolean(), until: date, reason: z.optional(z.string()) })),
  supervision: z.lazy(() => z.object({ ...proposal, unit: text, mode: z.enum(['onsite', 'phone', 'meeting']), at: date, note: text })),
  withdrawn: z.lazy(() => z.object({ ...proposal, unit: z.optional(text), reason: text })),
  closed: z.lazy(() => z.object({ ...proposal, followUp: z.boolean() })),
  reviewResult: z.lazy(() =>
    z.object({
      ...proposal,
      decision: z.enum(['rejected', 'merged']),
      reason: z.optional(z.string()),
      intoNumber: z.optional(z.string()),
      intoTitle: z.optional(z.string()),
    }),
  ),
  replyForReview: z.lazy(() => z.object({ ...proposal, unit: text, replyClass, round: count })),
  replyForSignOff: z.lazy(() => z.object({ ...proposal, unit: text, replyClass, round: count, n: count })),
  replyForCountersign: z.lazy(() => z.object({ ...proposal, unit: text, lead: text, replyClass, n: count, deadline: date })),
  secondReply: z.lazy(() => z.object({ number: text, title: text, unit: text, proposerName: text, text: text, proposalId: text })),
  deliveryFailed: z.lazy(() =>
    z.object({
      failedKind: z.enum(noticeKinds),
      noticeId: text,
      to: z.array(z.string()),
      reason: text,
      number: z.optional(text),
      title: z.optional(text),
      proposalId: z.optional(text),
    }),
  ),
  ...keyProposalNoticeSchemas,
  ...memberNoticeSchemas,
  bulletin: z.lazy(() =>
    z.object({
      period: text,
      rows: z.array(
        z.object({
          unit: text,
          unitName: text,
          /** Now: proposals not closed on which the unit owes something; closed ones whose follow-up it owes; of both, past a deadline. */
          open: count,
          followUp: count,
          overdue: count,
          /** The period: its replies that left the unit (签发) in it, and of those on time. */
          periodAnswered: count,
          periodOnTime: count,
          /** The year to date: its lead proposals, answered, 办复率 and 按时办复率. */
          assigned: count,
          answered: count,
          replyRate: z.nullable(z.number().check(z.gte(0), z.lte(1))),
          onTimeReplyRate: z.nullable(z.number().check(z.gte(0), z.lte(1))),
        }),
      ),
      /** 表扬: no overdue item, the highest 按时办复率 (at most three); 批评: every unit with an overdue item. */
      best: z.array(z.string()),
      criticized: z.array(z.string()),
      /** The unit this copy goes to (replies.bulletinToUnits); absent: the office's and the leaders'. */
      to: z.optional(text),
    }),
  ),
};

/** Each kind's vars, as its schema outputs them. */
export type NoticeVarsMap = { [K in NoticeKind]: z.output<(typeof schemas)[K]> };
export type NoticeVars<K extends NoticeKind> = NoticeVarsMap[K];
export const noticeVarsSchemas: { [K in NoticeKind]: z.ZodMiniType<NoticeVarsMap[K]> } = schemas;
export type BulletinVars = NoticeVars<'bulletin'>;

// ---- the notice ----

/** A notice of one kind, its vars typed by that kind. */
export interface NoticeOf<K extends NoticeKind> {
  id: string;
  kind: K;
  proposalId?: string;
  recipients: Recipient[];
  /** Template variables, snapshotted when the notice was made (case number, title, unit, deadline...). */
  vars: NoticeVars<K>;
  createdAt: string;
}
/** Every notice kind, one member each: what the reactor, the sweep and the bounces make. */
export type Notice = { [K in NoticeKind]: NoticeOf<K> }[NoticeKind];

/** A notice as the queue carries it: the envelope checked, its vars not yet (see checkNotice). */
export const noticeSchema = z.lazy(() =>
  z.object({
    id: z.string().check(z.minLength(1), z.maxLength(512)),
    kind: z.enum(noticeKinds),
    proposalId: z.optional(z.string()),
    recipients: z.array(recipientSchema).check(z.minLength(1)),
    vars: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  }),
);
export type NoticeMessage = z.infer<typeof noticeSchema>;

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

/** The message as a typed notice, its vars checked against its kind's schema; NoticeVarsError when they do not fit. */
export function checkNotice<K extends NoticeKind>(message: NoticeMessage & { kind: K }): NoticeOf<K> {
  const parsed = noticeVarsSchemas[message.kind].safeParse(message.vars);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => pathOf(i.path));
    const detail = parsed.error.issues.map((i) => `${pathOf(i.path)}: ${i.message}`).join('; ');
    throw new NoticeVarsError(message.kind, fields, detail);
  }
  return { ...message, vars: parsed.data };
}

/** rows[0].unitName (as formatPath in shared/domain/city-config.ts words a config path). */
function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

/**
 * A delivery report (投递报告): what the mailer leaves on a notice's ledger item (NOTICE#<id>) when
 * the office must hear of it, for the reactor to act on from the table stream: `failed` (the notice
 * could not be delivered, for good: noted on the proposal's timeline, and a deliveryFailed notice to
 * the office) or `suppressed` (sent, but some addresses were skipped as bounced: noted on the
 * timeline). The mailer itself writes no proposal and sends nothing but mail.
 */
export const deliveryReportSchema = z.lazy(() =>
  z.object({
    noticeId: z.string().check(z.minLength(1)),
    report: z.enum(['failed', 'suppressed']),
    kind: z.enum(noticeKinds),
    proposalId: z.optional(z.string()),
    /** The case number and title of the notice, for the office's email. */
    number: z.optional(z.string()),
    title: z.optional(z.string()),
    /** The addresses it was sent (or meant) to; the reason it failed. */
    to: z.array(z.string()),
    reason: z.optional(z.string()),
    /** Addresses skipped because they are on the suppression list. */
    suppressed: z._default(z.array(z.string()), []),
    at: z.string(),
  }),
);
export type DeliveryReport = z.output<typeof deliveryReportSchema>;

/**
 * The notice maker of one event about one proposal: each notice's id is `<eventId>/<kind>/<key>`
 * (deterministic, so a repeated event makes the same notices and the mailer sends each once).
 */
export const noticeMaker =
  (event: { eventId: string; at: string }, proposalId: string) =>
  <K extends NoticeKind>(kind: K, key: string, recipients: Recipient[], vars: NoticeVars<K>): NoticeOf<K> => ({
    id: `${event.eventId}/${kind}/${key}`,
    kind,
    proposalId,
    recipients,
    vars,
    createdAt: event.at,
  });
