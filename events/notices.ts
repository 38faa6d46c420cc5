/**
 * Notice messages (通知): what the reactor and the sweep put on the notices queue and the mailer
 * turns into one email. The id is deterministic (derived from the event that caused it and the
 * recipient), so a repeated delivery or a re-run reactor produces the same id and the mailer's
 * conditional claim sends it once.
 */
import * as z from '#shared/zod.ts';

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
] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** Who receives it; the mailer resolves these to addresses from the city config. */
export const recipientSchema = z.lazy(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit'), unit: z.string() }),
  z.object({ kind: z.literal('unitHead'), unit: z.string() }),
  z.object({ kind: z.literal('office') }),
  // With a unit: the leaders in charge of it (分管领导, email.leaders[].units); without: every leader.
  z.object({ kind: z.literal('leaders'), unit: z.optional(z.string()) }),
  z.object({ kind: z.literal('address'), email: z.email(), name: z.optional(z.string()) }),
]));
export type Recipient = z.infer<typeof recipientSchema>;

export const noticeSchema = z.lazy(() => z.object({
  id: z.string().check(z.minLength(1), z.maxLength(512)),
  kind: z.enum(noticeKinds),
  proposalId: z.optional(z.string()),
  recipients: z.array(recipientSchema).check(z.minLength(1)),
  /** Template variables, snapshotted when the notice was made (case number, title, unit, deadline...). */
  vars: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
}));
export type Notice = z.infer<typeof noticeSchema>;

/**
 * A delivery report (投递报告): what the mailer leaves on a notice's ledger item (NOTICE#<id>) when
 * the office must hear of it, for the reactor to act on from the table stream: `failed` (the notice
 * could not be delivered, for good: noted on the proposal's timeline, and a deliveryFailed notice to
 * the office) or `suppressed` (sent, but some addresses were skipped as bounced: noted on the
 * timeline). The mailer itself writes no proposal and sends nothing but mail.
 */
export const deliveryReportSchema = z.lazy(() => z.object({
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
}));
export type DeliveryReport = z.output<typeof deliveryReportSchema>;
