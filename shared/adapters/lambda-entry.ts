/**
 * What a Lambda entry (functions/<name>/handler.ts) needs: its settings, read from the environment
 * (set by the CDK stack, names in shared/wiring.ts) in this one place, the secrets they name (read
 * from Secrets Manager, shared/adapters/secrets.ts), and its state, built from them on the first
 * invocation.
 */
import type { Context } from 'aws-lambda';
import { env } from '#shared/wiring.ts';
import type { AwsSettings } from './aws-state.ts';
import { readFeedbackKeys, readSesCredentials, secretsManager, secretsRefreshMs, type SecretReader } from './secrets.ts';
import { log } from '#shared/log.ts';

/** The variable's value; throws naming it when it is unset or empty. */
function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

/** The variable's value, or undefined when it is unset or empty. */
function optionalEnv(name: string): string | undefined {
  return process.env[name] || undefined;
}

/** The settings from the environment. The region and credentials are the SDK's to read there. */
export function settingsFromEnv(): AwsSettings {
  return {
    tableName: requiredEnv(env.tableName),
    cityConfigFile: requiredEnv(env.cityConfigFile),
    feedbackSecretArn: optionalEnv(env.feedbackSecretArn),
    noticesQueueUrl: optionalEnv(env.noticesQueueUrl),
    streamPoisonQueueUrl: optionalEnv(env.streamPoisonQueueUrl),
    sesRegion: optionalEnv(env.sesRegion),
    sesCredentialsSecretArn: optionalEnv(env.sesCredentialsSecretArn),
    metricsDisabled: optionalEnv(env.metricsDisabled) === 'true',
    endpoints: {
      dynamodb: optionalEnv(env.dynamoEndpoint),
      sqs: optionalEnv(env.sqsEndpoint),
      ses: optionalEnv(env.sesEndpoint),
      secretsManager: optionalEnv(env.secretsManagerEndpoint),
    },
  };
}

/**
 * The environment a Lambda function with these settings sees (the inverse of settingsFromEnv, with
 * the region and credentials the SDK reads): for running the bundles as Lambda does.
 */
export function settingsEnv(settings: AwsSettings): Record<string, string> {
  const entries: [string, string | undefined][] = [
    [env.tableName, settings.tableName],
    [env.cityConfigFile, settings.cityConfigFile],
    [env.feedbackSecretArn, settings.feedbackSecretArn],
    [env.noticesQueueUrl, settings.noticesQueueUrl],
    [env.streamPoisonQueueUrl, settings.streamPoisonQueueUrl],
    [env.sesRegion, settings.sesRegion],
    [env.sesCredentialsSecretArn, settings.sesCredentialsSecretArn],
    [env.metricsDisabled, settings.metricsDisabled ? 'true' : undefined],
    [env.dynamoEndpoint, settings.endpoints?.dynamodb],
    [env.sqsEndpoint, settings.endpoints?.sqs],
    [env.sesEndpoint, settings.endpoints?.ses],
    [env.secretsManagerEndpoint, settings.endpoints?.secretsManager],
    ['AWS_REGION', settings.region],
    ['AWS_ACCESS_KEY_ID', settings.credentials?.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', settings.credentials?.secretAccessKey],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/** What a Lambda entry reads its secrets with: Secrets Manager, unless a test gives a stand-in. */
export interface EntryOptions {
  secrets?: (settings: AwsSettings) => SecretReader;
  /** Epoch milliseconds (tests move it). */
  now?: () => number;
}

const secretsManagerOf = (settings: AwsSettings): SecretReader =>
  secretsManager({
    region: settings.region ?? process.env.AWS_REGION ?? '',
    ...(settings.endpoints?.secretsManager ? { endpoint: settings.endpoints.secretsManager } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });

/** The secrets the settings name, read: the feedback keys and the SES keys (shared/adapters/secrets.ts). */
export async function readSecrets(
  settings: AwsSettings,
  reader: SecretReader,
  now: Date,
): Promise<Pick<AwsSettings, 'feedbackSecret' | 'sesCredentials'>> {
  const { feedbackSecretArn, sesCredentialsSecretArn } = settings;
  const [feedbackSecret, sesCredentials] = await Promise.all([
    feedbackSecretArn ? readFeedbackKeys(reader, feedbackSecretArn, now) : undefined,
    sesCredentialsSecretArn ? readSesCredentials(reader, sesCredentialsSecretArn) : undefined,
  ]);
  return { ...(feedbackSecret ? { feedbackSecret } : {}), ...(sesCredentials ? { sesCredentials } : {}) };
}

/**
 * A Lambda entry point that builds its handler on the first invocation, on the state `build` makes
 * from the settings: the function's own (e.g. reactorState, with the outbound ports it uses, so its
 * bundle holds only those). The handler's middlewares flush the metrics after each invocation
 * (functions/middlewares.ts).
 *
 * Secrets: a function whose environment names one (the feedback keys, the SES keys) reads it before
 * building its state, and again on the first invocation `secretsRefreshMs` after; when what it reads
 * differs (a rotation), it builds the state anew, as a cold start would. A read that fails on a warm
 * function keeps what it has (logged) and is tried again at the next refresh; at cold start it fails
 * the invocation.
 */
export function lazyHandlerOf<S, E, R>(
  create: (state: S) => Handler<E, R>,
  build: (settings: AwsSettings) => S,
  opts: EntryOptions = {},
): Handler<E, R> {
  const now = opts.now ?? Date.now;
  let settings: AwsSettings | undefined;
  let built: { handler: Handler<E, R>; secrets: string; readAt: number } | undefined;
  const refresh = async (at: number) => {
    settings ??= settingsFromEnv();
    const named = settings.feedbackSecretArn || settings.sesCredentialsSecretArn;
    if (built && !named) return { ...built, readAt: at };
    try {
      const secrets = named ? await readSecrets(settings, (opts.secrets ?? secretsManagerOf)(settings), new Date(at)) : {};
      const fingerprint = JSON.stringify(secrets);
      if (built?.secrets === fingerprint) return { ...built, readAt: at };
      return { handler: create(build({ ...settings, ...secrets })), secrets: fingerprint, readAt: at };
    } catch (e) {
      if (!built) throw e;
      log.warn('secrets not read again; the function keeps the ones it has', { error: e instanceof Error ? e.message : String(e) });
      return { ...built, readAt: at };
    }
  };
  return async (event, context) => {
    const at = now();
    if (!built || at - built.readAt >= secretsRefreshMs) built = await refresh(at);
    return built.handler(event, context);
  };
}
