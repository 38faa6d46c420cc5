/**
 * What SES and SNS would hand the bounces function for a permanent bounce of `email`: an SES event
 * publishing record (configuration set -> SNS topic) inside an SNS Lambda event. POST /_local/bounce
 * runs the real bounces handler on it, so the local path is the AWS path.
 */
import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';

export function permanentBounceEvent(email: string, at: Date): SNSEvent {
  const message = {
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: email, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      timestamp: at.toISOString(),
      feedbackId: randomUUID(),
    },
    mail: { timestamp: at.toISOString(), messageId: `local-${randomUUID()}`, destination: [email] },
  };
  const topicArn = 'arn:aws:sns:local:000000000000:ses-notifications';
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Subject: 'Amazon SES Email Event Notification',
          Message: JSON.stringify(message),
          Timestamp: at.toISOString(),
          SignatureVersion: '1',
          Signature: 'local',
          SigningCertUrl: 'http://127.0.0.1/local.pem',
          UnsubscribeUrl: 'http://127.0.0.1/unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}
