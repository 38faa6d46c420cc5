/**
 * The wiring (one declaration, two runtimes): the table, the queues and the functions with their
 * triggers and settings. The CDK stack (infra/constructs/city-stack.ts) and the local runtime
 * (infra/local/) both read this file, so local and cloud cannot drift.
 */
import { DUE_SHARDS, EVENT_PREFIX, NOTICE_SK, TTL_ATTRIBUTE } from '#adapters/keys.ts';

/** Environment variable names the functions read in AWS (set by CDK; read by shared/adapters/lambda-entry.ts). */
export const env = {
  tableName: 'TABLE_NAME',
  noticesQueueUrl: 'NOTICES_QUEUE_URL',
  streamPoisonQueueUrl: 'STREAM_POISON_QUEUE_URL',
  cityConfigFile: 'CITY_CONFIG_FILE',
  /** The secret holding the feedback keys (its ARN, not its value): only the functions with access.feedbackKey. */
  feedbackSecretArn: 'FEEDBACK_SECRET_ARN',
  sesRegion: 'SES_REGION',
  /** Only where SES is in another AWS partition (a cn-* stack): the secret with a global account's SES-only user keys. */
  sesCredentialsSecretArn: 'SES_CREDENTIALS_SECRET_ARN',
  /** Local only: endpoint overrides for the emulators. Never set in AWS. */
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
  sqsEndpoint: 'SQS_ENDPOINT',
  sesEndpoint: 'SES_ENDPOINT',
  secretsManagerEndpoint: 'SECRETS_MANAGER_ENDPOINT',
  /** Local only: `true` keeps the metric lines (EMF) out of the logs where no CloudWatch reads them. */
  metricsDisabled: 'METRICS_DISABLED',
} as const;

export const table = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /**
   * The reactor reads only the new image of event items, so the stream carries no old images (a
   * proposal's save would put both of its ~2.5 KB images in every record). Changing the view type of
   * a deployed table replaces its stream: see docs/operations.md.
   */
  stream: 'NEW_IMAGE',
  /** Items that carry it (idempotency records, 24 h) are deleted by DynamoDB after that epoch second. */
  timeToLiveAttribute: TTL_ATTRIBUTE,
  /** Global secondary indexes; both are sparse (only items that carry the attributes appear). */
  indexes: {
    /**
     * Proposals by year, for lists and statistics: GSI1PK = YEAR#2026, GSI1SK = the year's sequence
     * (9 digits). Keys only: a proposal (~2.5 KB) is saved a dozen times in its life, and with all
     * attributes projected each save also rewrote its copy in the index (3 more write units); the
     * readers take the keys and read the proposals themselves (BatchGetItem).
     */
    byYear: { name: 'byYear', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'KEYS_ONLY' },
    /** Due timers, sharded: DUE_PK = DUE#<shard>, DUE_SK = <fire time ISO>#<timer id>. Timers are small: all attributes. */
    due: { name: 'due', partitionKey: 'DUE_PK', sortKey: 'DUE_SK', shards: DUE_SHARDS, projection: 'ALL' },
  },
} as const;

export const queues = {
  notices: {
    name: 'notices',
    /** At least 6x the mailer's timeout (AWS guidance for SQS event sources). */
    visibilityTimeoutSeconds: 6 * 30,
    deadLetter: { name: 'notices-dlq', maxReceiveCount: 5, retentionDays: 14 },
  },
  /**
   * Stream records the reactor could not handle (after its own tries, or at once when the item does
   * not parse), each whole: its key, proposal id, event type and seq, the item (events/stream-poison.ts).
   * `npm run redrive` feeds them to the reactor again (docs/operations.md, "Poison stream records").
   */
  streamPoison: { name: 'stream-poison', retentionDays: 14 },
  /**
   * Batches the stream source gave up on (its on-failure destination: shard and sequence range only).
   * Only when the reactor could not even set a record aside on `streamPoison` (SQS failing).
   */
  streamFailures: { name: 'stream-failures', retentionDays: 14 },
} as const;

/**
 * Set (true) on an item by `npm run redrive` to feed a poison record to the reactor again: with a
 * count (`redrives`) that makes each redrive a change, so the stream delivers the item once more.
 */
