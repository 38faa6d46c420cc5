/** Creates the table and the queues declared in shared/wiring.ts on the emulators. Idempotent. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, QueueDoesNotExist, type SQSClient } from '@aws-sdk/client-sqs';
import { queues, table } from '#shared/wiring.ts';

export type QueueName = keyof typeof queues;
export interface QueueRef {
  url: string;
  arn: string;
}
export interface LocalResources {
  tableName: string;
  streamArn: string;
  queues: Record<QueueName, QueueRef>;
  /** The notices queue's dead-letter queue. */
  noticesDeadLetter: QueueRef;
}

const DAY_SECONDS = 24 * 60 * 60;

/**
 * CreateTable input for the table as shared/wiring.ts declares it (keys, indexes and their projections,
 * the stream), as the CDK stack builds it. `stream: false` leaves the stream out (benchmarks).
 */
export function createTableInput(tableName: string, opts: { stream?: boolean } = {}): CreateTableCommandInput {
  const indexes = Object.values(table.indexes);
  const names = [table.partitionKey, table.sortKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const keySchema = (hash: string, range: string) => [
    { AttributeName: hash, KeyType: 'HASH' as const },
    { AttributeName: range, KeyType: 'RANGE' as const },
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: names.map((n) => ({ AttributeName: n, AttributeType: 'S' })),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    GlobalSecondaryIndexes: indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: keySchema(i.partitionKey, i.sortKey),
      Projection: { ProjectionType: i.projection },
    })),
    ...(opts.stream === false ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }),
  };
}

async function ensureTable(ddb: DynamoDBClient, tableName: string): Promise<string> {
  try {
    await ddb.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err; // exists already (DATA_DIR)
  }
  await waitUntilTableExists({ client: ddb, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
  const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
  return Table.LatestStreamArn;
}

async function ensureQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<QueueRef> {
  let url: string | undefined;
  try {
    ({ QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: name })));
  } catch (err) {
    if (!(err instanceof QueueDoesNotExist)) throw err;
    ({ QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })));
  }
  if (!url) throw new Error(`queue ${name}: no URL`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  if (!Attributes?.QueueArn) throw new Error(`queue ${name}: no ARN`);
  return { url, arn: Attributes.QueueArn };
}

export async function createResources(ddb: DynamoDBClient, sqs: SQSClient, tableName: string): Promise<LocalResources> {
  const { notices, streamPoison, streamFailures } = queues;
  const retention = (days: number) => String(days * DAY_SECONDS);
  const [streamArn, dlq, poison, failures] = await Promise.all([
    ensureTable(ddb, tableName),
    ensureQueue(sqs, notices.deadLetter.name, { MessageRetentionPeriod: retention(notices.deadLetter.retentionDays) }),
    ensureQueue(sqs, streamPoison.name, { MessageRetentionPeriod: retention(streamPoison.retentionDays) }),
    ensureQueue(sqs, streamFailures.name, { MessageRetentionPeriod: retention(streamFailures.retentionDays) }),
  ]);
  const noticesQueue = await ensureQueue(sqs, notices.name, {
    VisibilityTimeout: String(notices.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: notices.deadLetter.maxReceiveCount }),
  });
  return {
    tableName,
    streamArn,
    queues: { notices: noticesQueue, streamPoison: poison, streamFailures: failures },
    noticesDeadLetter: dlq,
  };
}
