/**
 * SesMailer on a stub SESv2 client: which SES errors end a notice for good (this message or its
 * address) and which are the account's or its setup's (retried until the DLQ, redriven after the
 * fix), and the message tags it sends.
 */
import { describe, expect, it } from 'vitest';
import type { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MailError } from '#app/ports.ts';
import { SesMailer } from '#adapters/ses-mailer.ts';

const mail = { from: 'tianban@example.gov.cn', to: ['a@example.cn'], subject: 's', text: 't', html: '<p>h</p>' };

function failingWith(name: string, message: string): SesMailer {
  const ses = { send: () => Promise.reject(Object.assign(new Error(message), { name })) };
  return new SesMailer(ses as unknown as SESv2Client);
}

async function errorOf(name: string, message = 'x'): Promise<MailError> {
  const err: unknown = await failingWith(name, message)
    .send(mail)
    .catch((e: unknown) => e);
  if (!(err instanceof MailError)) throw new Error('not a MailError');
  return err;
}

describe('SesMailer error classes', () => {
  it.each([
    ['MailFromDomainNotVerifiedException', "The message can't be sent because the sending domain isn't verified."],
    ['MessageRejected', 'Email address is not verified. The following identities failed the check in region AP-SOUTHEAST-1: a@example.cn'],
    ['SendingPausedException', "The message can't be sent because the account's ability to send email is currently paused."],
    ['AccountSuspendedException', "The message can't be sent because the account's ability to send email has been permanently restricted."],
    ['NotFoundException', 'Configuration set proposals-alar does not exist.'],
  ])('%s (the account or its setup) is not permanent: retried until the DLQ, redriven after the fix', async (name, message) => {
    const err = await errorOf(name, message);
    expect(err.permanent).toBe(false);
    expect(err.throttled).toBe(false);
    expect(err.message).toContain(name);
  });

  it.each([
    ['MessageRejected', 'Illegal address'],
    ['BadRequestException', "Missing final '@domain'"],
  ])('%s: %s (this message) is permanent', async (name, message) => {
    expect((await errorOf(name, message)).permanent).toBe(true);
  });

  it('marks throttling as throttled, not permanent', async () => {
    expect(await errorOf('TooManyRequestsException')).toMatchObject({ permanent: false, throttled: true });
  });
});

describe('SesMailer tags', () => {
  it('sends the tags as SES EmailTags, and none when there are none', async () => {
    const sent: SendEmailCommand[] = [];
    const ses = { send: (c: SendEmailCommand) => (sent.push(c), Promise.resolve({ MessageId: 'm-1' })) };
    const mailer = new SesMailer(ses as unknown as SESv2Client);
    expect(await mailer.send({ ...mail, tags: { notice: 'UC0x', kind: 'triage' } })).toEqual({ messageId: 'm-1' });
    await mailer.send(mail);
    expect(sent[0]?.input.EmailTags).toEqual([
      { Name: 'notice', Value: 'UC0x' },
      { Name: 'kind', Value: 'triage' },
    ]);
    expect(sent[1]?.input.EmailTags).toBeUndefined();
  });
});
