/**
 * The local stack with the real handlers, instrumented for the benchmarks and the fault suite:
 * every handler invocation is counted and timed per function, and every DynamoDB call of the
 * application asks for ReturnConsumedCapacity and sums it (a client middleware, no mocks). An
 * optional `wrap` puts a layer (e.g. fault injection) around each real handler.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { functions, type FunctionName } from '#shared/wiring.ts';
import { startLocalStack, type LocalHandlers, type LocalStack, type LocalStackOptions } from '#infra/local/stack.ts';
import { benchMembers } from './lifecycle.ts';
import { loadHandler, type Invoke } from '#infra/local/function-modules.ts';
import type { AppState } from '#app/state.ts';
import { appState } from '#adapters/aws-state.ts';
import { allOutbound } from '#adapters/aws-outbound.ts';
import { writeCityConfigJson } from '#adapters/city-config-json.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';

export interface Usage {
  invocations: Record<FunctionName, number>;
  /** Wall milliseconds of each invocation, per function. */
  durationsMs: Record<FunctionName, number[]>;
  /** SQS messages the mailer received (each costs a share of a ReceiveMessage and a DeleteMessageBatch). */
  mailerBatches: number;
  /** Calls (also failed ones), items written by successful calls, capacity units reported. */
  dynamo: { calls: Record<string, number>; itemWrites: number; wru: number; rru: number };
  /** Requests of the application's own SQS client (SendMessageBatch of notices). */
  sqsCalls: Record<string, number>;
}

export const emptyUsage = (): Usage => {
  // One entry per function of the wiring (a new function is counted without touching this file).
  const perFn = <T>(f: () => T) => Object.fromEntries(Object.keys(functions).map((name) => [name, f()])) as Record<FunctionName, T>;
  return {
    invocations: perFn(() => 0),
    durationsMs: perFn((): number[] => []),
    mailerBatches: 0,
    dynamo: { calls: {}, itemWrites: 0, wru: 0, rru: 0 },
    sqsCalls: {},
  };
};

export type Wrap = <E>(name: FunctionName, real: Invoke<E>) => Invoke<E>;

export interface InstrumentedStack {
  stack: LocalStack;
  /** The state the handlers use (for reading the table in checks). */
  state: AppState;
  /** Counters since start or the last `reset()`. */
  usage: Usage;
  reset(): void;
}

const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
]);

const get = (o: unknown, k: string): unknown => (typeof o === 'object' && o !== null ? Reflect.get(o, k) : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Items a write command writes (a ConditionCheck in a transaction writes nothing). */
function itemWrites(command: string, input: unknown): number {
  if (command === 'PutItemCommand' || command === 'UpdateItemCommand' || command === 'DeleteItemCommand') return 1;
  if (command === 'TransactWriteItemsCommand')
    return list(get(input, 'TransactItems')).filter((t) => get(t, 'ConditionCheck') === undefined).length;
  if (command === 'BatchWriteItemCommand')
    return Object.values(get(input, 'RequestItems') ?? {}).reduce((n: number, v) => n + list(v).length, 0);
  return 0;
}

/** Counts every call of the client and sums the consumed capacity it reports. */
export function countDynamo(client: DynamoDBClient, usage: () => Usage): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      const u = usage().dynamo;
      u.calls[name] = (u.calls[name] ?? 0) + 1;
      if (CAPACITY_COMMANDS.has(name)) Reflect.set(args.input, 'ReturnConsumedCapacity', 'TOTAL');
      const out = await next(args); // a failed call (condition, conflict) throws: its writes do not count
      const isWrite = itemWrites(name, args.input) > 0;
      u.itemWrites += itemWrites(name, args.input);
      for (const c of list(get(out.output, 'ConsumedCapacity'))) {
        // TOTAL reports CapacityUnits (table + indexes); Read/Write units are set when DynamoDB splits them.
        const w = num(get(c, 'WriteCapacityUnits'));
        const r = num(get(c, 'ReadCapacityUnits'));
        const total = num(get(c, 'CapacityUnits'));
        if (w || r) [u.wru, u.rru] = [u.wru + w, u.rru + r];
        else if (isWrite) u.wru += total;
        else u.rru += total;
      }
      return out;
    },
    { step: 'initialize', name: 'benchCountCapacity' },
  );
}

