/**
 * The mailer's outcomes on fakes: suppressed addresses, permanent failures (recorded with a delivery
 * report, which the reactor turns into timeline notes and the office's notice: no loop), a notice
 * another delivery holds, and the handler's partial batch failures.
 * The same on the real emulators (the table stream in between): test/integration/notices.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { deliverNotice, NoticeInFlight } from '#app/deliver-notice.ts';
import { reactToDelivery } from '#app/delivery-records.ts';
import { MailError } from '#app/ports.ts';
import type { NoticeMessage } from '#events/notices.ts';
import { createHandler } from '#functions/mailer/handler.ts';
import { createHandler as createReactor } from '#functions/reactor/handler.ts';
import { keys } from '#adapters/keys.ts';
import { log } from '#shared/log.ts';
import { lambdaContext, sqsBatch, streamBatch } from '../events/index.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const member = { role: 'member' as const, sub: 'm-1' };

async function setup() {
  const f = fakeState(config);
  const p = await submitProposal(
    f.state,
    { title: '关于夜市的建议', body: '夜市。', proposers: [{ memberId: 'm-1', name: '王委员', email: 'wang@example.com' }] },
    member,
  );
  /** A triage notice as the queue carries it (its vars as given: a test may give wrong ones). */
  const notice = (over: Partial<NoticeMessage> = {}): NoticeMessage => ({
    id: `${p.id}:1/triage/office`,
    kind: 'triage',
    proposalId: p.id,
    recipients: [{ kind: 'address', email: 'gone@example.com' }, { kind: 'office' }],
    vars: { number: p.number, title: p.title, proposalId: p.id, reason: '测试' },
    createdAt: '2026-03-02T01:00:00Z',
    ...over,
  });
  const timeline = async () => (await f.proposals.events(p.id)).map((e) => e.type);
  return { f, p, notice, timeline };
}

/**
 * What the reactor does with the ledger's delivery reports (each at most once here; the stream may
 * repeat them, which the reactor test covers). Before it, the mailer has written no proposal and
 * queued no notice.
 */
const relayed = new WeakMap<object, Set<string>>();
async function relay(f: ReturnType<typeof fakeState>): Promise<void> {
  const done = relayed.get(f) ?? new Set<string>();
  relayed.set(f, done);
  for (const r of f.ledger.reports()) {
    if (done.has(r.noticeId)) continue;
    done.add(r.noticeId);
    await reactToDelivery(f.state, r);
  }
}

/** The state with no real waiting between the retries of recording a send. */
const quick = (f: ReturnType<typeof fakeState>) => ({ ...f.state, sleep: async () => undefined });
afterEach(() => vi.restoreAllMocks());

