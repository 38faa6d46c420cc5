/**
 * Sweep benchmark on DynamoDB Local: the read capacity (ReturnConsumedCapacity) of one sweep with
 * 1,000 and with 100,000 proposals in the table, the same 50 timers due in both, and what a Scan of
 * the larger table would cost. Proposals carry a ~600-character body, like real ones, so the table's
 * size is realistic. Run: npx tsx test/bench/sweep.bench.ts
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoLocal } from '#infra/local/dynamodb.ts';
import { freePort } from '#infra/local/ports.ts';
import { createTableInput } from '#infra/local/resources.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { keys } from '#adapters/keys.ts';
import { timerItem } from '#adapters/timer-items.ts';
import { DynamoProposalStore } from '#adapters/dynamo-store.ts';
import { DynamoTimerStore } from '#adapters/dynamo-timer-store.ts';
import { sweepDueTimers } from '#app/sweep.ts';
import type { AppState } from '#app/state.ts';
import { proposalSchema, type Proposal } from '#domain/proposal.ts';
import { openObligations } from '#domain/obligations.ts';
import { fakeState } from '../fakes/index.ts';

const SMALL = 1_000;
const LARGE = Number(process.env.SWEEP_BENCH_LARGE ?? 100_000);
const DUE = 50;
const BATCH = 25;
const SCAN_PAGES = 5;
const PARALLEL = Number(process.env.SWEEP_BENCH_PARALLEL ?? 4);
const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const config = loadCityConfigFile(new URL('../../infra/cities/alar.yaml', import.meta.url).pathname);
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
const NOW = cst('2026-03-10 10:00'); // a Tuesday morning
const BODY = '建议加强夜市管理，完善周边停车场和公交线路，加强食品安全检查，带动就业。'.repeat(Number(process.env.SWEEP_BENCH_BODY ?? 17)); // ~600 chars

type Row = { name: string; value: number; unit: string; target?: string };

/** A proposal in progress whose only open obligation is the reply, due at the end of `replyDay`. */
function proposal(i: number, replyDay: string): Proposal {
  const at = cst('2026-03-02 09:00').toISOString();
  return proposalSchema.parse({
    id: randomUUID(),
    number: `2026-${String(i).padStart(6, '0')}`,
    year: 2026,
    seq: i,
    title: `关于第${i}项民生问题的建议`,
    body: BODY,
    key: false,
    proposers: [{ memberId: `m-${i}`, name: '王委员', email: 'wang@example.com' }],
    submittedBy: { role: 'member', sub: `m-${i}` },
    status: 'in_progress',
    lead: 'health',
    co: [],
    matches: [],
    deadlines: { reply: cst(`${replyDay} 23:59:59.999`).toISOString() },
    escalationLevel: 0,
    units: { health: { role: 'lead', assignedAt: at, acknowledgedAt: at } },
    contacts: [{ unit: 'health', mode: 'phone', at, note: '电话沟通', recordedAt: at }],
    version: 5,
    createdAt: at,
    updatedAt: at,
  });
}

async function fill(doc: DynamoDBDocumentClient, tableName: string, total: number, s: AppState): Promise<void> {
  // Two templates (a due reminder, a later one), validated and scheduled once; items differ in ids only.
  const createdAt = cst('2026-03-02 09:00');
  const template = (replyDay: string) => {
    const p = proposal(0, replyDay);
    const [o] = openObligations(p);
    if (!o) throw new Error('no open obligation');
    return { p, timer: s.schedule.newTimer(p.id, o, false, createdAt) };
  };
  const due = template('2026-03-12'); // its -3wd reminder was due on Mar 9
  const later = template('2026-06-30');
  const itemsOf = (i: number) => {
    const { p, timer } = i < DUE ? due : later;
    const id = randomUUID();
    const number = `2026-${String(i + 1).padStart(6, '0')}`;
    return [
      {
        ...keys.proposal(id),
        ...keys.proposalIndex(2026, i + 1),
        entity: 'proposal',
        ...p,
        id,
        number,
        seq: i + 1,
        title: `关于第${i + 1}项民生问题的建议`,
      },
      timerItem({ ...timer, proposalId: id }),
    ];
  };
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const from = next;
      next = Math.min(total, next + Math.floor(BATCH / 2)); // a proposal and its timer per pair
      const items: Record<string, unknown>[] = [];
      for (let i = from; i < next; i++) items.push(...itemsOf(i));
      if (from % 10_000 < Math.floor(BATCH / 2)) progress(`filled ${from} of ${total}`);
      let request = { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) };
      while (Object.keys(request).length) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: request }));
        request = Object.fromEntries(
          Object.entries(out.UnprocessedItems ?? {})
            .filter(([, v]) => v.length)
            .map(([k, v]) => [k, v.map((w) => ({ PutRequest: { Item: w.PutRequest?.Item ?? {} } }))]),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

/** Sums the read capacity of every GetItem and Query sent through `client` (asking for it on each). */
function countReads(client: DynamoDBClient): { total: () => number } {
  let total = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      const read = context.commandName === 'GetItemCommand' || context.commandName === 'QueryCommand';
      if (read) input.ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const cc = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
      if (read) total += cc?.CapacityUnits ?? 0;
      return out;
    },
    { step: 'initialize', name: 'countReads' },
  );
  return { total: () => total };
}