export function countSqs(client: SQSClient, usage: () => Usage): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const calls = usage().sqsCalls;
      const name = context.commandName ?? 'unknown';
      calls[name] = (calls[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCountSqs' },
  );
}

/**
 * `maxSendRate` overrides the city's email rate (10/s is an SES account quota; benchmarks of our own
 * pipeline lift it so that they measure the pipeline).
 */
export async function startInstrumentedStack(
  opts: { wrap?: Wrap; stack?: LocalStackOptions; maxSendRate?: number } = {},
): Promise<InstrumentedStack> {
  let usage = emptyUsage();
  let real: LocalHandlers | undefined;
  const wrap: Wrap = opts.wrap ?? ((_name, h) => h);
  // The handlers exist only once the stack has set the environment; until then nothing calls them.
  const later =
    <E>(name: FunctionName, pick: (h: LocalHandlers) => Invoke<E>): Invoke<E> =>
    async (event) => {
      if (!real) throw new Error(`${name} called before the stack was ready`);
      return pick(real)(event);
    };
  const stack = await startLocalStack({
    port: 0,
    sesPort: 0,
    ddbPort: 0,
    sqsPort: 0,
    sweepEverySeconds: 0,
    members: benchMembers(2_000),
    ...opts.stack,
    handlers: {
      api: later('api', (h) => h.api),
      reports: later('reports', (h) => h.reports),
      reactor: later('reactor', (h) => h.reactor),
      mailer: later('mailer', (h) => h.mailer),
      sweep: later('sweep', (h) => h.sweep),
      bounces: later('bounces', (h) => h.bounces),
    },
  });
  const configDir = mkdtempSync(join(tmpdir(), 'city-json-'));
  const stop = async () => {
    await stack.stop();
    rmSync(configDir, { recursive: true, force: true });
  };
  try {
    // The functions read the JSON form of the city config, as from city.json in AWS.
    const city = loadCityConfigFile(ALAR);
    const config = opts.maxSendRate ? { ...city, email: { ...city.email, maxSendRate: opts.maxSendRate } } : city;
    const state = appState(
      { ...stack.settings, cityConfigFile: writeCityConfigJson(config, configDir) },
      {
        clock: stack.clock,
        outbound: allOutbound,
        instrument: {
          dynamo: (client) => countDynamo(client, () => usage),
          sqs: (client) => countSqs(client, () => usage),
        },
      },
    );
    const counted = async <E>(name: FunctionName): Promise<Invoke<E>> => {
      const h = await loadHandler<E>(name, state);
      return wrap(name, async (event) => {
        const t0 = performance.now();
        usage.invocations[name] += 1;
        if (name === 'mailer') usage.mailerBatches += 1;
        try {
          return await h(event);
        } finally {
          usage.durationsMs[name].push(performance.now() - t0);
        }
      });
    };
    real = {
      api: await counted('api'),
      reports: await counted('reports'),
      reactor: await counted('reactor'),
      mailer: await counted('mailer'),
      sweep: await counted('sweep'),
      bounces: await counted('bounces'),
    };
    return {
      stack: { ...stack, stop },
      state,
      get usage() {
        return usage;
      },
      reset: () => void (usage = emptyUsage()),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

const ALAR = fileURLToPath(new URL('../../infra/cities/alar.yaml', import.meta.url));

/** Billed GB-seconds of the invocations counted (duration rounded up to 1 ms, memory from the wiring). */
export function gbSeconds(usage: Usage): number {
  const names = Object.keys(functions) as FunctionName[];
  return names.reduce(
    (sum, name) => sum + (usage.durationsMs[name].reduce((s, ms) => s + Math.ceil(ms), 0) / 1000) * (functions[name].memoryMb / 1024),
    0,
  );
}
