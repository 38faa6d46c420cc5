/**
 * Ports (端口): what use cases need from the outside world. Adapters in shared/adapters implement
 * them on DynamoDB, SQS and SES; tests use the small fakes in test/fakes.
 */
import type { DomainEvent, NewEvent } from '#events/domain-events.ts';
import type { Notice } from '#events/notices.ts';
import type { Proposal } from '#domain/proposal.ts';

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
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

/** Proposal store (DynamoDB single table): proposals, their event items, the case counter. */
export interface ProposalStore {
  /**
   * Allocates the year's next case sequence (gapless: the counter, the proposal and its events are
   * written in one transaction) and creates the proposal that `build(seq)` returns.
   */
  create(year: number, build: (seq: number) => { proposal: Proposal; events: NewEvent[] }): Promise<{ proposal: Proposal; events: DomainEvent[] }>;
  get(id: string): Promise<Proposal | undefined>;
  /**
   * Writes the new state of a proposal whose stored version is `expectedVersion`, and appends the
   * events, in one transaction. Throws VersionConflict when someone else wrote first.
   */
  save(proposal: Proposal, expectedVersion: number, events: NewEvent[]): Promise<DomainEvent[]>;
  events(id: string): Promise<DomainEvent[]>;
}

export class VersionConflict extends Error {
  constructor(readonly proposalId: string) {
    super(`proposal ${proposalId} was changed by someone else`);
    this.name = 'VersionConflict';
  }
}

/** Records which notices were sent (idempotency of the mailer). */
export interface NoticeLedger {
  /** 'claimed': go ahead and send; 'sent': already sent, do nothing; 'busy': another delivery holds it. */
  claim(noticeId: string, now: Date, leaseMs: number): Promise<'claimed' | 'sent' | 'busy'>;
  markSent(noticeId: string, result: { messageId: string; to: string[]; at: string }): Promise<void>;
  release(noticeId: string): Promise<void>;
}
