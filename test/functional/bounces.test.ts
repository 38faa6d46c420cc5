/**
 * The bounces function on fakes of our ports: SES notifications as SNS delivers them -> the
 * suppression list; anything else is dropped without a throw (a retry cannot fix it).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import type { SNSEvent } from 'aws-lambda';
import { fileURLToPath } from 'node:url';
import { createHandler } from '#functions/bounces/handler.ts';
import { suppressionsOf } from '#app/record-bounces.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { deliverNotice } from '#app/deliver-notice.ts';
import { log } from '#shared/log.ts';
import type { MetricName } from '#app/ports.ts';
import { fakeState } from '../fakes/index.ts';
import { lambdaContext, samples, snsBatch } from '../events/index.ts';

const config = loadCityConfigFile(fileURLToPath(new URL('../../infra/cities/alar.yaml', import.meta.url)));

const sns = (...messages: string[]): SNSEvent => snsBatch(messages);
const ctx = lambdaContext('bounces');
/** The bounces handler on this state, invoked as Lambda invokes it. */
function bouncesOn(state: Parameters<typeof createHandler>[0]) {
  const handler = createHandler(state);
  return (event: SNSEvent) => handler(event, ctx);
}
/** What the invocations counted, summed over their flushes (the handler flushes once per invocation). */
const flushed = (f: ReturnType<typeof fakeState>, name: MetricName) => f.metrics.flushed.reduce((n, m) => n + (m.get(name) ?? 0), 0);

const complaint = {
  eventType: 'Complaint',
  complaint: { complainedRecipients: [{ emailAddress: 'Angry@Example.cn' }], complaintFeedbackType: 'abuse' },
  mail: { messageId: 'ses-2' },
};
const transient = {
  eventType: 'Bounce',
  bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: 'full@example.cn' }] },
};
const feedbackStyle = {
  notificationType: 'Bounce',
  bounce: {
    bounceType: 'Permanent',
    bounceSubType: 'NoEmail',
    bouncedRecipients: [{ emailAddress: 'a@example.cn' }, { emailAddress: 'b@example.cn' }],
  },
};

describe('bounces function', () => {
  it('suppresses a permanent bounce (the sample SNS event), with the reason', async () => {
    const f = fakeState(config);
    await bouncesOn(f.state)(samples.snsSesBounce());
    expect([...f.suppression.entries.keys()]).toEqual(['gone@example.cn']);
    expect(f.suppression.entries.get('gone@example.cn')).toBe('bounce: Permanent/General (SES message 0102018f-ses-message-id)');
    expect(flushed(f, 'AddressesSuppressed')).toBe(1);
    expect(f.metrics.counts.size).toBe(0); // flushed at the end of the invocation
  });

  it('suppresses complaints and identity-feedback bounces (every recipient), not transient bounces', async () => {
    const f = fakeState(config);
    await bouncesOn(f.state)(sns(JSON.stringify(complaint), JSON.stringify(transient), JSON.stringify(feedbackStyle)));
    expect([...f.suppression.entries.keys()].sort()).toEqual(['a@example.cn', 'angry@example.cn', 'b@example.cn']);
    expect(f.suppression.entries.get('angry@example.cn')).toBe('complaint: abuse (SES message ses-2)');
    expect(flushed(f, 'AddressesSuppressed')).toBe(3);
  });

  it('drops what is not an SES notification and still handles the rest of the batch', async () => {
    const f = fakeState(config);
    const bad = [
      'not json',
      '{"bounce": "nope"}',
      JSON.stringify({ eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{}] } }),
    ];
    await expect(bouncesOn(f.state)(sns(...bad, JSON.stringify(complaint)))).resolves.toBeUndefined();
    expect([...f.suppression.entries.keys()]).toEqual(['angry@example.cn']);
  });

  it('is a no-op for deliveries, sends and opens', () => {
    for (const eventType of ['Delivery', 'Send', 'Open', 'Reject']) expect(suppressionsOf({ eventType })).toEqual([]);
  });

  it('never throws on any message, and suppresses only what a permanent bounce or a complaint names (fuzz)', async () => {
    const address = fc.constantFrom('a@example.cn', 'B@Example.cn', 'c@example.cn');
    const recipients = fc.array(fc.record({ emailAddress: address }), { maxLength: 3 });
    const notification = fc.record({
      eventType: fc.constantFrom('Bounce', 'Complaint', 'Delivery', 'Send', undefined),
      bounce: fc.option(
        fc.record({ bounceType: fc.constantFrom('Permanent', 'Transient', 'Undetermined'), bouncedRecipients: recipients }),
      ),
      complaint: fc.option(fc.record({ complainedRecipients: recipients })),
    });
    const message = fc.oneof(
      fc.string(),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      notification.map((n) => JSON.stringify(n)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 5 }), async (messages) => {
        const f = fakeState(config);
        await bouncesOn(f.state)(sns(...messages));
        // The oracle, written out: addresses of permanent bounces and of complaints, nothing else.
        const expected = new Set<string>();
        const addresses = (list: unknown) => (Array.isArray(list) ? list.map((r: any) => r?.emailAddress) : []);
        for (const m of messages) {
          let n: any;
          try {
            n = JSON.parse(m);
          } catch {
            continue;
          }
          if (typeof n !== 'object' || n === null) continue;
          const type = n.eventType ?? n.notificationType;
          const found =
            type === 'Bounce' && n.bounce?.bounceType === 'Permanent'
              ? addresses(n.bounce.bouncedRecipients)
              : type === 'Complaint' && n.complaint
                ? addresses(n.complaint.complainedRecipients)
                : [];
          if (found.every((a) => typeof a === 'string' && a.length >= 3)) for (const a of found) expected.add(String(a).toLowerCase());
        }
        expect(new Set(f.suppression.entries.keys())).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('changes nothing more when SNS delivers the same notification twice', async () => {
    const f = fakeState(config);
    const handler = bouncesOn(f.state);
    await handler(sns(JSON.stringify(complaint)));
    const once = new Map(f.suppression.entries);
    await handler(sns(JSON.stringify(complaint)));
    expect(f.suppression.entries).toEqual(once);
  });
});

/** A bounce as SES event publishing (configuration set -> SNS) sends it, with the message tags the mailer set. */
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
function taggedBounce(tags: Record<string, string[]>, bounceType = 'Permanent', emails = ['wang@example.cn']) {
  return JSON.stringify({
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
      bouncedRecipients: emails.map((emailAddress) => ({
        emailAddress,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      })),
      timestamp: '2026-03-02T01:00:02.669Z',
      feedbackId: '01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
      reportingMTA: 'dsn; mta.example.cn',
    },
    mail: {
      timestamp: '2026-03-02T01:00:00.012Z',
      source: '提案办 <tianban@example.gov.cn>',
      messageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
      destination: emails,
      tags: { 'ses:configuration-set': ['proposals-alar'], 'ses:source-ip': ['192.0.2.0'], 'ses:from-domain': ['example.gov.cn'], ...tags },
    },
  });
}
const replyId = 'P-1:7/replyApproved/m-1';
const replyTags = { notice: [b64(replyId)], kind: ['replyApproved'], proposal: [b64('P-1')] };

