/**
 * The local runtime: real emulators (DynamoDB Local, fauxqs, aws-ses-v2-local), the table and
 * queues from shared/wiring.ts, and the very same Lambda handlers driven by local event sources,
 * one per trigger of the wiring (as infra/constructs/city-stack.ts builds them in AWS). The
 * functions' settings are passed to their state (shared/adapters/aws-state.ts), not put in
 * process.env.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCityConfigJson } from '#adapters/city-config-json.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ScheduledEvent } from 'aws-lambda';
import { env, functions, functionsTriggeredBy, httpFunctionFor } from '#shared/wiring.ts';
import { SettableClock } from '#shared/clock.ts';
import type { AwsSettings } from '#adapters/aws-state.ts';
import { feedbackKeys } from '#app/feedback-token.ts';
import { startDynamoLocal } from './dynamodb.ts';
import { startSqsLocal } from './sqs.ts';
import { startSesLocal, type SesFaults, type SesLocal } from './ses.ts';
import { createResources, type LocalResources } from './resources.ts';
import { startStreamPoller } from './stream-poller.ts';
import { sqsFailureDestination } from './stream-failure.ts';
import { startSqsPoller } from './sqs-poller.ts';
import { startHttpServer } from './http.ts';
import { defaultConsoleDir } from './console.ts';
import { assertPortFree, portOrFree } from './ports.ts';
import { loadHandlers, type LocalHandlers } from './function-modules.ts';
import { drainUntilIdle } from './drain.ts';
import { permanentBounceEvent } from './ses-notification.ts';
import { componentsDown, type Probe } from './health.ts';
import { startSchedule, type LocalSchedule } from './schedule.ts';
import { memberFileOf, readMemberFile, seedMembers } from './member-seed.ts';
import type { Member } from '#domain/member.ts';

export type { LocalHandlers } from './function-modules.ts';

export interface LocalStackOptions {
  /** Ports; 0 picks a free one. Defaults: env PORT=3000, SES_PORT=8005, DDB_PORT=8000, SQS_PORT=9324. */
  port?: number;
  sesPort?: number;
  ddbPort?: number;
  sqsPort?: number;
  /** The built console (default web/dist). */
  consoleDir?: string;
  /** City config file (env CITY_CONFIG, default infra/cities/alar.yaml). */
  cityConfig?: string;
  /** Persist DynamoDB Local here (env DATA_DIR); in memory when absent. */
  dataDir?: string;
  /** Run the scheduled functions (the sweep) this often; 0 = only on POST /_local/sweep. Default from the wiring. */
  sweepEverySeconds?: number;
  /** Handlers to use instead of the function modules (tests); the city config is then not loaded. */
  handlers?: LocalHandlers;
  /** Seconds a failed notice stays hidden before it is retried (locally short). */
  queueVisibilitySeconds?: number;
  tableName?: string;
  /**
   * Members to put in the 委员名册 at start, beside those of the city's directory file
   * (`<city id>-members.csv` next to its config, as infra/cities/alar-members.csv).
   */
  members?: readonly Member[];
}

export interface LocalStack {
  urls: { api: string; ses: string; dynamodb: string; sqs: string };
  clock: SettableClock;
  resources: LocalResources;
  /** The settings the functions' state is built from (the environment of the functions in AWS). */
  settings: AwsSettings;
  /** The HS256 secret the local API checks tokens with. */
  secret: string;
  /** Test hooks of the SES emulator (stop it, make it fail, reject an address). */
  sesFaults: SesFaults;
  /** Resolves once the stream and the notices queue are idle (nothing pending or in flight). */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const envPort = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

/** Validates the city config file (throws CityConfigError with a readable message). */
const cityFileOf = (path: string | undefined) => (path ? resolve(path) : fileURLToPath(new URL('../cities/alar.yaml', import.meta.url)));

async function loadCity(path: string | undefined): Promise<CityConfig> {
  const yamlFile = cityFileOf(path);
  const { loadCityConfigFile } = await import('#adapters/city-config-loader.ts');
  return loadCityConfigFile(yamlFile);
}

/**
 * Writes the config's JSON form, the file the functions read (as city.json in AWS), with the links
 * in emails pointing at this local API; returns the file and its folder.
 */
function writeLocalCityJson(config: CityConfig, apiUrl: string): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'proposals-local-'));
  return { file: writeCityConfigJson({ ...config, email: { ...config.email, linkBase: apiUrl } }, dir), dir };
}

