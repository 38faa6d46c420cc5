/**
 * Ports (端口): what use cases need from the outside world. Adapters in shared/adapters implement
 * them on DynamoDB, SQS and SES; tests use the small fakes in test/fakes.
 */
import type { DomainEvent } from '#events/domain-events.ts';
import type { DeliveryReport, Notice } from '#events/notices.ts';
import type { PoisonRecord } from '#events/stream-poison.ts';
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

/** Sets aside a stream record the reactor could not handle (SQS: the stream-poison queue), for a redrive. */
export interface PoisonQueue {
  send(record: PoisonRecord): Promise<void>;
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
  /** A named counter's current value (0 when it was never moved); a commit moves it (Commit.counter). */
  counterValue(name: string): Promise<number>;
}

/** Timer store: the proposals' timers (one per open obligation) and the city's, in the due index. */
export interface TimerStore {
  /**
   * Timers due at `now` (ISO), oldest first, from every shard of the due index (Query, never a Scan),
   * at most `limit` in all. An item there that does not read as a timer comes back in `unreadable`,
   * never thrown (one bad item must not stop the sweep).
   */
  due(now: string, limit: number): Promise<{ timers: Timer[]; unreadable: UnreadableTimer[]; consumedRead: number }>;
  /** A proposal's timers (one per open obligation). */
  ofProposal(proposalId: string): Promise<ProposalTimer[]>;
  /**
   * Moves `timer` from its current step to `move` (or deletes it), only if it is still at that step.
   * Returns false when another sweep or a writer got there first (nothing is written).
   */
  advance(timer: Timer, move: TimerMove): Promise<boolean>;
  /** Creates a city-wide timer unless it exists. */
  ensureCityTimer(timer: CityTimer): Promise<void>;
  /**
   * Moves an unreadable item's place in the due index to `nextAt` (so it stops coming first), only
   * if it is still where it was read. Returns false when it moved or went meanwhile.
   */
  postpone(item: UnreadableTimer, nextAt: string): Promise<boolean>;
}

/** An item of the due index that does not read as a timer (damaged, or written by another version). */
export interface UnreadableTimer {
  /** Its table key (P#<id> / TIMER#<obligation id>), for the log and to move it. */
  key: { PK: string; SK: string };
  /** Its place in the due index when read (DUE_SK: <fire time>#<ids>). */
  dueKey: string;
  /** Why it does not read. */
  error: string;
}

export class VersionConflict extends Error {
  constructor(readonly proposalId: string) {
    super(`提案 ${proposalId} 刚被他人修改，请刷新后重试`);
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

/**
 * Remembers the first result of a write sent with an Idempotency-Key, until the record's `expiresAt`
 * (the table's TTL deletes it; until then an expired record counts as absent).
 */
export interface IdempotencyStore {
  /**
   * Holds the key for a new request ('new', the record now 'pending'), or answers what holds it: the
   * first result ('done') or a first request not finished ('pending'), each with that request's
   * fingerprint (absent on records written before fingerprints were kept).
   */
  begin(scope: string, key: string, record: IdempotencyRecord, now: Date): Promise<IdempotencyBegun>;
  /** Keeps the first result (the record becomes 'done'); the expiry stays. */
  complete(scope: string, key: string, record: IdempotencyRecord & { response: StoredResponse }): Promise<void>;
  /** Forgets the key (the request failed: a retry runs again). */
  abandon(scope: string, key: string): Promise<void>;
}
export interface IdempotencyRecord {
  /** A hash of the request (method, path, body): the same key with another request is refused. */
  fingerprint: string;
  expiresAt: Date;
}
export type IdempotencyBegun =
  { state: 'new' } | { state: 'pending'; fingerprint?: string } | { state: 'done'; fingerprint?: string; response: StoredResponse };
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
  | 'TimersFailed'
  | 'EventsPoisoned'
  | 'AddressesSuppressed';

export interface Metrics {
  count(name: MetricName, value?: number): void;
  /** Writes what was counted since the last flush (once per invocation). */
  flush(): void;
}