export const redrivenAttribute = 'redriven';

/**
 * Lambda event filters (a record passes if any matches), from the keys (shared/adapters/keys.ts):
 * newly inserted event items (EVENT#...), notice ledger items (NOTICE) the mailer wrote with a
 * delivery report (events/notices.ts), and event items redriven from the stream-poison queue
 * (a redriven ledger item passes the second filter again by its report).
 */
export const reactorFilterPatterns = [
  { eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [{ prefix: EVENT_PREFIX }] } } } },
  {
    eventName: ['INSERT', 'MODIFY'],
    dynamodb: { Keys: { SK: { S: [NOTICE_SK] } }, NewImage: { report: { S: ['failed', 'suppressed'] } } },
  },
  {
    eventName: ['MODIFY'],
    dynamodb: { Keys: { SK: { S: [{ prefix: EVENT_PREFIX }] } }, NewImage: { [redrivenAttribute]: { BOOL: [true] } } },
  },
] as const;

/**
 * HTTP routes that API Gateway serves without the JWT authorizer (the feedback token is checked by the api):
 * the API document, the rating page, 办理结果公开 and the 答复函 by link. Exact paths (the local runtime matches them so).
 */
export const publicRoutes = [
  'GET /v1/openapi.json',
  'GET /v1/feedback',
  'POST /v1/feedback',
  'GET /v1/public/replies',
  'GET /v1/public/replies/page',
  'GET /v1/letter',
] as const;

export type Trigger =
  /** The HTTP API: `routes` ("GET /v1/...") go to this function, every other path to the one without. */
  | { type: 'http'; routes?: readonly string[] }
  | {
      type: 'dynamodbStream';
      batchSize: number;
      maxBatchingWindowSeconds: number;
      retryAttempts: number;
      bisectBatchOnError: boolean;
      reportBatchItemFailures: true;
      startingPosition: 'TRIM_HORIZON' | 'LATEST';
      filterPatterns: typeof reactorFilterPatterns;
      onFailure: keyof typeof queues;
    }
  | { type: 'sqs'; queue: keyof typeof queues; batchSize: number; maxBatchingWindowSeconds: number; reportBatchItemFailures: true }
  | { type: 'schedule'; everyMinutes: number; localEverySeconds: number }
  /** SES bounce/complaint notifications: the SNS topic of the city's configuration set (locally POST /_local/bounce). */
  | { type: 'sesNotifications' };

/** What a function may touch (least privilege: the CDK stack grants exactly this). */
export interface Access {
  table: 'readWrite' | 'read';
  sendsTo: readonly (keyof typeof queues)[];
  sendsMail: boolean;
  /** Signs or checks the feedback links: may read the feedback secret (shared/adapters/secrets.ts). */
  feedbackKey?: true;
}

export interface FunctionDecl {
  /** Source file exporting `handler` (for AWS) and `createHandler(state)` (for the local runtime). */
  entry: string;
  access: Access;
  memoryMb: number;
  timeoutSeconds: number;
  trigger: Trigger;
  /** Files it reads at run time, copied beside its bundle (index.mjs); it finds them beside its own module. */
  files?: readonly string[];
}

