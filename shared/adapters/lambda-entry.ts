/**
 * What a Lambda entry (functions/<name>/handler.ts) needs: its settings, read from the environment
 * (set by the CDK stack, names in shared/wiring.ts) in this one place, and its state, built from them
 * on the first invocation.
 */
import type { Context } from 'aws-lambda';
import { env } from '#shared/wiring.ts';
import type { AppState } from '#app/state.ts';
import { appState, type AwsSettings } from './aws-state.ts';
import type { Outbound } from './aws-outbound.ts';

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
  const sesKey = optionalEnv(env.sesAccessKeyId);
  const sesSecret = optionalEnv(env.sesSecretAccessKey);
  return {
    tableName: requiredEnv(env.tableName),
    cityConfigFile: requiredEnv(env.cityConfigFile),
    feedbackSecret: optionalEnv(env.feedbackSecret),
    noticesQueueUrl: optionalEnv(env.noticesQueueUrl),
    sesRegion: optionalEnv(env.sesRegion),
    sesCredentials: sesKey && sesSecret ? { accessKeyId: sesKey, secretAccessKey: sesSecret } : undefined,
    metricsDisabled: optionalEnv(env.metricsDisabled) === 'true',
    endpoints: { dynamodb: optionalEnv(env.dynamoEndpoint), sqs: optionalEnv(env.sqsEndpoint), ses: optionalEnv(env.sesEndpoint) },
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
    [env.feedbackSecret, settings.feedbackSecret],
    [env.noticesQueueUrl, settings.noticesQueueUrl],
    [env.sesRegion, settings.sesRegion],
    [env.sesAccessKeyId, settings.sesCredentials?.accessKeyId],
    [env.sesSecretAccessKey, settings.sesCredentials?.secretAccessKey],
    [env.metricsDisabled, settings.metricsDisabled ? 'true' : undefined],
    [env.dynamoEndpoint, settings.endpoints?.dynamodb],
    [env.sqsEndpoint, settings.endpoints?.sqs],
    [env.sesEndpoint, settings.endpoints?.ses],
    ['AWS_REGION', settings.region],
    ['AWS_ACCESS_KEY_ID', settings.credentials?.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', settings.credentials?.secretAccessKey],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * A Lambda entry point that builds its handler (and the state) on the first invocation, with the
 * outbound ports this function uses (and so bundles): e.g. `{ notices: sqsNotices }`.
 */
export function lazyHandler<E, R>(create: (state: AppState) => Handler<E, R>, outbound: Outbound = {}): Handler<E, R> {
  return lazyHandlerOf(create, (settings) => appState(settings, { outbound }));
}

/**
 * lazyHandler for a function with a state of its own (`build`, e.g. suppressionState). The handler's
 * middlewares flush the metrics after each invocation (functions/middlewares.ts).
 */
export function lazyHandlerOf<S, E, R>(create: (state: S) => Handler<E, R>, build: (settings: AwsSettings) => S): Handler<E, R> {
  let h: Handler<E, R> | undefined;
  return async (event, context) => {
    h ??= create(build(settingsFromEnv()));
    return h(event, context);
  };
}
