/** MailSender on SES (v1 API, SendEmail): classifies errors as throttling, permanent or transient. */
import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { MailError, type MailSender, type OutgoingMail } from '#app/ports.ts';

const PERMANENT = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'InvalidParameterValue', 'AccountSendingPausedException']);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

export class SesMailer implements MailSender {
  constructor(private readonly ses: SESClient) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          Source: mail.from,
          Destination: { ToAddresses: mail.to },
          Message: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
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
