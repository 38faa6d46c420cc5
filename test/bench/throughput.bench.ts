/**
 * Pipeline throughput on the local stack: N proposals submitted through the HTTP API by 8 clients
 * at once, until every assignment email (交办通知) is captured by the SES emulator; proposals/s.
 * In the same run: raw DynamoDB Local PutItem/s (8 at once, items the size of a stored proposal, in
 * a table without stream or indexes), the item writes each proposal costs (counted on the app's
 * DynamoDB client), and the ratio pipeline / (raw / writes per proposal): how close the pipeline
 * comes to what the database alone allows. Both are measured after a warm-up of WARM_PROPOSALS
 * through the pipeline.
 *
 * The machine is noisy (the raw rate alone moves by a third from run to run), so the bench makes
 * ROUNDS runs, each on a fresh stack with its own ratio, and prints their medians and the range of
 * the ratio. Run: npx tsx test/bench/throughput.bench.ts [N] (env THROUGHPUT_ROUNDS, default 5).
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { keys } from '#adapters/keys.ts';
import { marshall } from '@aws-sdk/util-dynamodb';
import { startInstrumentedStack } from './instrumented-stack.ts';
import { LifecycleClient, pool, submit } from './lifecycle.ts';
import { median, type BenchRow } from './rows.ts';

const CONCURRENCY = 8;
const WARM_PROPOSALS = 300;
const ROUNDS = Number(process.env.THROUGHPUT_ROUNDS ?? 5);

/** Case numbers that have an assignment email. */
async function assignedNumbers(c: LifecycleClient): Promise<Set<string>> {
  const done = new Set<string>();
  for (const m of await c.emails()) {
    if (!m.subject.includes('交办通知')) continue;
    const n = /(\d{4}-\d+) /.exec(m.subject.split('：').slice(1).join('：'))?.[1];
    if (n) done.add(n);
  }
  return done;
}

async function rawPutsPerSecond(ddb: DynamoDBClient, item: Record<string, AttributeValue>, count: number): Promise<number> {
  const TableName = `raw-${randomUUID()}`;
  await ddb.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
    }),
  );
  const put = () => ddb.send(new PutItemCommand({ TableName, Item: { ...item, PK: { S: `P#${randomUUID()}` } } }));
  await pool(Array.from({ length: 100 }), CONCURRENCY, put); // warm-up
  const t0 = performance.now();
  await pool(Array.from({ length: count }), CONCURRENCY, put);
  return count / ((performance.now() - t0) / 1000);
}

interface Round {
  submit: number;
  retries: number;
  pipeline: number;
  raw: number;
  itemBytes: number;
  writesPerProposal: number;
  ratio: number;
}

/** One run on a fresh stack: warm-up, N proposals through the pipeline, then the raw puts. */
async function oneRound(n: number): Promise<Round> {
  // The city's SES send rate (10/s, an account quota) lifted: this measures our pipeline, not the quota.
  const s = await startInstrumentedStack({ maxSendRate: 10_000 });
  try {
    // Clients retry a 5xx: concurrent submits contend for the year's case-number counter (see report).
    const c = new LifecycleClient(s.stack.urls.api, { retry: true });
    // Warm-up, so that both measures run on a warmed JVM: DynamoDB Local's JIT needs thousands of
    // requests (a fresh one went from 230 to 1,090 PutItem/s over its first 8,000), and the raw
    // puts below run after the pipeline has warmed it. WARM_PROPOSALS make ~6,000 requests.
    await pool(Array.from({ length: WARM_PROPOSALS }), CONCURRENCY, (_, i) => submit(c, n + i)); // proposers m-n … (the timed run has m-0 …)
    await s.stack.drain(60_000);
    const before = (await assignedNumbers(c)).size;
    s.reset();
    c.retries = 0;
    const t0 = performance.now();
    const submitted = await pool(Array.from({ length: n }), CONCURRENCY, (_, i) => submit(c, i));
    const submitMs = performance.now() - t0;
    const want = new Set(submitted.map((p) => p.number));
    // Wait for the stream and the queue to go idle, then check the captured emails once: listing
    // thousands of emails every few hundred ms would itself eat the CPU the pipeline runs on.
    for (;;) {
      await s.stack.drain(15 * 60_000);
      const done = await assignedNumbers(c);
      if ([...want].every((x) => done.has(x))) break;
      if (performance.now() - t0 > 15 * 60_000) throw new Error(`only ${done.size - before} of ${n} assignment emails after 15 min`);
      await sleep(100);
    }
    const pipelineMs = performance.now() - t0;
    const usage = structuredClone(s.usage);
    const writesPerProposal = usage.dynamo.itemWrites / n;

    // One client of the bench's own reads the stored proposal and makes the raw puts of its size.
    const ddb = new DynamoDBClient({
      endpoint: s.stack.urls.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    let raw: number;
    let itemBytes: number;
    try {
      const stored = await ddb.send(
        new GetItemCommand({ TableName: s.stack.resources.tableName, Key: marshall(keys.proposal(submitted[0]!.id)) }),
      );
      if (!stored.Item) throw new Error('no stored proposal');
      itemBytes = Buffer.byteLength(JSON.stringify(stored.Item));
      raw = await rawPutsPerSecond(ddb, stored.Item, 3000);
    } finally {
      ddb.destroy();
    }

    const pipeline = n / (pipelineMs / 1000);
    if (process.env.THROUGHPUT_DEBUG)
      console.error(JSON.stringify({ calls: usage.dynamo.calls, sqs: usage.sqsCalls, invocations: usage.invocations }));
    return {
      submit: n / (submitMs / 1000),
      retries: c.retries,
      pipeline,
      raw,
      itemBytes,
      writesPerProposal,
      ratio: pipeline / (raw / writesPerProposal),
    };
  } finally {
    await s.stack.stop();
  }
}

export async function runThroughputBench(n = Number(process.env.THROUGHPUT_PROPOSALS ?? 1000), rounds = ROUNDS): Promise<BenchRow[]> {
  const all: Round[] = [];
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  for (let i = 0; i < rounds; i++) {
    const r = await oneRound(n);
    console.error(`  throughput run ${i + 1}/${rounds}: pipeline ${r1(r.pipeline)}/s, raw ${Math.round(r.raw)}/s, ratio ${r2(r.ratio)}`);
    all.push(r);
  }
  const m = (f: (r: Round) => number) => median(all.map(f));
  const ratios = all.map((r) => r.ratio);
  const of = `median of ${rounds} run${rounds === 1 ? '' : 's'}`;
  return [
    { name: `submit (${n} proposals, ${CONCURRENCY} clients), ${of}`, value: r1(m((r) => r.submit)), unit: 'proposals/s' },
    {
      name: 'submits answered 429/5xx and retried by the client (all runs)',
      value: all.reduce((sum, r) => sum + r.retries, 0),
      unit: 'requests',
      target: '<= 0',
    },
    { name: `submit -> every assignment email captured, ${of}`, value: r1(m((r) => r.pipeline)), unit: 'proposals/s' },
    {
      name: `raw PutItem (${CONCURRENCY} at once, ${all[0]?.itemBytes ?? 0}-byte items), ${of}`,
      value: Math.round(m((r) => r.raw)),
      unit: 'puts/s',
    },
    { name: 'item writes per proposal (submit -> assignment email)', value: r1(m((r) => r.writesPerProposal)), unit: 'writes' },
    {
      name: `pipeline / (raw / writes per proposal), ${of} (each: ${ratios.map(r2).join(', ')})`,
      value: r2(median(ratios)),
      unit: 'x',
      target: '>= 0.5',
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.table(await runThroughputBench(n));
}
