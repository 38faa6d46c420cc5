/**
 * Builds the AppState (or one function's part of it) from AWS SDK clients and settings. In Lambda
 * the settings come from the environment (lambda-entry.ts); the local runtime passes its own.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { env } from '#shared/wiring.ts';
import { systemClock, type Clock } from '#shared/clock.ts';
import { calendarParts, configParts, type ApiState, type AppState, type MailerState, type SuppressionState } from '#app/state.ts';
import { loadCityConfigJson } from './city-config-json.ts';
import { DynamoProposalStore } from './dynamo-store.ts';
import { DynamoProposalReader } from './dynamo-proposal-reader.ts';
import { CaseNumberBatches } from './case-number-batches.ts';
import { DynamoTimerStore } from './dynamo-timer-store.ts';
import { DynamoNoticeLedger } from './dynamo-notice-ledger.ts';
import { DynamoSuppressionList } from './dynamo-suppression-list.ts';
import { DynamoIdempotencyStore } from './dynamo-idempotency.ts';
import { DynamoProposalIndex } from './dynamo-proposal-index.ts';
import { DynamoMemberDirectory } from './dynamo-member-directory.ts';
import { EmfMetrics } from './emf-metrics.ts';
import type { Instrument, Outbound } from './aws-outbound.ts';
import { log } from '#shared/log.ts';
import type { FeedbackKeys } from '#app/feedback-token.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What the AWS-backed state is built from (each field read from the environment has its variable in shared/wiring.ts `env`). */
export interface AwsSettings {
  tableName: string;
  /** The city config's JSON form (city.json beside the bundle in AWS). */
  cityConfigFile: string;
  /**
   * The feedback keys: only the functions that sign or check the feedback links have them. In AWS
   * the Lambda entry reads them from the secret `feedbackSecretArn` names (shared/adapters/secrets.ts);
   * the local runtime passes them here.
   */
  feedbackSecret?: FeedbackKeys;
  feedbackSecretArn?: string;
  /** The functions that send notices need it. */
  noticesQueueUrl?: string;
  /** The reactor needs it (the stream records it sets aside). */
  streamPoisonQueueUrl?: string;
  sesRegion?: string;
  /**
   * Only where SES is in another AWS partition (a cn-* stack): keys of a global account's SES-only
   * user, read (in AWS) from the secret `sesCredentialsSecretArn` names.
   */
  sesCredentials?: Credentials;
  sesCredentialsSecretArn?: string;
  /** Keeps the metric lines (EMF) out of the logs where no CloudWatch reads them. */
  metricsDisabled?: boolean;
  /**
   * Local only (the emulators, a stand-in of Secrets Manager in tests), never in AWS: there the SDK
   * takes the region and credentials from Lambda's environment.
   */
  endpoints?: { dynamodb?: string; sqs?: string; ses?: string; secretsManager?: string };
  region?: string;
  credentials?: Credentials;
}

/** The settings read from an environment variable of the same name in `env`, with a string value. */
type EnvSetting = {
  [K in keyof AwsSettings & keyof typeof env]-?: NonNullable<AwsSettings[K]> extends string ? K : never;
}[keyof AwsSettings & keyof typeof env];

/** A setting only some functions need; throws naming it (and its variable) when it is missing. */
export function needed<K extends EnvSetting>(settings: AwsSettings, name: K): NonNullable<AwsSettings[K]> {
  const value = settings[name];
  if (value === undefined || value === '') throw new Error(`setting ${name} is not set (environment variable ${env[name]})`);
  return value;
}

/** The SDK client settings every client shares: locally the emulators' region and credentials, in AWS none. */
export function clientBase(settings: AwsSettings): { region?: string; credentials?: Credentials } {
  return {
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  };
}

/** A port this function does not wire: calling it is a wiring bug, named as such. */
function unwired(port: string): { send(): Promise<never> } {
  return { send: () => Promise.reject(new Error(`the ${port} port is not wired into this function (see its entry's state)`)) };
}

