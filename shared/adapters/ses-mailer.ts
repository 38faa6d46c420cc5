/**
 * MailSender on SES (API v2, SendEmail; the same IAM action ses:SendEmail): classifies errors as
 * throttling, permanent (bad address, unverified sender, paused account) or transient.
 * v2 because the local SES emulator keeps only the first recipient of a v1 SendEmail.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { MailError, type MailSender, type OutgoingMail } from '#app/ports.ts';

const PERMANENT = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'BadRequestException', 'InvalidParameterValue', 'AccountSuspendedException', 'SendingPausedException', 'NotFoundException']);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'LimitExceededException']);

export class SesMailer implements MailSender {
  constructor(private readonly ses: SESv2Client) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: mail.to },
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
      throw new MailError(`${name}: ${message}`, PERMANENT.has(name), THROTTLED.has(name));
    }
  }
}