describe('bounces of mail SES had accepted', () => {
  afterEach(() => vi.restoreAllMocks());

  it('tags each email with its notice, kind and proposal (SES tag charset), skipping a value too long for a tag', async () => {
    const f = fakeState(config);
    await deliverNotice(f.state, {
      id: replyId,
      kind: 'triage',
      proposalId: 'P-1',
      recipients: [{ kind: 'office' }],
      vars: { number: '1', title: 't', proposalId: 'P-1', reason: 'r' },
      createdAt: '2026-03-02T01:00:00Z',
    });
    expect(f.mail.outbox[0]?.tags).toEqual({ notice: b64(replyId), kind: 'triage', proposal: b64('P-1') });
    for (const v of Object.values(f.mail.outbox[0]?.tags ?? {})) expect(v).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    const long = 'P-1:7/assignment/' + 'x'.repeat(300);
    await deliverNotice(f.state, {
      id: long,
      kind: 'triage',
      recipients: [{ kind: 'office' }],
      vars: { number: '1', title: 't', proposalId: 'P-1', reason: 'r' },
      createdAt: '2026-03-02T01:00:00Z',
    });
    expect(f.mail.outbox[1]?.tags).toEqual({ kind: 'triage' });
  });

  it('tells the office which notice bounced, in Chinese, with a deterministic id (a repeated SNS delivery makes the same notice)', async () => {
    const f = fakeState(config);
    const handler = bouncesOn(f.state);
    await handler(sns(taggedBounce(replyTags)));
    await handler(sns(taggedBounce(replyTags)));
    expect([...f.suppression.entries.keys()]).toEqual(['wang@example.cn']);
    expect(f.notices.sent).toHaveLength(2);
    const [told, again] = f.notices.sent;
    expect(again?.id).toBe(told?.id);
    expect(told).toMatchObject({
      kind: 'deliveryFailed',
      proposalId: 'P-1',
      recipients: [{ kind: 'office' }],
      vars: { failedKind: 'replyApproved', noticeId: replyId, to: ['wang@example.cn'], proposalId: 'P-1' },
    });
    expect(told?.id.startsWith(`${replyId}/deliveryFailed/`)).toBe(true);
    expect(told).toMatchObject({ vars: { reason: expect.stringContaining('收件地址已退信') } });
    // The office's email renders (and is sent) like any other failure notice.
    expect(await deliverNotice(f.state, told!)).toBe('sent');
    expect(f.mail.outbox.at(-1)?.subject).toContain('通知发送失败');
    expect(flushed(f, 'NoticesBounced')).toBe(2);
  });

  it('also tells the office about a transient bounce (that email did not arrive) without suppressing the address', async () => {
    const f = fakeState(config);
    await bouncesOn(f.state)(sns(taggedBounce(replyTags, 'Transient', ['full@example.cn'])));
    expect(f.suppression.entries.size).toBe(0);
    expect(f.notices.sent.map((n) => [n.kind, n.kind === 'deliveryFailed' && n.vars.to])).toEqual([
      ['deliveryFailed', ['full@example.cn']],
    ]);
  });

  it('only suppresses when the bounced mail carries no notice tag, or was itself a failure notice (no loop)', async () => {
    const f = fakeState(config);
    await bouncesOn(f.state)(
      sns(
        taggedBounce({}),
        taggedBounce({ notice: [b64('x/deliveryFailed/office')], kind: ['deliveryFailed'] }),
        taggedBounce({ notice: ['not base64 !'], kind: ['nope'] }),
      ),
    );
    expect(f.notices.sent).toHaveLength(0);
    expect(f.suppression.entries.size).toBe(1);
  });

  it('throws on a storage error so Lambda retries (then the on-failure queue, with the whole event), and logs the notification’s ids, not its addresses', async () => {
    const f = fakeState(config);
    vi.spyOn(f.suppression, 'add').mockRejectedValue(new Error('ProvisionedThroughputExceededException'));
    const error = vi.spyOn(log, 'error');
    const message = taggedBounce(replyTags);
    await expect(bouncesOn(f.state)(sns(message))).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(error).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ messageId: 'm-0', type: 'Bounce' }));
    expect(JSON.stringify(error.mock.calls)).not.toContain('bouncedRecipients');
  });
});
