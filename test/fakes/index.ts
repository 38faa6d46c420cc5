/**
 * Small hand-written fakes of our own ports, recording what they receive. Functional tests build an
 * AppState from these; the real adapters are tested against the local emulators.
 */
import { domainEventSchema, type DomainEvent, type NewEvent } from '#events/domain-events.ts';
import type { DeliveryReport, Notice } from '#events/notices.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { FixedClock } from '#shared/clock.ts';
import { escalationLevel, timerChanges, type TimerSchedule, type CityTimer, type ProposalTimer, type Timer, type TimerChanges } from '#domain/timer-schedule.ts';
import { configParts, type AppState } from '#app/state.ts';
import { FakeSuppressionList } from './suppression.ts';
import { VersionConflict, type MailSender, type MetricName, type Metrics, type NoticeLedger, type NoticeQueue, type OutgoingMail, type ProposalIndex, type ProposalStore, type IdempotencyStore, type StoredResponse, type TimerChange } from '#app/ports.ts';

export class FakeProposalStore implements ProposalStore {
  readonly proposals = new Map<string, Proposal>();
  readonly eventLog: DomainEvent[] = [];
  /** Timers by PK/SK, like the table: `P#<id>/TIMER#<obligationId>`, `CITY/TIMER#bulletin`. */
  readonly timerItems = new Map<string, Timer>();
  private counters = new Map<number, number>();

  constructor(private readonly schedule: TimerSchedule) {}

  async create(year: number, build: (seq: number) => { proposal: Proposal; events: NewEvent[] }) {
    const seq = (this.counters.get(year) ?? 0) + 1;
    this.counters.set(year, seq);
    const { proposal, events } = build(seq);
    const full = this.envelope(proposal.id, 0, events);
    const stored = this.withLevel({ ...proposal, version: full.length });
    this.proposals.set(stored.id, structuredClone(stored));
    this.eventLog.push(...full);
    this.applyTimers(timerChanges(undefined, stored, this.schedule), stored.id);
    return { proposal: stored, events: full };
  }
  async get(id: string) {
    const p = this.proposals.get(id);
    return p ? structuredClone(p) : undefined;
  }
  async save(p: Proposal, expectedVersion: number, events: NewEvent[], previous?: Proposal) {
    const current = this.proposals.get(p.id);
    if (!current || current.version !== expectedVersion) throw new VersionConflict(p.id);
    const { stored, full } = this.write(previous ?? current, p, expectedVersion, events);
    return { proposal: structuredClone(stored), events: full };
  }
  async events(id: string) {
    return this.eventLog.filter((e) => e.proposalId === id);
  }
  async dueTimers(now: string, limit: number) {
    const due = [...this.timerItems.values()].filter((t) => t.nextAt !== undefined && t.nextAt <= now);
    const timers = due.sort((a, b) => (a.nextAt ?? '').localeCompare(b.nextAt ?? '')).slice(0, limit);
    return { timers: structuredClone(timers), consumedRead: 0 };
  }
  async timers(proposalId: string) {
    return [...this.timerItems.values()].filter((t): t is ProposalTimer => t.kind === 'obligation' && t.proposalId === proposalId).map((t) => structuredClone(t));
  }
  async advanceTimer(timer: Timer, to: { step: number; nextAt?: string } | 'delete', change?: TimerChange) {
    const key = timerId(timer);
    if (this.timerItems.get(key)?.step !== timer.step) return false;
    if (change && this.proposals.get(change.next.id)?.version !== change.previous.version) return false;
    const handled = change ? this.write(change.previous, change.next, change.previous.version, change.events, key).handled : false;
    if (handled) return true; // the change replaced or removed the timer
    if (to === 'delete') this.timerItems.delete(key);
    else {
      const { nextAt: _, ...rest } = timer;
      this.timerItems.set(key, { ...rest, step: to.step, ...(to.nextAt ? { nextAt: to.nextAt } : {}) });
    }
    return true;
  }
  async ensureCityTimer(timer: CityTimer) {
    if (!this.timerItems.has(timerId(timer))) this.timerItems.set(timerId(timer), structuredClone(timer));
  }
  private write(previous: Proposal, p: Proposal, expectedVersion: number, events: NewEvent[], firing?: string) {
    const full = this.envelope(p.id, expectedVersion, events);
    const stored = this.withLevel({ ...p, version: expectedVersion + full.length });
    this.proposals.set(p.id, structuredClone(stored));
    this.eventLog.push(...full);
    const changes = timerChanges(previous, stored, this.schedule);
    // Like the DynamoDB transaction, the change may itself replace or remove the fired timer.
    const handled = firing !== undefined && (changes.put.some((t) => timerId(t) === firing) || changes.remove.some((id) => obligationKey(p.id, id) === firing));
    this.applyTimers(changes, p.id);
    return { full, handled, stored };
  }
  private applyTimers(changes: TimerChanges, proposalId: string) {
    for (const t of changes.put) this.timerItems.set(timerId(t), structuredClone(t));
    for (const id of changes.remove) this.timerItems.delete(obligationKey(proposalId, id));
  }
  private withLevel(p: Proposal): Proposal {
    return { ...p, escalationLevel: escalationLevel(p, new Date(p.updatedAt), this.schedule) };
  }
  private envelope(id: string, from: number, events: NewEvent[]): DomainEvent[] {
    return events.map((e, i) => domainEventSchema.parse({ ...e, eventId: `${id}:${from + i + 1}`, proposalId: id, seq: from + i + 1 }));
  }
}