describe('deliverNotice outcomes', () => {
  it('skips a suppressed address, sends to the rest and notes it on the timeline once', async () => {
    const { f, p, notice, timeline } = await setup();
    await f.suppression.add('Gone@Example.com', 'bounce');
    expect(await deliverNotice(f.state, notice())).toBe('sent');
    expect(await deliverNotice(f.state, notice())).toBe('duplicate');
    expect(f.mail.outbox.map((m) => m.to)).toEqual([config.email.office]);
    expect(await timeline()).not.toContain('RecipientSuppressed'); // the mailer writes no proposal
    expect(f.ledger.reports()).toEqual([
      expect.objectContaining({ noticeId: notice().id, report: 'suppressed', suppressed: ['gone@example.com'], proposalId: p.id }),
    ]);
    await relay(f);
    await reactToDelivery(f.state, f.ledger.reports()[0]!); // the stream delivered it twice
    expect((await timeline()).filter((t) => t === 'RecipientSuppressed')).toHaveLength(1);
    expect(f.notices.sent).toEqual([]); // the mail went out: nothing for the office
    const note = (await f.proposals.events(p.id)).find((e) => e.type === 'RecipientSuppressed');
    expect(note?.data).toMatchObject({ emails: ['gone@example.com'], kind: 'triage' });
  });

  it('records a notice whose every address is suppressed as failed and tells the office, once', async () => {
    const { f, notice, timeline } = await setup();
    await f.suppression.add('gone@example.com', 'bounce');
    const n = notice({ recipients: [{ kind: 'address', email: 'gone@example.com' }] });
    expect(await deliverNotice(f.state, n)).toBe('suppressed');
    expect(await deliverNotice(f.state, n)).toBe('duplicate');
    expect(f.mail.outbox).toHaveLength(0);
    expect(f.ledger.entries.get(n.id)).toMatchObject({ state: 'failed', reason: expect.stringContaining('收件地址已退信') });
    expect(f.notices.sent).toEqual([]);
    await relay(f);
    expect(f.notices.sent).toEqual([
      expect.objectContaining({
        id: `${n.id}/deliveryFailed/office`,
        kind: 'deliveryFailed',
        vars: expect.objectContaining({ to: ['gone@example.com'], reason: expect.stringContaining('收件地址已退信') }),
      }),
    ]);
    expect(await timeline()).toContain('NoticeFailed');
  });

  it('records a notice that resolves to no address as failed and tells the office', async () => {
    const { f, notice } = await setup();
    const n = notice({ recipients: [{ kind: 'unitHead', unit: 'no-such-unit' }] });
    expect(await deliverNotice(f.state, n)).toBe('no_recipients');
    expect(f.ledger.entries.get(n.id)).toMatchObject({ state: 'failed', reason: expect.stringContaining('未配置收件地址') });
    await relay(f);
    expect(f.notices.sent).toEqual([
      expect.objectContaining({
        kind: 'deliveryFailed',
        vars: expect.objectContaining({ reason: expect.stringContaining('未配置收件地址') }),
      }),
    ]);
    expect(await deliverNotice(f.state, n)).toBe('duplicate');
    await relay(f);
    expect(f.notices.sent).toHaveLength(1);
  });

  it('only logs a deliveryFailed notice that can reach nobody: no notice about it', async () => {
    const { f, notice } = await setup();
    for (const a of config.email.office) await f.suppression.add(a, 'bounce');
    expect(
      await deliverNotice(f.state, notice({ id: 'x/deliveryFailed/office', kind: 'deliveryFailed', recipients: [{ kind: 'office' }] })),
    ).toBe('suppressed');
    await relay(f);
    expect(f.notices.sent).toHaveLength(0);
  });

  it('adds no RecipientSuppressed note when a notice sent before the bounce is delivered again', async () => {
    const { f, notice, timeline } = await setup();
    expect(await deliverNotice(f.state, notice())).toBe('sent');
    await f.suppression.add('gone@example.com', 'bounce');
    expect(await deliverNotice(f.state, notice())).toBe('duplicate');
    expect(await timeline()).not.toContain('RecipientSuppressed');
  });

  it('retries recording a send a few times before giving up', async () => {
    const { f, notice } = await setup();
    vi.spyOn(f.ledger, 'markSent')
      .mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'))
      .mockRejectedValueOnce(new Error('socket hang up'));
    expect(await deliverNotice(quick(f), notice())).toBe('sent');
    expect(f.ledger.entries.get(notice().id)?.state).toBe('sent');
    expect(f.mail.outbox).toHaveLength(1);
  });

  it('does not throw (no SQS redelivery, no second email) when the send cannot be recorded at all', async () => {
    const { f, notice } = await setup();
    const markSent = vi.spyOn(f.ledger, 'markSent').mockRejectedValue(new Error('ProvisionedThroughputExceededException'));
    const error = vi.spyOn(log, 'error');
    expect(await deliverNotice(quick(f), notice())).toBe('unrecorded');
    expect(markSent.mock.calls.length).toBeGreaterThan(1);
    expect(f.mail.outbox).toHaveLength(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('not recorded'), expect.objectContaining({ noticeId: notice().id }));
  });

  it('records a permanent error, tells the office and never retries it', async () => {
    const { f, notice, timeline } = await setup();
    f.mail.failNext.push(new MailError('MessageRejected: Email address is not verified', true));
    expect(await deliverNotice(f.state, notice())).toBe('failed');
    expect(await deliverNotice(f.state, notice())).toBe('duplicate');
    expect(f.ledger.entries.get(notice().id)).toMatchObject({ state: 'failed', reason: expect.stringContaining('MessageRejected') });
    await relay(f);
    expect(await timeline()).toContain('NoticeFailed');
    const [told] = f.notices.sent;
    expect(told).toMatchObject({ kind: 'deliveryFailed', recipients: [{ kind: 'office' }], id: `${notice().id}/deliveryFailed/office` });
    expect(await deliverNotice(f.state, told!)).toBe('sent');
    expect(f.mail.outbox.at(-1)?.subject).toContain('通知发送失败');
    expect(f.mail.outbox.at(-1)?.text).toContain('MessageRejected');
  });

  it('treats bad vars as permanent', async () => {
    const { f, notice } = await setup();
    expect(await deliverNotice(f.state, notice({ vars: { number: 'x' } }))).toBe('failed');
    await relay(f);
    expect(f.notices.sent[0]).toMatchObject({ kind: 'deliveryFailed', vars: { reason: expect.stringContaining('通知内容不完整') } });
  });

  it('only logs a failed deliveryFailed notice: no new notice, no loop', async () => {
    const { f, notice } = await setup();
    f.mail.failNext.push(new MailError('MessageRejected', true));
    await deliverNotice(f.state, notice());
    await relay(f);
    const told = f.notices.sent[0]!;
    const eventsBefore = f.proposals.eventLog.length;
    f.mail.failNext.push(new MailError('MessageRejected', true));
    expect(await deliverNotice(f.state, told)).toBe('failed');
    await relay(f);
    expect(f.notices.sent).toHaveLength(1);
    // Noted on the timeline (the office's own notice failed), but no notice about it.
    expect(f.proposals.eventLog.slice(eventsBefore).map((e) => [e.type, 'kind' in e.data ? e.data.kind : undefined])).toEqual([
      ['NoticeFailed', 'deliveryFailed'],
    ]);
  });

  it('leaves a notice another delivery holds for a later retry', async () => {
    const { f, notice } = await setup();
    await f.ledger.claim(notice().id, f.clock.now(), 60_000);
    await expect(deliverNotice(f.state, notice())).rejects.toBeInstanceOf(NoticeInFlight);
    expect(f.mail.outbox).toHaveLength(0);
  });
});