/** The feedback keys of a function that is not given them (its wiring has no `feedbackKey`): using them is a wiring bug. */
function unwiredKeys(): FeedbackKeys {
  return {
    get current(): never {
      throw new Error('the feedback keys are not given to this function (shared/wiring.ts: access.feedbackKey)');
    },
  };
}

type Base = Pick<AppState, 'config' | 'clock' | 'metrics'>;
type Table = { dynamo: DynamoDBDocumentClient; tableName: string };

/** The city, the clock and the metrics. */
function baseParts(settings: AwsSettings, clock: Clock = systemClock): Base {
  const config = loadCityConfigJson(settings.cityConfigFile);
  log.forCity(config.id);
  return { config, clock, metrics: new EmfMetrics(config.id, settings.metricsDisabled ? () => undefined : undefined) };
}

function tableOf(settings: AwsSettings, instrument: Instrument = {}): Table {
  const dynamoClient = new DynamoDBClient({ ...clientBase(settings), endpoint: settings.endpoints?.dynamodb });
  instrument.dynamo?.(dynamoClient);
  const dynamo = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamo, tableName: settings.tableName };
}

/**
 * The proposal workflow on the table: what the api needs (and the local runtime). `batches`: creates
 * arriving together in one process share a transaction (case-number-batches.ts); only the local
 * runtime serves concurrent submissions in one process, a Lambda container one at a time.
 */
function workflowParts(settings: AwsSettings, base: Base, { dynamo, tableName }: Table, batches?: typeof CaseNumberBatches): ApiState {
  const parts = configParts(base.config);
  return {
    ...parts,
    ...base,
    proposals: new DynamoProposalStore(dynamo, tableName, { batches }),
    timers: new DynamoTimerStore(dynamo, tableName),
    index: new DynamoProposalIndex(dynamo, tableName),
    members: new DynamoMemberDirectory(dynamo, tableName),
    idempotency: new DynamoIdempotencyStore(dynamo, tableName),
    feedbackSecret: settings.feedbackSecret ?? unwiredKeys(),
  };
}

/** The mailer's records on the table: what was sent, and the addresses not to mail. */
function deliveryParts(base: Pick<AppState, 'clock'>, { dynamo, tableName }: Table): Pick<AppState, 'ledger' | 'suppression'> {
  return { ledger: new DynamoNoticeLedger(dynamo, tableName), suppression: new DynamoSuppressionList(dynamo, tableName, base.clock) };
}

/**
 * The whole AWS-backed state (the local runtime, where all functions share it, and the benchmarks):
 * DynamoDB always, with the case-number batches; the outbound ports (notices queue, mail) only as
 * `outbound` names them.
 */
export function appState(settings: AwsSettings, opts: { clock?: Clock; instrument?: Instrument; outbound?: Outbound } = {}): AppState {
  const base = baseParts(settings, opts.clock);
  const instrument = opts.instrument ?? {};
  const table = tableOf(settings, instrument);
  return {
    ...workflowParts(settings, base, table, CaseNumberBatches),
    ...deliveryParts(base, table),
    notices: opts.outbound?.notices?.(settings, instrument) ?? unwired('notices queue'),
    poison: opts.outbound?.poison?.(settings, instrument) ?? unwired('stream-poison queue'),
    mail: opts.outbound?.mail?.(settings, instrument) ?? unwired('mail'),
  };
}

export function apiState(settings: AwsSettings): ApiState {
  return workflowParts(settings, baseParts(settings), tableOf(settings));
}

/**
 * The reports function's state (statistics, the annual report, the letters, the published results):
 * it reads only, so it builds no keyword matcher, no similar-proposals corpus and no timer store,
 * and only the proposal store's reads (they stay out of its bundle); it takes no Idempotency-Key (GETs only).
 */
