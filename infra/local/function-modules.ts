/**
 * Loads the real Lambda handlers for the local runtime: each `functions/<name>/handler.ts`
 * (entry in shared/wiring.ts) exports `createHandler(state)`, which returns the Lambda handler.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context, DynamoDBStreamEvent, ScheduledEvent, SNSEvent, SQSEvent } from 'aws-lambda';
import { functions, type FunctionName } from '#shared/wiring.ts';

export type Invoke<E> = (event: E) => Promise<unknown>;

/** The event each kind of trigger delivers. */
export interface TriggerEvents {
  http: APIGatewayProxyEventV2WithJWTAuthorizer;
  dynamodbStream: DynamoDBStreamEvent;
  sqs: SQSEvent;
  schedule: ScheduledEvent;
  sesNotifications: SNSEvent;
}

/** A handler per function of the wiring, taking its trigger's event (a trigger kind without an event above does not compile). */
export type LocalHandlers = { [F in FunctionName]: Invoke<TriggerEvents[(typeof functions)[F]['trigger']['type']]> };

type LambdaFn<E> = (event: E, context: Context) => unknown;

const isFunction = <F>(v: unknown): v is F => typeof v === 'function';

/** A Lambda context good enough for handlers and middy (no real deadline is enforced). */
function lambdaContext(name: FunctionName): Context {
  const { memoryMb, timeoutSeconds } = functions[name];
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export async function loadHandler<E>(name: FunctionName, state: unknown): Promise<Invoke<E>> {
  const entry = functions[name].entry;
  const mod: unknown = await import(new URL(`../../${entry}`, import.meta.url).href);
  const factory: unknown = typeof mod === 'object' && mod !== null ? Reflect.get(mod, 'createHandler') : undefined;
  if (!isFunction<(state: unknown) => unknown>(factory)) throw new Error(`${entry} must export createHandler(state)`);
  const handler = factory(state);
  if (!isFunction<LambdaFn<E>>(handler)) throw new Error(`${entry}: createHandler(state) must return the handler function`);
  return async (event) => handler(event, lambdaContext(name));
}

/** Every function of the wiring, its handler from its module, all on one state. */
export async function loadHandlers(state: unknown): Promise<LocalHandlers> {
  const names = Object.keys(functions) as FunctionName[];
  const loaded = await Promise.all(names.map(async (name) => [name, await loadHandler(name, state)] as const));
  // Each createHandler takes the event of its function's trigger (the contract of the entries).
  return Object.fromEntries(loaded) as LocalHandlers;
}
