/**
 * The outbound AWS ports, one factory each, so that a function's bundle holds only the SDK clients
 * it uses: the api and the reports send nothing (DynamoDB only), the reactor, the sweep and bounces
 * send notices (SQS; the reactor also sets poison records aside), the mailer sends mail (SES) and nothing else. Each entry names its ports
 * beside its own state (e.g. `reactorState(settings, { notices: sqsNotices, poison: sqsPoison })`);
 * the local runtime and the tests wire them all (`appState`).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { MailSender, NoticeQueue, PoisonQueue } from '#app/ports.ts';
import { clientBase, needed, type AwsSettings } from './aws-state.ts';
import { SqsNoticeQueue } from './sqs-notice-queue.ts';
import { SqsPoisonQueue } from './sqs-poison-queue.ts';
import { SesMailer } from './ses-mailer.ts';

/** Sees the SDK clients before the adapters use them (benchmarks count calls with it). */
export interface Instrument {
  dynamo?(client: DynamoDBClient): void;
  sqs?(client: SQSClient): void;
}

export interface Outbound {
  notices?: (settings: AwsSettings, instrument: Instrument) => NoticeQueue;
  poison?: (settings: AwsSettings, instrument: Instrument) => PoisonQueue;
  mail?: (settings: AwsSettings, instrument: Instrument) => MailSender;
}

export function sqsNotices(settings: AwsSettings, instrument: Instrument = {}): NoticeQueue {
  const queueUrl = needed(settings, 'noticesQueueUrl');
  const sqs = new SQSClient({ ...clientBase(settings), endpoint: settings.endpoints?.sqs, useQueueUrlAsEndpoint: false });
  instrument.sqs?.(sqs);
  return new SqsNoticeQueue(sqs, queueUrl);
}

/** The reactor's stream-poison queue (records it sets aside). */
export function sqsPoison(settings: AwsSettings, instrument: Instrument = {}): PoisonQueue {
  const queueUrl = needed(settings, 'streamPoisonQueueUrl');
  const sqs = new SQSClient({ ...clientBase(settings), endpoint: settings.endpoints?.sqs, useQueueUrlAsEndpoint: false });
  instrument.sqs?.(sqs);
  return new SqsPoisonQueue(sqs, queueUrl);
}

export function sesMail(settings: AwsSettings): MailSender {
  // SES in another AWS partition (a cn-* stack): the keys of a global account's SES-only user.
  const credentials = settings.sesCredentials ?? settings.credentials;
  // maxAttempts 1: the mailer owns the retry policy (throttling: backoff in mail-pacing.ts; else SQS).
  return new SesMailer(
    new SESv2Client({
      endpoint: settings.endpoints?.ses,
      region: settings.sesRegion ?? settings.region,
      maxAttempts: 1,
      ...(credentials ? { credentials } : {}),
    }),
  );
}

/** Every outbound port: the local runtime, where all functions share one state. */
export const allOutbound: Required<Outbound> = { notices: sqsNotices, poison: sqsPoison, mail: sesMail };