export const functions = {
  api: {
    entry: 'functions/api/handler.ts',
    access: { table: 'readWrite', sendsTo: [], sendsMail: false, feedbackKey: true },
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: { type: 'http' },
    // GET /v1/openapi.json serves this file (generated); read on demand, so it is not in the code a cold start loads.
    files: ['functions/api/openapi.json'],
  },
  reports: {
    entry: 'functions/reports/handler.ts',
    // Reads only. A report reads a whole year (every proposal, and the events of each for the
    // annual report): more memory (so CPU) and time than a request of the api, and none of its code there.
    // The feedback key: the 答复函 link in a reply email carries the proposer's signed token (GET /v1/letter).
    access: { table: 'read', sendsTo: [], sendsMail: false, feedbackKey: true },
    memoryMb: 1024,
    timeoutSeconds: 29,
    trigger: {
      type: 'http',
      routes: [
        'GET /v1/reports/summary',
        'GET /v1/reports/annual',
        'GET /v1/reports/bulletin',
        // The read-only pages: the 答复函 (signed in, or by the link in the reply email) and the published results.
        'GET /v1/proposals/{id}/replies/{n}/letter',
        'GET /v1/letter',
        'GET /v1/public/replies',
        'GET /v1/public/replies/page',
      ],
    },
  },
  reactor: {
    entry: 'functions/reactor/handler.ts',
    // A record it cannot handle goes whole to stream-poison; the stream goes on.
    access: { table: 'readWrite', sendsTo: ['notices', 'streamPoison'], sendsMail: false, feedbackKey: true },
    memoryMb: 512,
    timeoutSeconds: 30,
    trigger: {
      type: 'dynamodbStream',
      // Up to 50 events a batch: a batch's proposals are handled in parallel (one after another
      // within a proposal), and a shard has one batch in flight, so with 10 the reactor was the
      // pipeline's bottleneck (~40 proposals/s locally behind ~65/s of submits; README, Numbers).
      batchSize: 50,
      maxBatchingWindowSeconds: 0,
      retryAttempts: 5,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      startingPosition: 'TRIM_HORIZON',
      filterPatterns: reactorFilterPatterns,
      onFailure: 'streamFailures',
    },
  },
  mailer: {
    entry: 'functions/mailer/handler.ts',
    // Mail only: a notice that failed for good is reported on its ledger item; the reactor tells the office.
    access: { table: 'readWrite', sendsTo: [], sendsMail: true },
    memoryMb: 256,
    timeoutSeconds: 30,
    trigger: { type: 'sqs', queue: 'notices', batchSize: 10, maxBatchingWindowSeconds: 0, reportBatchItemFailures: true },
  },
  sweep: {
    entry: 'functions/sweep/handler.ts',
    access: { table: 'readWrite', sendsTo: ['notices'], sendsMail: false },
    memoryMb: 256,
    timeoutSeconds: 60,
    trigger: { type: 'schedule', everyMinutes: 5, localEverySeconds: 3 },
  },
  bounces: {
    entry: 'functions/bounces/handler.ts',
    // A bounced notice is reported to the office (a deliveryFailed notice).
    access: { table: 'readWrite', sendsTo: ['notices'], sendsMail: false },
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: { type: 'sesNotifications' },
  },
} as const satisfies Record<string, FunctionDecl>;

export type FunctionName = keyof typeof functions;

/** The functions the wiring triggers by `T` (e.g. FunctionOf<'sqs'> is 'mailer'). */
export type FunctionOf<T extends Trigger['type']> = {
  [F in FunctionName]: (typeof functions)[F]['trigger']['type'] extends T ? F : never;
}[FunctionName];

/** The functions triggered by `type`, in the wiring's order. */
export function functionsTriggeredBy<T extends Trigger['type']>(type: T): FunctionOf<T>[] {
  return (Object.keys(functions) as FunctionName[]).filter((fn): fn is FunctionOf<T> => functions[fn].trigger.type === type);
}

/**
 * How the HTTP API routes (CDK and the local runtime alike): each route an http function names goes
 * to it, every other path to the http function that names none.
 */
export function httpRouting(): { byDefault: FunctionOf<'http'>; routes: { route: string; fn: FunctionOf<'http'> }[] } {
  const http = functionsTriggeredBy('http').map((fn) => {
    const t: Extract<Trigger, { type: 'http' }> = functions[fn].trigger;
    return { fn, routes: t.routes ?? [] };
  });
  const byDefault = http.find((h) => h.routes.length === 0)?.fn;
  if (!byDefault) throw new Error('wiring: no http function without routes');
  return { byDefault, routes: http.flatMap((h) => h.routes.map((route) => ({ route, fn: h.fn }))) };
}

/** The function that serves an HTTP request. */
export function httpFunctionFor(method: string, path: string): FunctionOf<'http'> {
  const { byDefault, routes } = httpRouting();
  return routes.find((r) => routeMatches(r.route, method, path))?.fn ?? byDefault;
}

/** Whether "GET /v1/proposals/{id}/letter" (a route key, `{param}` one path segment) is this request. */
export function routeMatches(route: string, method: string, path: string): boolean {
  const [m, template = ''] = route.split(' ');
  if (m !== method) return false;
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}
