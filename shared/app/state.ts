/**
 * AppState: everything a handler needs, built once per cold start (or once per local runtime).
 * Use cases receive the parts they need; tests build one from fakes (test/fakes).
 */
import type { Context } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
import type { Instrument, Outbound } from '#adapters/aws-outbound.ts';
import { optionalEnv, requiredEnv } from '#shared/env.ts';
import type { IdempotencyStore, MailSender, Metrics, NoticeLedger, NoticeQueue, ProposalIndex, ProposalStore, SuppressionList } from '#app/ports.ts';
import { EmfMetrics } from '#adapters/emf-metrics.ts';
import { log } from '#shared/log.ts';
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
  /** Business counts per city (CloudWatch); flushed after each invocation. */
  metrics: Metrics;
}

/** Builds the parts that depend only on the config (shared by the AWS and the fake states). */
export function configParts(config: CityConfig): Pick<AppState, 'config' | 'matcher' | 'calendar' | 'schedule' | 'similar'> {
  const calendar = new WorkingCalendar({ timeZone: config.timeZone, ...config.calendar });
  return { config, matcher: KeywordMatcher.fromUnits(config.units), calendar, schedule: new TimerSchedule(config.policy, calendar), similar: new SimilarCorpus() };
}

/** A port this function does not wire: calling it is a wiring bug, named as such. */
function unwired(port: string): { send(): Promise<never> } {
  return { send: () => Promise.reject(new Error(`the ${port} port is not wired into this function (see its lazyHandler call)`)) };
}

/**
 * Reads the environment (names from infra/wiring.ts) and builds the AWS-backed state: DynamoDB
 * always, the outbound ports (notices queue, mail) only as `outbound` names them.
 */
export function appStateFromEnv(opts: { clock?: Clock; instrument?: Instrument; outbound?: Outbound } = {}): AppState {
  const config = loadCityConfigJson(requiredEnv(env.cityConfigFile));
  log.forCity(config.id);
  const instrument = opts.instrument ?? {};
  const dynamoClient = new DynamoDBClient({ endpoint: optionalEnv(env.dynamoEndpoint) });
  instrument.dynamo?.(dynamoClient);
  const dynamo = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = requiredEnv(env.tableName);
  const clock = opts.clock ?? systemClock;
  const parts = configParts(config);
  return {
    ...parts,
    clock,
    proposals: new DynamoProposalStore(dynamo, tableName, parts.schedule),
    index: new DynamoProposalIndex(dynamo, tableName),
    idempotency: new DynamoIdempotencyStore(dynamo, tableName),
    ledger: new DynamoNoticeLedger(dynamo, tableName),
    suppression: new DynamoSuppressionList(dynamo, tableName, clock),
    notices: opts.outbound?.notices?.(instrument) ?? unwired('notices queue'),
    mail: opts.outbound?.mail?.(instrument) ?? unwired('mail'),
    feedbackSecret: requiredEnv(env.feedbackSecret),
    metrics: new EmfMetrics(config.id),
  };
}

/**
 * A Lambda entry point that builds its handler (and the state) on the first invocation, with the
 * outbound ports this function uses (and so bundles): e.g. `{ notices: sqsNotices }`.
 */
export function lazyHandler<E, R>(
  create: (state: AppState) => (event: E, context: Context) => Promise<R>,
  outbound: Outbound = {},
): (event: E, context: Context) => Promise<R> {
  let state: AppState | undefined;
  let h: ((event: E, context: Context) => Promise<R>) | undefined;
  return async (event, context) => {
    state ??= appStateFromEnv({ outbound });
    h ??= create(state);
    try {
      return await h(event, context);
    } finally {
      state.metrics.flush();
    }
  };
}
