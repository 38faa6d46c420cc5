/**
 * AppState: everything a handler needs, built once per cold start (or once per local runtime).
 * Use cases receive the parts they need; tests build one from fakes (test/fakes).
 */
import type { Context } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { env } from '#infra/wiring.ts';
import { systemClock, type Clock } from '#shared/clock.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { KeywordMatcher } from '#domain/matcher.ts';
import { WorkingCalendar } from '#domain/calendar.ts';
import { TimerSchedule } from '#domain/timer-schedule.ts';
import { SimilarCorpus } from '#app/similar-corpus.ts';
import { loadCityConfigJson } from '#adapters/city-config-json.ts';
import { DynamoProposalStore } from '#adapters/dynamo-store.ts';
import { DynamoNoticeLedger } from '#adapters/dynamo-notice-ledger.ts';
import { DynamoSuppressionList } from '#adapters/dynamo-suppression-list.ts';
import { SqsNoticeQueue } from '#adapters/sqs-notice-queue.ts';
import { SesMailer } from '#adapters/ses-mailer.ts';
import type { IdempotencyStore, MailSender, NoticeLedger, NoticeQueue, ProposalIndex, ProposalStore, SuppressionList } from '#app/ports.ts';
import { DynamoIdempotencyStore } from '#adapters/dynamo-idempotency.ts';
import { DynamoProposalIndex } from '#adapters/dynamo-proposal-index.ts';

export interface AppState {
  config: CityConfig;
  clock: Clock;
  matcher: KeywordMatcher;
  calendar: WorkingCalendar;
  /** When each open obligation's reminders and escalations fire. */
  schedule: TimerSchedule;
  /** Earlier proposals, cached per container, for similarity on submit. */
  similar: SimilarCorpus;
  proposals: ProposalStore;
  index: ProposalIndex;
  idempotency: IdempotencyStore;
  notices: NoticeQueue;
  mail: MailSender;
  ledger: NoticeLedger;
  /** Bounced addresses the mailer skips. */
  suppression: SuppressionList;
  /** Signs the proposers' feedback links (HMAC). */
  feedbackSecret: string;
}

/** Builds the parts that depend only on the config (shared by the AWS and the fake states). */
export function configParts(config: CityConfig): Pick<AppState, 'config' | 'matcher' | 'calendar' | 'schedule' | 'similar'> {
  const calendar = new WorkingCalendar({ timeZone: config.timeZone, ...config.calendar });
  return { config, matcher: KeywordMatcher.fromUnits(config.units), calendar, schedule: new TimerSchedule(config.policy, calendar), similar: new SimilarCorpus() };
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

/**
 * Reads the environment (names from infra/wiring.ts) and builds the AWS-backed state.
 * `instrument` sees the SDK clients before the adapters use them (benchmarks count calls with it).
 */
export function appStateFromEnv(opts: { clock?: Clock; instrument?: (clients: { dynamo: DynamoDBClient; sqs: SQSClient }) => void } = {}): AppState {
  const config = loadCityConfigJson(required(env.cityConfigFile));
  const endpoint = (name: string) => process.env[name] || undefined;
  const dynamoClient = new DynamoDBClient({ endpoint: endpoint(env.dynamoEndpoint) });
  const sqs = new SQSClient({ endpoint: endpoint(env.sqsEndpoint), useQueueUrlAsEndpoint: false });
  opts.instrument?.({ dynamo: dynamoClient, sqs });
  const dynamo = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });
  // SES in another AWS partition (a cn-* stack): the keys of a global account's SES-only user.
  const sesKey = process.env[env.sesAccessKeyId];
  const sesSecret = process.env[env.sesSecretAccessKey];
  const credentials = sesKey && sesSecret ? { accessKeyId: sesKey, secretAccessKey: sesSecret } : undefined;
  // maxAttempts 1: the mailer owns the retry policy (throttling: backoff in mail-pacing.ts; else SQS).
  const ses = new SESv2Client({ endpoint: endpoint(env.sesEndpoint), region: process.env[env.sesRegion] || undefined, maxAttempts: 1, ...(credentials ? { credentials } : {}) });
  const tableName = required(env.tableName);
  const parts = configParts(config);
  return {
    ...parts,
    clock: opts.clock ?? systemClock,
    proposals: new DynamoProposalStore(dynamo, tableName, parts.schedule),
    index: new DynamoProposalIndex(dynamo, tableName),
    idempotency: new DynamoIdempotencyStore(dynamo, tableName),
    ledger: new DynamoNoticeLedger(dynamo, tableName),
    suppression: new DynamoSuppressionList(dynamo, tableName, opts.clock ?? systemClock),
    notices: new SqsNoticeQueue(sqs, required(env.noticesQueueUrl)),
    mail: new SesMailer(ses),
    feedbackSecret: required(env.feedbackSecret),
  };
}

let cached: AppState | undefined;
/** The state of this Lambda container, built on first use. */
export function lambdaState(): AppState {
  cached ??= appStateFromEnv();
  return cached;
}

/** A Lambda entry point that builds its handler (and the state) on the first invocation. */
export function lazyHandler<E, R>(create: (state: AppState) => (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R> {
  let h: ((event: E, context: Context) => Promise<R>) | undefined;
  return (event, context) => {
    h ??= create(lambdaState());
    return h(event, context);
  };
}