const obligationKey = (proposalId: string, obligationId: string) => `P#${proposalId}/TIMER#${obligationId}`;
const timerId = (t: Timer) => (t.kind === 'city' ? `CITY/TIMER#${t.name}` : obligationKey(t.proposalId, t.obligationId));

export class FakeProposalIndex implements ProposalIndex {
  constructor(private readonly store: FakeProposalStore) {}
  async page(year: number, opts: { limit: number; cursor?: string; afterSeq?: number }) {
    const all = [...this.store.proposals.values()].filter((p) => p.year === year && p.seq > (opts.afterSeq ?? 0)).sort((a, b) => a.seq - b.seq);
    const start = opts.cursor ? Number(opts.cursor) : 0;
    const items = all.slice(start, start + opts.limit).map((p) => structuredClone(p));
    return { items, ...(start + opts.limit < all.length ? { cursor: String(start + opts.limit) } : {}) };
  }
}

export class FakeIdempotencyStore implements IdempotencyStore {
  readonly entries = new Map<string, { state: 'pending' } | { state: 'done'; response: StoredResponse }>();
  async begin(scope: string, key: string) {
    const e = this.entries.get(`${scope}|${key}`);
    if (e) return e;
    this.entries.set(`${scope}|${key}`, { state: 'pending' });
    return { state: 'new' as const };
  }
  async complete(scope: string, key: string, response: StoredResponse) {
    this.entries.set(`${scope}|${key}`, { state: 'done', response });
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
  readonly entries = new Map<string, { state: 'sending' | 'sent' | 'failed'; leaseUntil?: number; reason?: string; report?: DeliveryReport }>();
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
  const proposals = new FakeProposalStore(parts.schedule);
  const notices = new FakeNoticeQueue();
  const mail = new FakeMailSender();
  const ledger = new FakeNoticeLedger();
  const index = new FakeProposalIndex(proposals);
  const idempotency = new FakeIdempotencyStore();
  const suppression = new FakeSuppressionList();
  const metrics = new FakeMetrics();
  const state: AppState = { ...parts, clock, proposals, index, idempotency, notices, mail, ledger, suppression, feedbackSecret: 'test-secret', metrics };
  return { state, clock, proposals, notices, mail, ledger, suppression, metrics };
}
