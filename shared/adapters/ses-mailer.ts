/**
 * MailSender on SES (API v2, SendEmail; the same IAM action ses:SendEmail), with the mail's tags as
 * SES message tags (bounce notifications carry them back). Errors are classified:
 * - permanent: this message or its address (retrying cannot help): recorded, the office told;
 * - the account or its setup (unverified identity, sandbox, sending paused, suspended, missing
 *   configuration set): not permanent, so the message is retried until it reaches the DLQ and is
 *   redriven once ops fixed the cause (docs/operations.md);
 * - throttling (retried with backoff, mail-pacing.ts) and anything else (transient).
 * v2 because the local SES emulator keeps only the first recipient of a v1 SendEmail.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { MailError, type MailSender, type OutgoingMail } from '#app/ports.ts';
import { log } from '#shared/log.ts';

const PERMANENT = new Set(['MessageRejected', 'BadRequestException', 'InvalidParameterValue']);
const ACCOUNT = new Set(['MailFromDomainNotVerifiedException', 'AccountSuspendedException', 'SendingPausedException', 'NotFoundException']);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'LimitExceededException']);

/** SES says "Email address is not verified" for an unverified sender and, in the sandbox, recipient. */
const isAccountProblem = (name: string, message: string) =>
  ACCOUNT.has(name) || (name === 'MessageRejected' && /not verified/i.test(message));

export class SesMailer implements MailSender {
  constructor(private readonly ses: SESv2Client) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const tags = Object.entries(mail.tags ?? {}).map(([Name, Value]) => ({ Name, Value }));
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: mail.to },
          ...(tags.length ? { EmailTags: tags } : {}),
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      return { messageId: out.MessageId ?? '' };
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Unknown';
      const message = err instanceof Error ? err.message : String(err);
      if (isAccountProblem(name, message)) {
        log.error('mailer: SES refuses mail for an account or setup reason: fix it; the notices reach the DLQ, redrive them then', {
          error: `${name}: ${message}`,
        });
        throw new MailError(`${name}: ${message}`, false);
      }
      throw new MailError(`${name}: ${message}`, PERMANENT.has(name), THROTTLED.has(name));
    }
  }
}
