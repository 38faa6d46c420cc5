/**
 * Small hand-written fakes of our own ports, recording what they receive. Functional tests build an
 * AppState from these; the real adapters are tested against the local emulators.
 */
import type { DomainEvent } from '#events/domain-events.ts';
import type { DeliveryReport, Notice } from '#events/notices.ts';
import type { PoisonRecord } from '#events/stream-poison.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { FixedClock } from '#shared/clock.ts';
import type { CityTimer, ProposalTimer, Timer, TimerChanges } from '#domain/timer-schedule.ts';
import type { Commit, FiredTimer, TimerMove } from '#domain/commit.ts';
import { configParts, type AppState } from '#app/state.ts';
import { feedbackKeys } from '#app/feedback-token.ts';
import { FakeSuppressionList } from './suppression.ts';
import { FakeMemberDirectory, sampleMembers } from './members.ts';
import {
  VersionConflict,
  type MailSender,
  type MetricName,
  type Metrics,
  type NoticeLedger,
  type NoticeQueue,
  type OutgoingMail,
  type PoisonQueue,
  type ProposalIndex,
  type ProposalStore,
  type IdempotencyBegun,
  type IdempotencyRecord,
  type IdempotencyStore,
  type StoredResponse,
  type TimerStore,
  type UnreadableTimer,
} from '#app/ports.ts';

const obligationKey = (proposalId: string, obligationId: string) => `P#${proposalId}/TIMER#${obligationId}`;
const timerId = (t: Timer) => (t.kind === 'city' ? `CITY/TIMER#${t.name}` : obligationKey(t.proposalId, t.obligationId));

/**
 * Proposals, their events and the case counters, in maps. It writes the commits it is given (the real
 * `commit` of shared/domain/commit.ts made them) and checks only what the table's conditions check:
 * the stored version, and a fired timer's step.
 */
export class FakeProposalStore implements ProposalStore {
  readonly proposals = new Map<string, Proposal>();
  readonly eventLog: DomainEvent[] = [];
  private counters = new Map<number, number>();
  private readonly named = new Map<string, number>();

  constructor(private readonly timers: FakeTimerStore) {}

  async create(year: number, build: (seq: number) => Commit) {
    const seq = (this.counters.get(year) ?? 0) + 1;
    const c = build(seq);
    this.counters.set(year, seq);
    this.write(c);
    return c;
  }
  async get(id: string) {
    const p = this.proposals.get(id);
    return p ? structuredClone(p) : undefined;
  }
  async save(c: Commit, fired?: FiredTimer) {
    if (this.proposals.get(c.proposal.id)?.version !== c.expectedVersion) throw new VersionConflict(c.proposal.id);
    if (fired && !this.timers.isAt(fired.timer)) throw new VersionConflict(c.proposal.id);
    if (c.counter && (this.named.get(c.counter.name) ?? 0) !== c.counter.current) throw new VersionConflict(c.proposal.id);
    if (c.counter) this.named.set(c.counter.name, c.counter.current + 1);
    this.write(c);
    if (fired) this.timers.write(fired);
  }
  async events(id: string) {
    return this.eventLog.filter((e) => e.proposalId === id);
  }
  async counterValue(name: string) {
    return this.named.get(name) ?? 0;
  }
  private write(c: Commit) {
    this.proposals.set(c.proposal.id, structuredClone(c.proposal));
    this.eventLog.push(...structuredClone(c.events));
    this.timers.apply(c.proposal.id, c.timers);
  }
}

/**
 * Timers by PK/SK, like the table: `P#<id>/TIMER#<obligationId>`, `CITY/TIMER#bulletin`. `unreadable`
 * holds items of the due index that do not read as timers (a test plants them), by the same key.
 */
export class FakeTimerStore implements TimerStore {
  readonly items = new Map<string, Timer>();
  readonly unreadable = new Map<string, UnreadableTimer>();