export function reportsState(settings: AwsSettings): ApiState {
  const base = baseParts(settings);
  const { dynamo, tableName } = tableOf(settings);
  return {
    ...calendarParts(base.config),
    ...base,
    matcher: notHere('keyword matcher'),
    similar: notHere('similar-proposals corpus'),
    idempotency: notHere('idempotency store'),
    timers: notHere('timer store'),
    proposals: new DynamoProposalReader(dynamo, tableName),
    index: new DynamoProposalIndex(dynamo, tableName),
    members: new DynamoMemberDirectory(dynamo, tableName),
    feedbackSecret: settings.feedbackSecret ?? unwiredKeys(),
  };
}

/**
 * The reactor's state: what reacting to an event and to a delivery report reads and writes (the
 * workflow on submission: proposals, the year index, the similar corpus, the matcher; the notices
 * and the poison queue it sends to; the feedback keys it signs with), and nothing else: no timer store
 * (a commit writes its timers through the proposal store), no idempotency, member directory, ledger,
 * suppression list or mail, so they stay out of its bundle.
 */
export function reactorState(settings: AwsSettings, outbound: Required<Pick<Outbound, 'notices' | 'poison'>>): AppState {
  const base = baseParts(settings);
  const { dynamo, tableName } = tableOf(settings);
  const absent = (part: string) => notHere<never>(part, 'reactorState');
  return {
    ...configParts(base.config),
    ...base,
    proposals: new DynamoProposalStore(dynamo, tableName),
    index: new DynamoProposalIndex(dynamo, tableName),
    feedbackSecret: settings.feedbackSecret ?? unwiredKeys(),
    notices: outbound.notices(settings, {}),
    poison: outbound.poison(settings, {}),
    timers: absent('timer store'),
    idempotency: absent('idempotency store'),
    members: absent('member directory'),
    ledger: absent('notice ledger'),
    suppression: absent('suppression list'),
    mail: absent('mail port'),
  };
}

/**
 * The sweep's state: what firing due timers reads and writes (the timers, the proposals they belong
 * to, the year index for the bulletin, the notices queue), and nothing else: no keyword matcher,
 * similar corpus, idempotency, member directory, ledger, suppression list or mail (nor, by its wiring, the feedback keys).
 */
export function sweepState(settings: AwsSettings, outbound: Required<Pick<Outbound, 'notices'>>): AppState {
  const base = baseParts(settings);
  const { dynamo, tableName } = tableOf(settings);
  const absent = (part: string) => notHere<never>(part, 'sweepState');
  return {
    ...calendarParts(base.config),
    ...base,
    proposals: new DynamoProposalStore(dynamo, tableName),
    timers: new DynamoTimerStore(dynamo, tableName),
    index: new DynamoProposalIndex(dynamo, tableName),
    notices: outbound.notices(settings, {}),
    matcher: absent('keyword matcher'),
    similar: absent('similar-proposals corpus'),
    idempotency: absent('idempotency store'),
    members: absent('member directory'),
    ledger: absent('notice ledger'),
    suppression: absent('suppression list'),
    mail: absent('mail port'),
    poison: absent('stream-poison queue'),
    feedbackSecret: settings.feedbackSecret ?? unwiredKeys(),
  };
}

/** A part a function does not build (its state is `builder`'s): any use of it is a wiring bug, said so. */
function notHere<T extends object>(part: string, builder = 'reportsState'): T {
  return new Proxy(Object.create(null) as T, {
    get() {
      throw new Error(`the ${part} is not built in this function (shared/adapters/aws-state.ts: ${builder})`);
    },
  });
}

/** The mailer's state, but its mail port (the entry wires SES). */
export function mailerState(settings: AwsSettings): Omit<MailerState, 'mail'> {
  const base = baseParts(settings);
  return { ...base, ...deliveryParts(base, tableOf(settings)) };
}

export function suppressionState(settings: AwsSettings): SuppressionState {
  const base = baseParts(settings);
  const { dynamo, tableName } = tableOf(settings);
  return { ...base, suppression: new DynamoSuppressionList(dynamo, tableName, base.clock) };
}