/**
 * The table as shared/wiring.ts declares it (keys, both GSIs), but without the stream: the stream costs
 * DynamoDB Local a record per write and plays no part in what a sweep or a Scan reads.
 */
async function benchTable(ddb: DynamoDBClient, tableName: string): Promise<string> {
  await ddb.send(new CreateTableCommand(createTableInput(tableName, { stream: false })));
  return tableName;
}

/**
 * A Scan's read capacity: measured page by page (1 MB each) over the first SCAN_PAGES pages, then
 * scaled to the whole table by item count (the items are alike). DynamoDB Local slows down a lot on
 * deep Scan pages, so scanning all of 200,000 items would dominate the bench without changing the result.
 */
async function scanCost(
  doc: DynamoDBDocumentClient,
  tableName: string,
  totalItems: number,
): Promise<{ units: number; measuredItems: number }> {
  let units = 0;
  let items = 0;
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < SCAN_PAGES; page++) {
    const out = await doc.send(
      new ScanCommand({ TableName: tableName, Select: 'COUNT', ReturnConsumedCapacity: 'TOTAL', ExclusiveStartKey: start }),
    );
    units += out.ConsumedCapacity?.CapacityUnits ?? 0;
    items += out.ScannedCount ?? 0;
    start = out.LastEvaluatedKey;
    if (!start) return { units, measuredItems: items };
  }
  return { units: (units * totalItems) / items, measuredItems: items };
}

export async function runSweepBench(): Promise<Row[]> {
  const ddb = await startDynamoLocal({ port: await freePort() });
  const raw = new DynamoDBClient({ endpoint: ddb.endpoint, region, credentials });
  try {
    const rows: Row[] = [];
    const measure = async (n: number) => {
      const tableName = await benchTable(raw, `bench-${n}`);
      const client = new DynamoDBClient({ endpoint: ddb.endpoint, region, credentials });
      const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
      const f = fakeState(config, NOW);
      const s: AppState = { ...f.state, proposals: new DynamoProposalStore(doc, tableName), timers: new DynamoTimerStore(doc, tableName) };
      const t0 = performance.now();
      await fill(doc, tableName, n, s);
      const fillSeconds = (performance.now() - t0) / 1000;
      progress(`sweep ${n}`);
      const reads = countReads(client);
      const t1 = performance.now();
      const result = await sweepDueTimers(s);
      const sweepMs = performance.now() - t1;
      if (result.fired !== DUE) throw new Error(`expected ${DUE} fired, got ${JSON.stringify(result)}`);
      rows.push(
        { name: `fill ${n.toLocaleString('en')} proposals + timers (BatchWrite)`, value: round(fillSeconds), unit: 's' },
        { name: `sweep, ${n.toLocaleString('en')} proposals, ${DUE} due: due-index Query`, value: round(result.consumedRead), unit: 'RCU' },
        {
          name: `sweep, ${n.toLocaleString('en')} proposals, ${DUE} due: all reads (Query + GetItem)`,
          value: round(reads.total()),
          unit: 'RCU',
        },
        { name: `sweep, ${n.toLocaleString('en')} proposals: time`, value: Math.round(sweepMs), unit: 'ms' },
      );
      return { reads: reads.total(), query: result.consumedRead, doc, tableName, client };
    };
    const small = await measure(SMALL);
    small.client.destroy();
    const large = await measure(LARGE);
    progress('scan');
    const scan = await scanCost(large.doc, large.tableName, LARGE * 2 + 1 + DUE); // proposals, timers, the bulletin timer, the fired events
    large.client.destroy();
    rows.push(
      { name: 'ratio 100k / 1k (all sweep reads)', value: round(large.reads / small.reads), unit: 'x', target: '<= 1.2' },
      { name: 'ratio 100k / 1k (due-index Query)', value: round(large.query / small.query), unit: 'x', target: '<= 1.2' },
      {
        name: `Scan of the ${LARGE.toLocaleString('en')}-proposal table (${scan.measuredItems.toLocaleString('en')} items measured, scaled)`,
        value: round(scan.units),
        unit: 'RCU',
      },
      { name: 'Scan / sweep (100k)', value: round(scan.units / large.reads), unit: 'x', target: '>= 100' },
    );
    return rows;
  } finally {
    raw.destroy();
    await ddb.stop();
  }
}

const progress = (what: string) => {
  if (process.env.SWEEP_BENCH_PROGRESS) console.error(`${new Date().toISOString()} ${what}`);
};
const round = (x: number) => Math.round(x * 100) / 100;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await runSweepBench());
}