  async due(now: string, limit: number) {
    const end = `${now}#\uffff`; // the due index's sort key is "<fire time>#<ids>"
    const due = [
      ...[...this.items.values()].filter((t) => t.nextAt !== undefined).map((t) => ({ at: `${t.nextAt}#${timerId(t)}`, timer: t })),
      ...[...this.unreadable.values()].map((u) => ({ at: u.dueKey, unreadable: u })),
    ]
      .filter((d) => d.at <= end)
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(0, limit);
    return {
      timers: structuredClone(due.flatMap((d) => ('timer' in d ? [d.timer] : []))),
      unreadable: structuredClone(due.flatMap((d) => ('unreadable' in d ? [d.unreadable] : []))),
      consumedRead: 0,
    };
  }
  async postpone(item: UnreadableTimer, nextAt: string) {
    const key = `${item.key.PK}/${item.key.SK}`;
    const stored = this.unreadable.get(key);
    if (stored?.dueKey !== item.dueKey) return false;
    this.unreadable.set(key, { ...stored, dueKey: `${nextAt}${stored.dueKey.slice(stored.dueKey.indexOf('#'))}` });
    return true;
  }
  /** Plants an item of the due index that does not read as a timer, due at `at`. */
  plantUnreadable(key: { PK: string; SK: string }, at: string, error = 'kind: invalid input') {
    this.unreadable.set(`${key.PK}/${key.SK}`, { key, dueKey: `${at}#${key.PK}#${key.SK}`, error });
  }
  async ofProposal(proposalId: string) {
    return [...this.items.values()]
      .filter((t): t is ProposalTimer => t.kind === 'obligation' && t.proposalId === proposalId)
      .map((t) => structuredClone(t));
  }
  async advance(timer: Timer, move: TimerMove) {
    if (!this.isAt(timer)) return false;
    this.write({ timer, then: move });
    return true;
  }
  async ensureCityTimer(timer: CityTimer) {
    if (!this.items.has(timerId(timer))) this.items.set(timerId(timer), structuredClone(timer));
  }
  /** The timer is stored at the step it was read at (the condition of a fired timer's write). */
  isAt(timer: Timer): boolean {
    return this.items.get(timerId(timer))?.step === timer.step;
  }
  /** A fired timer's write (its condition checked by the caller). */
  write({ timer, then }: FiredTimer) {
    const key = timerId(timer);
    if (then === 'delete') this.items.delete(key);
    else if ('put' in then) this.items.set(key, structuredClone(then.put));
    else {
      const { nextAt: _, ...rest } = timer;
      this.items.set(key, { ...rest, step: then.step, ...(then.nextAt ? { nextAt: then.nextAt } : {}) });
    }
  }
  /** A commit's timer puts and deletes. */
  apply(proposalId: string, { put, remove }: TimerChanges) {
    for (const t of put) this.items.set(timerId(t), structuredClone(t));
    for (const id of remove) this.items.delete(obligationKey(proposalId, id));
  }
}

export class FakeProposalIndex implements ProposalIndex {
  constructor(private readonly store: FakeProposalStore) {}
  async page(year: number, opts: { limit: number; cursor?: string; afterSeq?: number }) {
    const all = [...this.store.proposals.values()]
      .filter((p) => p.year === year && p.seq > (opts.afterSeq ?? 0))
      .sort((a, b) => a.seq - b.seq);
    const start = opts.cursor ? Number(opts.cursor) : 0;
    const items = all.slice(start, start + opts.limit).map((p) => structuredClone(p));
    return { items, ...(start + opts.limit < all.length ? { cursor: String(start + opts.limit) } : {}) };
  }
}

/** Keeps the records in memory, an expired one counting as absent (as the table's TTL makes it); `failComplete` makes `complete` throw. */
export class FakeIdempotencyStore implements IdempotencyStore {
  readonly entries = new Map<
    string,
    (IdempotencyRecord & { state: 'pending' }) | (IdempotencyRecord & { state: 'done'; response: StoredResponse })
  >();
  /** Set to make every `complete` throw it (the store failing after the command ran). */
  failComplete: Error | undefined;
  async begin(scope: string, key: string, record: IdempotencyRecord, now: Date): Promise<IdempotencyBegun> {
    const e = this.entries.get(`${scope}|${key}`);
    if (e && e.expiresAt > now) return structuredClone(e);
    this.entries.set(`${scope}|${key}`, { ...record, state: 'pending' });
    return { state: 'new' };
  }
  async complete(scope: string, key: string, record: IdempotencyRecord & { response: StoredResponse }) {
    if (this.failComplete) throw this.failComplete;
    this.entries.set(`${scope}|${key}`, { ...record, state: 'done' });
  }
  async abandon(scope: string, key: string) {
    this.entries.delete(`${scope}|${key}`);
  }
}