describe('mailer handler', () => {
  const ctx = lambdaContext('mailer');
  /** The mailer on this state, invoked as Lambda invokes it with an SQS batch of these bodies (ids m1, m2, ...). */
  const mailerOn = (state: Parameters<typeof createHandler>[0]) => {
    const handler = createHandler(state);
    return (...bodies: string[]) => handler(sqsBatch(bodies), ctx);
  };

  it('reports only the poison and the transiently failed messages', async () => {
    const { f, notice } = await setup();
    const mailer = mailerOn(f.state);
    const ok = notice({ id: 'ok', recipients: [{ kind: 'office' }] });
    const flaky = notice({ id: 'flaky', recipients: [{ kind: 'office' }] });
    f.mail.failNext.push(new Error('connect ECONNREFUSED'));
    const out = await mailer(JSON.stringify(flaky), '{not json', JSON.stringify({ id: 'x' }), JSON.stringify(ok));
    expect(out.batchItemFailures.map((i) => i.itemIdentifier)).toEqual(['m1', 'm2', 'm3']);
    expect(f.mail.outbox).toHaveLength(1);
    expect(f.ledger.entries.has('flaky')).toBe(false); // released: the retry will send
    // Counted, and flushed once when the invocation ended.
    expect(f.metrics.flushed.map((m) => Object.fromEntries(m))).toEqual([{ NoticesSent: 1, NoticesRetried: 1 }]);
  });

  it('treats a send it could not record as handled (no SQS redelivery) and counts it', async () => {
    const { f, notice } = await setup();
    vi.spyOn(f.ledger, 'markSent').mockRejectedValue(new Error('ProvisionedThroughputExceededException'));
    const out = await mailerOn(f.state)(JSON.stringify(notice({ recipients: [{ kind: 'office' }] })));
    expect(out.batchItemFailures).toEqual([]);
    expect(f.mail.outbox).toHaveLength(1);
    expect(f.metrics.flushed.map((m) => Object.fromEntries(m))).toEqual([{ NoticesUnrecorded: 1 }]);
  });
});

describe('reactor: delivery reports from the table stream', () => {
  const ctx = lambdaContext('reactor');
  /** Stream records of ledger items as DynamoNoticeLedger writes them (keys, state, report, result): updates. */
  const ledgerRecords = (items: Record<string, unknown>[], firstSeq = 1) => streamBatch(items, { firstSeq, eventName: 'MODIFY' });

  it('notes a failure on the timeline and tells the office, once however often the record comes', async () => {
    const { f, p, notice, timeline } = await setup();
    f.mail.failNext.push(new MailError('MessageRejected', true));
    await deliverNotice(f.state, notice());
    const entry = f.ledger.entries.get(notice().id)!;
    const item = { ...keys.notice(notice().id), state: 'failed', ...entry.report, reason: entry.reason };
    const reactor = createReactor(f.state);
    const event = ledgerRecords([item, item]);
    expect((await reactor(event, ctx)).batchItemFailures).toEqual([]);
    expect((await reactor(event, ctx)).batchItemFailures).toEqual([]);
    expect((await timeline()).filter((t) => t === 'NoticeFailed')).toHaveLength(1);
    // The same deterministic id each time: the mailer's claim sends it once.
    expect(new Set(f.notices.sent.map((n) => n.id))).toEqual(new Set([`${notice().id}/deliveryFailed/office`]));
    expect(f.notices.sent[0]).toMatchObject({
      kind: 'deliveryFailed',
      proposalId: p.id,
      vars: { number: p.number, title: p.title, failedKind: 'triage' },
    });
  });

  it('sets a ledger record that is not a delivery report aside on the stream-poison queue, changing nothing', async () => {
    const { f, timeline } = await setup();
    const before = await timeline();
    const out = await createReactor(f.state)(ledgerRecords([{ ...keys.notice('n1'), state: 'failed', report: 'failed' }], 7), ctx);
    expect(out.batchItemFailures).toEqual([]);
    expect(f.poison.sent).toMatchObject([{ key: keys.notice('n1'), type: 'DeliveryReport', sequenceNumber: '7', attempts: 1 }]);
    expect(await timeline()).toEqual(before);
    expect(f.notices.sent).toEqual([]);
  });
});
