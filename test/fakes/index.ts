/**
 * Small hand-written fakes of our own ports, recording what they receive. Functional tests build an
 * AppState from these; the real adapters are tested against the local emulators.
 */
import { domainEventSchema, type DomainEvent, type NewEvent } from '#events/domain-events.ts';
import type { Notice } from '#events/notices.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { FixedClock } from '#shared/clock.ts';
import { configParts, type AppState } from '#app/state.ts';
import { VersionConflict, type MailSender, type NoticeLedger, type NoticeQueue, type OutgoingMail, type ProposalStore } from '#app/ports.ts';

export class FakeProposalStore implements ProposalStore {
  readonly proposals = new Map<string, Proposal>();
  readonly eventLog: DomainEvent[] = [];
  private counters = new Map<number, number>();

  async create(year: number, build: (seq: number) => { proposal: Proposal; events: NewEvent[] }) {
    const seq = (this.counters.get(year) ?? 0) + 1;
    this.counters.set(year, seq);
    const { proposal, events } = build(seq);
    const full = this.envelope(proposal.id, 0, events);
    const stored = { ...proposal, version: full.length };
    this.proposals.set(stored.id, structuredClone(stored));
    this.eventLog.push(...full);
    return { proposal: stored, events: full };
  }
  async get(id: string) {
    const p = this.proposals.get(id);
    return p ? structuredClone(p) : undefined;
  }
  async save(p: Proposal, expectedVersion: number, events: NewEvent[]) {
    const current = this.proposals.get(p.id);
    if (!current || current.version !== expectedVersion) throw new VersionConflict(p.id);
    const full = this.envelope(p.id, expectedVersion, events);
    this.proposals.set(p.id, structuredClone({ ...p, version: expectedVersion + full.length }));
    this.eventLog.push(...full);
    return full;
  }
  async events(id: string) {
    return this.eventLog.filter((e) => e.proposalId === id);
  }
  private envelope(id: string, from: number, events: NewEvent[]): DomainEvent[] {
    return events.map((e, i) => domainEventSchema.parse({ ...e, eventId: `${id}:${from + i + 1}`, proposalId: id, seq: from + i + 1 }));
  }
}

export class FakeNoticeQueue implements NoticeQueue {
  readonly sent: Notice[] = [];
  async send(notices: readonly Notice[]) {
    this.sent.push(...notices);
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
  readonly entries = new Map<string, { state: 'sending' | 'sent'; leaseUntil?: number }>();
  async claim(id: string, now: Date, leaseMs: number) {
    const e = this.entries.get(id);
    if (e?.state === 'sent') return 'sent' as const;
    if (e && (e.leaseUntil ?? 0) >= now.getTime()) return 'busy' as const;
    this.entries.set(id, { state: 'sending', leaseUntil: now.getTime() + leaseMs });
    return 'claimed' as const;
  }
  async markSent(id: string) {
    this.entries.set(id, { state: 'sent' });
  }
  async release(id: string) {
    if (this.entries.get(id)?.state === 'sending') this.entries.delete(id);
  }
}

export function fakeState(config: CityConfig, now = new Date('2026-03-02T09:00:00+08:00')) {
  const clock = new FixedClock(now);
  const proposals = new FakeProposalStore();
  const notices = new FakeNoticeQueue();
  const mail = new FakeMailSender();
  const ledger = new FakeNoticeLedger();
  const state: AppState = { ...configParts(config), clock, proposals, notices, mail, ledger };
  return { state, clock, proposals, notices, mail, ledger };
}