export class FakeNoticeQueue implements NoticeQueue {
  readonly sent: Notice[] = [];
  async send(notices: readonly Notice[]) {
    this.sent.push(...notices);
  }
}

/** The stream-poison queue: what the reactor set aside; `failNext` makes the next sends fail. */
export class FakePoisonQueue implements PoisonQueue {
  readonly sent: PoisonRecord[] = [];
  failNext = 0;
  async send(record: PoisonRecord) {
    if (this.failNext > 0 && this.failNext--) throw new Error('SQS unavailable');
    this.sent.push(structuredClone(record));
  }
}

/** Records the counts; `flushed` holds what each flush wrote. */
export class FakeMetrics implements Metrics {
  counts = new Map<MetricName, number>();
  readonly flushed: Map<MetricName, number>[] = [];
  count(name: MetricName, value = 1) {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }
  flush() {
    if (this.counts.size) this.flushed.push(this.counts);
    this.counts = new Map();
  }
}

export class FakeMailSender implements MailSender {
  readonly outbox: OutgoingMail[] = [];
  failNext: Error[] = [];
  async send(mail: OutgoingMail) {
    const err = this.failNext.shift();
    if (err) throw err;
    this.outbox.push(mail);
    return { messageId: `fake-${this.outbox.length}` };
  }
}

export class FakeNoticeLedger implements NoticeLedger {
  readonly entries = new Map<
    string,
    { state: 'sending' | 'sent' | 'failed'; leaseUntil?: number; reason?: string; report?: DeliveryReport }
  >();
  async claim(id: string, now: Date, leaseMs: number) {
    const e = this.entries.get(id);
    if (e?.state === 'sent' || e?.state === 'failed') return e.state;
    if (e && (e.leaseUntil ?? 0) >= now.getTime()) return 'busy' as const;
    this.entries.set(id, { state: 'sending', leaseUntil: now.getTime() + leaseMs });
    return 'claimed' as const;
  }
  async markSent(id: string, _result: unknown, report?: DeliveryReport) {
    this.entries.set(id, { state: 'sent', ...(report ? { report } : {}) });
  }
  async markFailed(id: string, result: { reason: string }, report: DeliveryReport) {
    this.entries.set(id, { state: 'failed', reason: result.reason, report });
  }
  /** The delivery reports on the ledger (what the table stream brings the reactor). */
  reports(): DeliveryReport[] {
    return [...this.entries.values()].flatMap((e) => (e.report ? [e.report] : []));
  }
  async release(id: string) {
    if (this.entries.get(id)?.state === 'sending') this.entries.delete(id);
  }
}

export function fakeState(config: CityConfig, now = new Date('2026-03-02T09:00:00+08:00')) {
  const clock = new FixedClock(now);
  const parts = configParts(config);
  const timers = new FakeTimerStore();
  const proposals = new FakeProposalStore(timers);
  const notices = new FakeNoticeQueue();
  const poison = new FakePoisonQueue();
  const mail = new FakeMailSender();
  const ledger = new FakeNoticeLedger();
  const index = new FakeProposalIndex(proposals);
  const idempotency = new FakeIdempotencyStore();
  const members = new FakeMemberDirectory(sampleMembers);
  const suppression = new FakeSuppressionList();
  const metrics = new FakeMetrics();
  const state: AppState = {
    ...parts,
    clock,
    proposals,
    timers,
    index,
    members,
    idempotency,
    notices,
    poison,
    mail,
    ledger,
    suppression,
    feedbackSecret: feedbackKeys('test-secret'),
    metrics,
  };
  return { state, clock, proposals, timers, notices, poison, mail, ledger, suppression, metrics, members };
}
