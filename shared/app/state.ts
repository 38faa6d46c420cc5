/**
 * AppState: everything a handler needs, built once per cold start (or once per local runtime).
 * Use cases receive the parts they need; tests build one from fakes (test/fakes).
 */
import type { Context } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { env } from '#shared/wiring.ts';
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

/** The city, the clock and the metrics, from the environment (names from shared/wiring.ts). */
function baseFromEnv(clock: Clock = systemClock): Pick<AppState, 'config' | 'clock' | 'metrics'> {
  const config = loadCityConfigJson(requiredEnv(env.cityConfigFile));
  log.forCity(config.id);
  return { config, clock, metrics: new EmfMetrics(config.id) };
}

function dynamoFromEnv(instrument: Instrument): { dynamo: DynamoDBDocumentClient; tableName: string } {
  const dynamoClient = new DynamoDBClient({ endpoint: optionalEnv(env.dynamoEndpoint) });
  instrument.dynamo?.(dynamoClient);
  const dynamo = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamo, tableName: requiredEnv(env.tableName) };
}

type Table = { dynamo: DynamoDBDocumentClient; tableName: string };

/** The proposal workflow on the table: what the api needs, and the reactor and the sweep with it. */
function workflowParts(base: Pick<AppState, 'config' | 'clock' | 'metrics'>, { dynamo, tableName }: Table): ApiState {
  const parts = configParts(base.config);
  return {
    ...parts,
    ...base,
    proposals: new DynamoProposalStore(dynamo, tableName, parts.schedule),
    index: new DynamoProposalIndex(dynamo, tableName),
    idempotency: new DynamoIdempotencyStore(dynamo, tableName),
    feedbackSecret: requiredEnv(env.feedbackSecret),
  };
}

/** The mailer's records on the table: what was sent, and the addresses not to mail. */
function deliveryParts(base: Pick<AppState, 'clock'>, { dynamo, tableName }: Table): Pick<AppState, 'ledger' | 'suppression'> {
  return { ledger: new DynamoNoticeLedger(dynamo, tableName), suppression: new DynamoSuppressionList(dynamo, tableName, base.clock) };
}

/**
 * Reads the environment (names from shared/wiring.ts) and builds the whole AWS-backed state (the
 * reactor, the sweep, the local runtime): DynamoDB always, the outbound ports (notices queue, mail)
 * only as `outbound` names them.
 */
export function appStateFromEnv(opts: { clock?: Clock; instrument?: Instrument; outbound?: Outbound } = {}): AppState {
  const base = baseFromEnv(opts.clock);
  const instrument = opts.instrument ?? {};
  const table = dynamoFromEnv(instrument);
  return {
    ...workflowParts(base, table),
    ...deliveryParts(base, table),
    notices: opts.outbound?.notices?.(instrument) ?? unwired('notices queue'),
    mail: opts.outbound?.mail?.(instrument) ?? unwired('mail'),
  };
}

/**
 * Each function's own state holds only what it uses, so that its bundle carries no more: the api
 * and the reports the workflow (no ledger, no queue, no mail); the mailer its records and the mail (none of the
 * workflow: it writes no proposal); bounces the suppression list. Any full AppState (the local
 * runtime, tests) is each of them too.
 */
export type ApiState = Omit<AppState, 'ledger' | 'suppression' | 'notices' | 'mail'>;
export type MailerState = Pick<AppState, 'config' | 'clock' | 'metrics' | 'ledger' | 'suppression' | 'mail'>;
export type SuppressionState = Pick<AppState, 'config' | 'clock' | 'metrics' | 'suppression'>;

export function apiStateFromEnv(): ApiState {
  const base = baseFromEnv();
  return workflowParts(base, dynamoFromEnv({}));
}

/** The mailer's state, but its mail port (the entry wires SES). */
export function mailerStateFromEnv(): Omit<MailerState, 'mail'> {
  const base = baseFromEnv();
  return { ...base, ...deliveryParts(base, dynamoFromEnv({})) };
}

export function suppressionStateFromEnv(): SuppressionState {
  const base = baseFromEnv();
  const { dynamo, tableName } = dynamoFromEnv({});
  return { ...base, suppression: new DynamoSuppressionList(dynamo, tableName, base.clock) };
}

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * A Lambda entry point that builds its handler (and the state) on the first invocation, with the
 * outbound ports this function uses (and so bundles): e.g. `{ notices: sqsNotices }`.
 */
export function lazyHandler<E, R>(create: (state: AppState) => Handler<E, R>, outbound: Outbound = {}): Handler<E, R> {
  return lazyHandlerOf(create, () => appStateFromEnv({ outbound }));
}

/** lazyHandler for a function with a state of its own (`build`, e.g. suppressionStateFromEnv). */
export function lazyHandlerOf<S extends Pick<AppState, 'metrics'>, E, R>(create: (state: S) => Handler<E, R>, build: () => S): Handler<E, R> {
  let state: S | undefined;
  let h: Handler<E, R> | undefined;
  return async (event, context) => {
    state ??= build();
    h ??= create(state);
    try {
      return await h(event, context);
    } finally {
      state.metrics.flush();
    }
  };
}
