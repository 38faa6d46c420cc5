/**
 * Ports (端口): what use cases need from the outside world. Adapters in shared/adapters implement
 * them on DynamoDB, SQS and SES; tests use the small fakes in test/fakes.
 */
import type { DomainEvent } from '#events/domain-events.ts';
import type { DeliveryReport, Notice } from '#events/notices.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { Member } from '#domain/member.ts';
import type { CityTimer, ProposalTimer, Timer } from '#domain/timer-schedule.ts';
import type { Commit, FiredTimer, TimerMove } from '#domain/commit.ts';

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Traced back from bounce notifications (SES message tags: ASCII letters, digits, `_`, `-`). */
  tags?: Record<string, string>;
}

/** Sends one email (SES). Throws MailError with `permanent` true for a bad address. */
export interface MailSender {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** Puts notices on the notices queue (SQS). */
export interface NoticeQueue {
  send(notices: readonly Notice[]): Promise<void>;
}

export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly throttled = false,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

/** Proposal store (DynamoDB single table): proposals, their event items, the case counter. It writes what it is given. */
export interface ProposalStore {
  /**
   * Allocates the year's next case sequence and writes the commit that `build(seq)` returns, with the
   * counter in the same transaction (gapless: a build that throws takes no number). Returns that commit.
   */
  create(year: number, build: (seq: number) => Commit): Promise<Commit>;
  get(id: string): Promise<Proposal | undefined>;
  /**
   * Writes a commit in one transaction: the proposal under the condition that its stored version is
   * still `expectedVersion`, its events, its timer puts and deletes, and, for a change the sweep
   * makes, the fired timer's own write under the condition that the timer is still at its step.
   * Throws VersionConflict when someone else wrote first (nothing is written).
   */
  save(commit: Commit, fired?: FiredTimer): Promise<void>;
  events(id: string): Promise<DomainEvent[]>;
}

/** Timer store: the proposals' timers (one per open obligation) and the city's, in the due index. */
export interface TimerStore {
  /** Timers due at `now` (ISO), oldest first, from every shard of the due index (Query, never a Scan). */
  due(now: string, limit: number): Promise<{ timers: Timer[]; consumedRead: number }>;
  /** A proposal's timers (one per open obligation). */
  ofProposal(proposalId: string): Promise<ProposalTimer[]>;
  /**
   * Moves `timer` from its current step to `move` (or deletes it), only if it is still at that step.
   * Returns false when another sweep or a writer got there first (nothing is written).
   */
  advance(timer: Timer, move: TimerMove): Promise<boolean>;
  /** Creates a city-wide timer unless it exists. */
  ensureCityTimer(timer: CityTimer): Promise<void>;
}

export class VersionConflict extends Error {
  constructor(readonly proposalId: string) {
    super(`proposal ${proposalId} was changed by someone else`);
    this.name = 'VersionConflict';
  }
}

/** Records which notices were sent (idempotency of the mailer). */
export interface NoticeLedger {
  /**
   * 'claimed': go ahead and send; 'sent': already sent, do nothing; 'failed': failed for good
   * (recorded), do nothing; 'busy': another delivery holds it.
   */
  claim(noticeId: string, now: Date, leaseMs: number): Promise<'claimed' | 'sent' | 'failed' | 'busy'>;
  /** Sent; with a report when some addresses were skipped (suppressed), for the reactor. */
  markSent(noticeId: string, result: { messageId: string; to: string[]; at: string }, report?: DeliveryReport): Promise<void>;
  /** A permanent failure (bad address, rejected, bad vars): never sent again; the report is for the reactor (the office is told). */
  markFailed(noticeId: string, result: { reason: string; to: string[]; at: string }, report: DeliveryReport): Promise<void>;
  release(noticeId: string): Promise<void>;
}

/** Addresses that must not be mailed (bounced, complained). Stored lower-cased. */
export interface SuppressionList {
  isSuppressed(email: string): Promise<boolean>;
  add(email: string, reason: string): Promise<void>;
}

/** Pages through a year's proposals (the byYear index), oldest case number first; `afterSeq` skips the older ones. */
export interface ProposalIndex {
  page(year: number, opts: { limit: number; cursor?: string; afterSeq?: number }): Promise<{ items: Proposal[]; cursor?: string }>;
}

/** Every proposal of a year (after `afterSeq`), all pages. A city has hundreds a year. */
export async function allOfYear(index: ProposalIndex, year: number, afterSeq?: number): Promise<Proposal[]> {
  const all: Proposal[] = [];
  let cursor: string | undefined;
  do {
    const page = await index.page(year, { limit: 200, ...(cursor ? { cursor } : {}), ...(afterSeq !== undefined ? { afterSeq } : {}) });
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}

/** The member directory (委员名册). It stores; the use cases decide (shared/app/members.ts). */
export interface MemberDirectory {
  get(memberId: string): Promise<Member | undefined>;
  /** The members of these ids that exist (one read for a submission's proposers). */
  getMany(memberIds: readonly string[]): Promise<Map<string, Member>>;
  /** Creates or replaces the member. */
  put(member: Member): Promise<void>;
  /** Every member (a city has a few hundred), in memberId order. */
  all(): Promise<Member[]>;
  /**
   * Counts one submission of the member on the local `day` (YYYY-MM-DD), unless `limit` are counted
   * already: then false, and nothing is counted.
   */
  countSubmission(memberId: string, day: string, limit: number): Promise<boolean>;
}

/** Remembers the first result of a write sent with an Idempotency-Key. */
export interface IdempotencyStore {
  /** 'new': go ahead (the key is now held); 'done': here is the first result; 'pending': the first is still running. */
  begin(
    scope: string,
    key: string,
    now: Date,
  ): Promise<{ state: 'new' } | { state: 'pending' } | { state: 'done'; response: StoredResponse }>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  abandon(scope: string, key: string): Promise<void>;
}
export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Business metrics: counts of what happened, per city (CloudWatch, namespace Proposals, dimension city). */
export type MetricName =
  | 'ProposalsSubmitted'
  | 'EventsHandled'
  | 'EventsFailed'
  | 'NoticesSent'
  | 'NoticesDuplicate'
  | 'NoticesFailed'
  | 'NoticesSuppressed'
  | 'NoticesWithoutRecipients'
  | 'NoticesRetried'
  | 'NoticesUnrecorded'
  | 'NoticesBounced'
  | 'TimersFired'
  | 'TimersDeferred'
  | 'AddressesSuppressed';

export interface Metrics {
  count(name: MetricName, value?: number): void;
  /** Writes what was counted since the last flush (once per invocation). */
  flush(): void;
}
