/**
 * `npm run redrive`: moves the notices dead-letter queue's messages back to the notices queue
 * (docs/notices.md, "Redrive"), and feeds the stream-poison queue's records to the reactor again
 * (docs/operations.md, "Poison stream records"); prints how many of each.
 *   local stack:  npm run redrive                       (both; SQS on 127.0.0.1:$SQS_PORT, default 9324,
 *                                                        DynamoDB Local on $DDB_PORT, default 8000;
 *                                                        queue names from shared/wiring.ts)
 *   AWS:          npm run redrive -- --queue-url <notices queue URL> --dlq-url <DLQ URL> [--region r]
 *                 npm run redrive -- --poison-url <stream-poison queue URL> [--table <table>] [--region r]
 *                 (either or both)
 *   both:         --max <n> takes at most n messages from each queue
 */
import { parseArgs } from 'node:util';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { queues } from '#shared/wiring.ts';
import { redrive, redrivePoison } from '#adapters/sqs-redrive.ts';

const { values } = parseArgs({
  options: {
    'queue-url': { type: 'string' },
    'dlq-url': { type: 'string' },
    'poison-url': { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
    max: { type: 'string' },
  },
});

/** The queues to work on and the clients to reach them (and the table). */
async function targets(): Promise<{
  sqs: SQSClient;
  dynamo: DynamoDBClient;
  notices?: { from: string; to: string };
  poison?: string;
}> {
  const aws = values['queue-url'] !== undefined || values['dlq-url'] !== undefined || values['poison-url'] !== undefined;
  if (aws) {
    if ((values['queue-url'] === undefined) !== (values['dlq-url'] === undefined))
      throw new Error('--queue-url 与 --dlq-url 需同时提供 (give both --queue-url and --dlq-url)');
    // https://sqs.<region>.amazonaws.com/<account>/<name>
    const anyUrl = values['queue-url'] ?? values['poison-url'] ?? '';
    const region = values.region ?? process.env.AWS_REGION ?? /^https:\/\/sqs\.([a-z0-9-]+)\./.exec(anyUrl)?.[1];
    return {
      sqs: new SQSClient({ region }),
      dynamo: new DynamoDBClient({ region }),
      ...(values['queue-url'] && values['dlq-url'] ? { notices: { from: values['dlq-url'], to: values['queue-url'] } } : {}),
      ...(values['poison-url'] ? { poison: values['poison-url'] } : {}),
    };
  }
  const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const sqs = new SQSClient({ ...local, endpoint: `http://127.0.0.1:${process.env.SQS_PORT ?? '9324'}`, useQueueUrlAsEndpoint: false });
  const dynamo = new DynamoDBClient({ ...local, endpoint: `http://127.0.0.1:${process.env.DDB_PORT ?? '8000'}` });
  const url = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';
  return {
    sqs,
    dynamo,
    notices: { from: await url(queues.notices.deadLetter.name), to: await url(queues.notices.name) },
    poison: await url(queues.streamPoison.name),
  };
}

async function main(): Promise<void> {
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) throw new Error('--max 应为正整数 (--max must be a positive integer)');
  const { sqs, dynamo, notices, poison } = await targets();
  try {
    if (notices) {
      const { moved, failed } = await redrive(sqs, { ...notices, max });
      console.log(`已将 ${moved} 条消息从死信队列移回通知队列 (moved ${moved} messages from ${notices.from} to ${notices.to})`);
      if (failed) {
        console.error(`${failed} 条消息移动失败，仍在死信队列中 (${failed} messages could not be sent and stay in the DLQ)`);
        process.exitCode = 1;
      }
    }
    if (poison) {
      const { redriven, left } = await redrivePoison(sqs, dynamo, { from: poison, table: values.table, max });
      console.log(`已将 ${redriven} 条搁置的事件重新交给 reactor 处理 (redrove ${redriven} poison stream records from ${poison})`);
      if (left) {
        console.error(
          `${left} 条消息无法重新处理（不是事件记录，或表中已无此项），仍在队列中 (${left} messages are not poison records or their items are gone; they stay)`,
        );
        process.exitCode = 1;
      }
    }
  } finally {
    sqs.destroy();
    dynamo.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`重新投递失败 (redrive failed): ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
