/**
 * What the mailer and the bounces function write to their logs (kept 180 days): no whole address or
 * phone number, no message body, no whole SES notification; the request id on every line.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { MailError } from '#app/ports.ts';
import type { NoticeMessage } from '#events/notices.ts';
import { createHandler as createMailer } from '#functions/mailer/handler.ts';
import { createHandler as createBounces } from '#functions/bounces/handler.ts';
import { fakeState } from '../fakes/index.ts';
import { lambdaContext, snsBatch, sqsBatch } from '../events/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const addresses = ['zhangsan@example.gov.cn', 'lisi@example.com', 'Wang.Wu@Example.cn'];
const phone = '13812345678';

/** The raw log text written while `run` runs (LOG_LEVEL debug: every line). */
async function logText(run: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0;
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  vi.stubEnv('LOG_LEVEL', 'debug');
  try {
    await run().catch(() => undefined);
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
  return chunks.join('');
}

/** The log lines (not the metric lines, which carry no personal data). */
const logLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => !('_aws' in l));

function expectPrivate(text: string, requestId: string) {
  const lower = text.toLowerCase();
  for (const a of addresses) expect(lower).not.toContain(a.toLowerCase());
  expect(text).not.toContain(phone);
  const lines = logLines(text);
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l.requestId).toBe(requestId);
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const notice = (over: Partial<NoticeMessage> = {}): NoticeMessage => ({
  id: 'p-1:1/triage/office',
  kind: 'triage',
  proposalId: 'p-1',
  recipients: addresses.map((email) => ({ kind: 'address' as const, email })),
  vars: { number: '2026-001', title: '关于夜市的建议', proposalId: 'p-1', reason: `请致电 ${phone}` },
  createdAt: '2026-03-02T01:00:00Z',
  ...over,
});

describe('mailer log lines', () => {
  it('hold no address when a notice is sent, fails for good, is retried, or is not a notice at all', async () => {
    const f = fakeState(config);
    const mailer = createMailer(f.state);
    f.mail.failNext.push(new MailError(`MessageRejected: Email address is not verified: ${addresses[0]}`, true));
    f.mail.failNext.push(new Error(`connect ECONNRESET while sending to ${addresses[1]}`));
    await f.suppression.add(addresses[2]!, 'bounce');
    const text = await logText(() =>
      mailer(
        sqsBatch([
          JSON.stringify(notice()), // fails for good
          JSON.stringify(notice({ id: 'p-1:2/triage/office' })), // retried
          JSON.stringify(notice({ id: 'p-1:3/triage/office' })), // sent, one address suppressed
          JSON.stringify({ hello: addresses[0], phone }), // poison: not a notice
          `not json ${addresses[1]}`,
        ]),
        lambdaContext('mailer', 'req-mailer'),
      ),
    );
    expect(text).toContain('failed for good');
    expect(text).toContain('will be retried');
    expect(text).toContain('poison message');
    expect(text).toContain('zh***@example.gov.cn'); // masked, with its domain
    expectPrivate(text, 'req-mailer');
  });
});

describe('bounces log lines', () => {
  const bounce = JSON.stringify({
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress, diagnosticCode: `smtp; 550 user unknown ${emailAddress}` })),
    },
    mail: { messageId: 'ses-1', destination: addresses, commonHeaders: { subject: `电话 ${phone}` } },
  });

  it('hold no address when addresses are suppressed, when recording fails, or when the message is not an SES notification', async () => {
    const f = fakeState(config);
    const bounces = createBounces(f.state);
    const ok = await logText(() =>
      bounces(
        snsBatch([bounce, JSON.stringify({ bounce: { to: addresses, phone } }), `bounce of ${addresses[1]}`]),
        lambdaContext('bounces', 'req-b1'),
      ),
    );
    expect(ok).toContain('addresses suppressed');
    expect(ok).toContain('not an SES notification');
    expectPrivate(ok, 'req-b1');

    const failed = await logText(() => {
      vi.spyOn(f.suppression, 'add').mockRejectedValue(new Error(`ProvisionedThroughputExceededException for ${addresses[0]}`));
      return bounces(snsBatch([bounce]), lambdaContext('bounces', 'req-b2'));
    });
    expect(failed).toContain('notification not recorded');
    expect(failed).toContain('ses-1'); // what the line may say: the notification's ids
    expectPrivate(failed, 'req-b2');
  });
});
