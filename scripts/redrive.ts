/**
 * `npm run redrive`: moves the notices dead-letter queue's messages back to the notices queue and
 * prints how many (docs/notices.md, "Redrive").
 *   local stack:  npm run redrive                       (SQS on 127.0.0.1:$SQS_PORT, default 9324;
 *                                                        queue names from shared/wiring.ts)
 *   AWS:          npm run redrive -- --queue-url <notices queue URL> --dlq-url <DLQ URL> [--region r]
 *   both:         --max <n> moves at most n messages
 */
import { parseArgs } from 'node:util';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { queues } from '#shared/wiring.ts';
import { redrive } from '#adapters/sqs-redrive.ts';

const { values } = parseArgs({
  options: { 'queue-url': { type: 'string' }, 'dlq-url': { type: 'string' }, region: { type: 'string' }, max: { type: 'string' } },
});

async function main(): Promise<void> {
  const aws = values['queue-url'] !== undefined || values['dlq-url'] !== undefined;
  if (aws && !(values['queue-url'] && values['dlq-url']))
    throw new Error('--queue-url 与 --dlq-url 需同时提供 (give both --queue-url and --dlq-url)');
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) throw new Error('--max 应为正整数 (--max must be a positive integer)');

  let sqs: SQSClient;
  let from: string;
  let to: string;
  if (aws) {
    // https://sqs.<region>.amazonaws.com/<account>/<name>
    const region = values.region ?? process.env.AWS_REGION ?? /^https:\/\/sqs\.([a-z0-9-]+)\./.exec(values['queue-url'] ?? '')?.[1];
    sqs = new SQSClient({ region });
    [from, to] = [values['dlq-url'] ?? '', values['queue-url'] ?? ''];
  } else {
    const endpoint = `http://127.0.0.1:${process.env.SQS_PORT ?? '9324'}`;
    sqs = new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      useQueueUrlAsEndpoint: false,
    });
    const url = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';
    [from, to] = [await url(queues.notices.deadLetter.name), await url(queues.notices.name)];
  }
  try {
    const { moved, failed } = await redrive(sqs, { from, to, max });
    console.log(`已将 ${moved} 条消息从死信队列移回通知队列 (moved ${moved} messages from ${from} to ${to})`);
    if (failed) {
      console.error(`${failed} 条消息移动失败，仍在死信队列中 (${failed} messages could not be sent and stay in the DLQ)`);
      process.exitCode = 1;
    }
  } finally {
    sqs.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`重新投递失败 (redrive failed): ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
