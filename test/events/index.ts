/**
 * Sample Lambda events, one JSON file per trigger, as AWS delivers them to our functions (with a
 * city's table, queue, topic and rule names):
 *
 * | file                       | trigger                                   | function |
 * |----------------------------|-------------------------------------------|----------|
 * | api-gateway-http.json      | API Gateway HTTP API (v2), JWT authorizer  | api, reports |
 * | dynamodb-stream-batch.json | DynamoDB stream (new image of an event item) | reactor |
 * | sqs-batch.json             | SQS (a notice message)                    | mailer   |
 * | sns-ses-bounce.json        | SNS (an SES permanent bounce)             | bounces  |
 * | schedule.json              | EventBridge schedule                      | sweep    |
 *
 * The handler tests feed them to the handlers, as they are or with a test's own content put into a
 * fresh copy (the builders below), and a Lambda context (`lambdaContext`).
 */
import { readFileSync } from 'node:fs';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  AttributeValue,
  Context,
  DynamoDBStreamEvent,
  ScheduledEvent,
  SNSEvent,
  SQSEvent,
} from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';

const read = (file: string): unknown => JSON.parse(readFileSync(new URL(`./${file}`, import.meta.url), 'utf8'));

/** A fresh copy of each sample, typed as the event it is a sample of (our own files: no validation). */
export const samples = {
  apiGatewayHttp: () => read('api-gateway-http.json') as APIGatewayProxyEventV2WithJWTAuthorizer,
  dynamodbStreamBatch: () => read('dynamodb-stream-batch.json') as DynamoDBStreamEvent,
  sqsBatch: () => read('sqs-batch.json') as SQSEvent,
  snsSesBounce: () => read('sns-ses-bounce.json') as SNSEvent,
  schedule: () => read('schedule.json') as ScheduledEvent,
};

const first = <T>(records: T[]): T => {
  const r = records[0];
  if (r === undefined) throw new Error('a sample batch holds one record');
  return r;
};

export interface HttpOptions {
  /** The JWT claims API Gateway verified (none: a public route, or a request without a token). */
  claims?: Record<string, string>;
  /** A JSON body (stringified), or `rawBody` as sent. */
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  requestId?: string;
}

/** The HTTP API sample with this method, path, caller, body, headers and query. */
export function httpEvent(method: string, rawPath: string, opts: HttpOptions = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const e = samples.apiGatewayHttp();
  const body = opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  const { queryStringParameters: _, body: _body, ...rest } = e;
  return {
    ...rest,
    rawPath,
    rawQueryString: new URLSearchParams(opts.query ?? {}).toString(),
    ...(opts.query ? { queryStringParameters: opts.query } : {}),
    headers: { ...e.headers, 'content-type': 'application/json', ...opts.headers },
    ...(body !== undefined ? { body } : {}),
    requestContext: {
      ...e.requestContext,
      ...(opts.requestId ? { requestId: opts.requestId } : {}),
      http: { ...e.requestContext.http, method, path: rawPath },
      authorizer: { ...e.requestContext.authorizer, jwt: { claims: opts.claims ?? {}, scopes: null } },
    },
  };
}

/**
 * A stream batch of these items (new images), sequence numbers from `firstSeq` on; an item with `PK`
 * and `SK` has them as the record's keys (the reactor handles each proposal's records in order).
 */
export function streamBatch(
  items: readonly Record<string, unknown>[],
  opts: { firstSeq?: number; eventName?: 'INSERT' | 'MODIFY' } = {},
): DynamoDBStreamEvent {
  const record = first(samples.dynamodbStreamBatch().Records);
  // The stream's images are AttributeValue-shaped; Lambda's and the SDK's types differ only nominally.
  const image = (o: Record<string, unknown>) => marshall(o, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
  return {
    Records: items.map((item, i) => {
      const { Keys: _, NewImage: _image, ...dynamodb } = record.dynamodb ?? {};
      const keys = typeof item.PK === 'string' && typeof item.SK === 'string' ? { Keys: image({ PK: item.PK, SK: item.SK }) } : {};
      return {
        ...record,
        eventName: opts.eventName ?? 'INSERT',
        dynamodb: { ...dynamodb, ...keys, NewImage: image(item), SequenceNumber: String((opts.firstSeq ?? 1) + i) },
      };
    }),
  };
}

/** An SQS batch of these message bodies, message ids m1, m2, ... */
export function sqsBatch(bodies: readonly string[]): SQSEvent {
  const record = first(samples.sqsBatch().Records);
  return { Records: bodies.map((body, i) => ({ ...record, messageId: `m${i + 1}`, receiptHandle: `r${i + 1}`, body })) };
}

/** An SNS batch of these messages (SES notifications, or anything), message ids m-0, m-1, ... */
export function snsBatch(messages: readonly string[]): SNSEvent {
  const record = first(samples.snsSesBounce().Records);
  return { Records: messages.map((Message, i) => ({ ...record, Sns: { ...record.Sns, MessageId: `m-${i}`, Message } })) };
}

/** A Lambda context as the runtime passes it (no real deadline). */
export function lambdaContext(functionName = 'test', awsRequestId = 'c6af9ac6-7b61-11e6-9a41-93e812345678'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws-cn:lambda:cn-northwest-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/03/02/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
