/**
 * The bounces function on fakes of our ports: SES notifications as SNS delivers them -> the
 * suppression list; anything else is dropped without a throw (a retry cannot fix it).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SNSEvent } from 'aws-lambda';
import { fileURLToPath } from 'node:url';
import { createHandler } from '#functions/bounces/handler.ts';
import { suppressionsOf } from '#app/record-bounces.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { permanentBounceEvent } from '#infra/local/ses-notification.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile(fileURLToPath(new URL('../../infra/cities/alar.yaml', import.meta.url)));

function sns(...messages: string[]): SNSEvent {
  const one = permanentBounceEvent('x@example.cn', new Date()).Records[0]!;
  return { Records: messages.map((Message, i) => ({ ...one, Sns: { ...one.Sns, MessageId: `m-${i}`, Message } })) };
}

const complaint = { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'Angry@Example.cn' }], complaintFeedbackType: 'abuse' }, mail: { messageId: 'ses-2' } };
const transient = { eventType: 'Bounce', bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: 'full@example.cn' }] } };
const feedbackStyle = { notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'NoEmail', bouncedRecipients: [{ emailAddress: 'a@example.cn' }, { emailAddress: 'b@example.cn' }] } };

describe('bounces function', () => {
  it('suppresses a permanent bounce, with the reason', async () => {
    const f = fakeState(config);
    await createHandler(f.state)(permanentBounceEvent('Gone@Example.cn', new Date('2026-03-02T01:00:00Z')));
    expect([...f.suppression.entries.keys()]).toEqual(['gone@example.cn']);
    expect(f.suppression.entries.get('gone@example.cn')).toMatch(/^bounce: Permanent\/General \(SES message local-/);
  });

  it('suppresses complaints and identity-feedback bounces (every recipient), not transient bounces', async () => {
    const f = fakeState(config);
    await createHandler(f.state)(sns(JSON.stringify(complaint), JSON.stringify(transient), JSON.stringify(feedbackStyle)));
    expect([...f.suppression.entries.keys()].sort()).toEqual(['a@example.cn', 'angry@example.cn', 'b@example.cn']);
    expect(f.suppression.entries.get('angry@example.cn')).toBe('complaint: abuse (SES message ses-2)');
    expect(f.metrics.counts.get('AddressesSuppressed')).toBe(3);
  });

  it('drops what is not an SES notification and still handles the rest of the batch', async () => {
    const f = fakeState(config);
    const bad = ['not json', '{"bounce": "nope"}', JSON.stringify({ eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{}] } })];
    await expect(createHandler(f.state)(sns(...bad, JSON.stringify(complaint)))).resolves.toBeUndefined();
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
      bounce: fc.option(fc.record({ bounceType: fc.constantFrom('Permanent', 'Transient', 'Undetermined'), bouncedRecipients: recipients })),
      complaint: fc.option(fc.record({ complainedRecipients: recipients })),
    });
    const message = fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), notification.map((n) => JSON.stringify(n)));
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 5 }), async (messages) => {
        const f = fakeState(config);
        await createHandler(f.state)(sns(...messages));
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
          const found = type === 'Bounce' && n.bounce?.bounceType === 'Permanent' ? addresses(n.bounce.bouncedRecipients) : type === 'Complaint' && n.complaint ? addresses(n.complaint.complainedRecipients) : [];
          if (found.every((a) => typeof a === 'string' && a.length >= 3)) for (const a of found) expected.add(String(a).toLowerCase());
        }
        expect(new Set(f.suppression.entries.keys())).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('changes nothing more when SNS delivers the same notification twice', async () => {
    const f = fakeState(config);
    const handler = createHandler(f.state);
    await handler(sns(JSON.stringify(complaint)));
    const once = new Map(f.suppression.entries);
    await handler(sns(JSON.stringify(complaint)));
    expect(f.suppression.entries).toEqual(once);
  });
});