/** The functions' own handlers, all on one state with every port. */
async function realHandlers(settings: AwsSettings, clock: SettableClock): Promise<LocalHandlers> {
  const { appState } = await import('#adapters/aws-state.ts');
  const { allOutbound } = await import('#adapters/aws-outbound.ts');
  return loadHandlers(appState(settings, { clock, outbound: allOutbound }));
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  // The SDK warns on Node < 22 that its releases after January 2027 will need 22: ours is pinned
  // (package-lock.json) and Lambda runs Node 22, so the local terminal need not repeat it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const cityConfig = opts.handlers ? undefined : await loadCity(opts.cityConfig ?? process.env.CITY_CONFIG);
  const clock = new SettableClock(undefined, cityConfig?.timeZone);
  const secret = process.env.LOCAL_JWT_SECRET ?? 'proposals-local-dev-secret';
  const stoppers: (() => Promise<void>)[] = []; // in stop order
  let handlers: LocalHandlers | undefined; // set once ready
  let schedules: LocalSchedule[] = [];
  let ses: SesLocal | undefined;
  let probes: Record<string, Probe> = {};
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of stoppers.splice(0)) await s().catch((err: unknown) => console.error('stop failed', err));
    })());

  try {
    const [port, sesPort, sqsPort, ddbPort] = await Promise.all([
      portOrFree(opts.port ?? envPort('PORT', 3000)),
      portOrFree(opts.sesPort ?? envPort('SES_PORT', 8005)),
      portOrFree(opts.sqsPort ?? envPort('SQS_PORT', 9324)),
      portOrFree(opts.ddbPort ?? envPort('DDB_PORT', 8000)),
    ]);
    await assertPortFree(port, 'API', 'PORT');
    await assertPortFree(sesPort, 'SES', 'SES_PORT');
    await assertPortFree(sqsPort, 'SQS', 'SQS_PORT');
    const city = cityConfig ? writeLocalCityJson(cityConfig, `http://127.0.0.1:${port}`) : undefined;
    if (city) stoppers.push(async () => rmSync(city.dir, { recursive: true, force: true }));
    const http = await startHttpServer({
      port,
      secret,
      // The http trigger: as API Gateway routes (shared/wiring.ts), e.g. the reports to their function, the rest to the api.
      api: (method, path) => handlers?.[httpFunctionFor(method, path)],
      controls: {
        secret,
        clock,
        ready: () => handlers !== undefined,
        down: () => componentsDown(probes),
        emails: () => ses?.emails() ?? Promise.resolve([]),
        // Every scheduled function now; with one (the sweep), its result.
        sweep: async () => {
          const results = await Promise.all(schedules.map((s) => s.runNow()));
          return results.length === 1 ? results[0] : results;
        },
        sesUrl: () => ses?.url ?? '',
        console: {
          dir: opts.consoleDir ?? defaultConsoleDir,
          city: { id: cityConfig?.id ?? 'local', name: cityConfig?.name ?? '本地', timeZone: clock.timeZone },
          units: cityConfig?.units.map((u) => ({ id: u.id, name: u.name })) ?? [],
          leaders: cityConfig?.email.leaders.map((l) => l.name) ?? [],
        },
        // The sesNotifications trigger: what SNS would deliver for a permanent bounce.
        bounce: async (email) => {
          const ready = handlers;
          if (!ready) throw new Error('local stack is not ready');
          for (const name of functionsTriggeredBy('sesNotifications')) await ready[name](permanentBounceEvent(email, clock.now()));
        },
      },
    });
    stoppers.push(() => http.stop());

    const dataDir = opts.dataDir ?? (process.env.DATA_DIR || undefined);
    const ddbStart = startDynamoLocal({ port: ddbPort, dataDir });
    const sqsStart = startSqsLocal({ port: sqsPort, region: REGION });
    const sesStart = startSesLocal({ port: sesPort });
    const started = await Promise.allSettled([sesStart, sqsStart, ddbStart]);
    for (const s of started) if (s.status === 'fulfilled') stoppers.push(() => s.value.stop());
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const [ddb, sqs] = [await ddbStart, await sqsStart];
    ses = await sesStart;

    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const ddbClient = new DynamoDBClient({ endpoint: ddb.endpoint, region: REGION, credentials });
    const streamsClient = new DynamoDBStreamsClient({ endpoint: ddb.endpoint, region: REGION, credentials });
    const sqsClient = new SQSClient({ endpoint: sqs.endpoint, region: REGION, credentials, useQueueUrlAsEndpoint: false });
    stoppers.push(async () => [ddbClient, streamsClient, sqsClient].forEach((c) => c.destroy()));
    const resources = await createResources(ddbClient, sqsClient, opts.tableName ?? 'proposals');
    const memberFile = cityConfig ? memberFileOf(cityFileOf(opts.cityConfig ?? process.env.CITY_CONFIG), cityConfig.id) : undefined;
    const members = [...(memberFile ? readMemberFile(memberFile) : []), ...(opts.members ?? [])];
    if (members.length) await seedMembers(ddbClient, resources.tableName, members, clock.now().toISOString());
    const sesUrl = ses.url;
    probes = {
      'DynamoDB Local': (abortSignal) => ddbClient.send(new ListTablesCommand({ Limit: 1 }), { abortSignal }),
      SQS: (abortSignal) =>
        sqsClient.send(new GetQueueAttributesCommand({ QueueUrl: resources.queues.notices.url, AttributeNames: ['QueueArn'] }), {
          abortSignal,
        }),
      SES: async (signal) => {
        if (!(await fetch(`${sesUrl}/health-check`, { signal })).ok) throw new Error('SES emulator unhealthy');
      },
    };

    const settings: AwsSettings = {
      tableName: resources.tableName,
      cityConfigFile: city?.file ?? '',
      // In AWS the Lambda entry reads the keys from Secrets Manager (shared/adapters/secrets.ts); here they are given.
      feedbackSecret: feedbackKeys('local-feedback-secret'),
      noticesQueueUrl: resources.queues.notices.url,
      streamPoisonQueueUrl: resources.queues.streamPoison.url,
      sesRegion: REGION,
      // No CloudWatch here to read the metric lines (EMF); the counts still run through the code.
      metricsDisabled: (process.env[env.metricsDisabled] ?? 'true') === 'true',
      endpoints: { dynamodb: ddb.endpoint, sqs: sqs.endpoint, ses: ses.url },
      region: REGION,
      credentials,
    };
    const active = opts.handlers ?? (await realHandlers(settings, clock));

    // The event sources, from the wiring's triggers (http: the server above; sesNotifications: POST /_local/bounce).
    const streams = functionsTriggeredBy('dynamodbStream').map((name) => {
      const trigger = functions[name].trigger;
      return startStreamPoller({
        client: streamsClient,
        streamArn: resources.streamArn,
        region: REGION,
        // Lambda keeps a checkpoint across restarts; we do not, so a persisted table starts at LATEST
        // instead of replaying the previous run's events.
        trigger: dataDir ? { ...trigger, startingPosition: 'LATEST' } : trigger,
        handler: (e) => active[name](e),
        onFailure: sqsFailureDestination(sqsClient, resources.queues[trigger.onFailure].url, resources.streamArn, name),
      });
    });
    const queues = functionsTriggeredBy('sqs').map((name) => {
      const trigger = functions[name].trigger;
      return startSqsPoller({
        client: sqsClient,
        queueUrl: resources.queues[trigger.queue].url,
        queueArn: resources.queues[trigger.queue].arn,
        region: REGION,
        batchSize: trigger.batchSize,
        visibilityTimeoutSeconds: opts.queueVisibilitySeconds ?? 2,
        handler: (e) => active[name](e),
      });
    });
    schedules = functionsTriggeredBy('schedule').map((name) =>
      // Runs only once the stack is ready (as the HTTP routes).
      startSchedule(
        name,
        async () => handlers?.[name](scheduledEvent(clock, name)),
        opts.sweepEverySeconds ?? functions[name].trigger.localEverySeconds,
      ),
    );
    // Stop order: the schedules and pollers first, then the servers, then java.
    stoppers.unshift(...schedules.map((s) => () => s.stop()), ...queues.map((q) => () => q.stop()), ...streams.map((p) => () => p.stop()));
    await Promise.all(streams.map((p) => p.started));
    handlers = active;
    return {
      urls: { api: http.url, ses: ses.url, dynamodb: ddb.endpoint, sqs: sqs.endpoint },
      clock,
      resources,
      settings,
      secret,
      sesFaults: ses.faults,
      drain: (timeoutMs = 30_000) => drainUntilIdle(streams, queues, timeoutMs),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function scheduledEvent(clock: SettableClock, name: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: clock.now().toISOString(),
    region: REGION,
    resources: [`arn:aws:events:local:000000000000:rule/${name}`],
    detail: {},
  };
}
