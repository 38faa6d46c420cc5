/**
 * Case numbers (案号) on DynamoDB Local: gapless and unique when creates of one container are
 * written together and containers race each other (each with its own remembered counter). And the
 * byYear index that lists a year's proposals in case-number order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { DynamoProposalStore } from '#adapters/dynamo-store.ts';
import { CaseNumberBatches } from '#adapters/case-number-batches.ts';
import { DynamoProposalIndex } from '#adapters/dynamo-proposal-index.ts';
import { allOfYear } from '#app/ports.ts';
import { table } from '#shared/wiring.ts';
import { keys } from '#adapters/keys.ts';
import { configParts } from '#app/state.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { FixedClock } from '#shared/clock.ts';
import { ALAR, startTables, type Tables } from './support.ts';

describe('case numbers', () => {
  let tables: Tables;
  const parts = configParts(loadCityConfigFile(ALAR));
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  const member = { role: 'member' as const, sub: 'm-wang' };
  const input = {
    title: '关于发展夜市经济的建议',
    body: '规范夜市管理。',
    proposers: [{ memberId: 'm-wang', name: '王丽', email: 'wangli@example.com' }],
  };

  beforeAll(async () => {
    tables = await startTables();
  });
  afterAll(async () => {
    await tables?.stop();
  });

  /** A fresh table and `n` stores on it (n containers), with the case-number batches (the local runtime's) unless `simple` (Lambda's). */
  async function stores(n: number, { simple = false } = {}) {
    const tableName = await tables.newTable();
    const db = DynamoDBDocumentClient.from(tables.client);
    const counter = async () =>
      (await db.send(new GetCommand({ TableName: tableName, Key: keys.counter(2026), ConsistentRead: true }))).Item?.seq;
    return {
      counter,
      db,
      tableName,
      all: Array.from({ length: n }, () => new DynamoProposalStore(db, tableName, simple ? {} : { batches: CaseNumberBatches })),
    };
  }

  const submit = (proposals: DynamoProposalStore) => submitProposal({ ...parts, clock, proposals }, input, member);

  it('numbers concurrent submissions of two containers 1..N, none skipped, none twice (batched)', async () => {
    const { all, counter } = await stores(2);
    const created = await Promise.all(Array.from({ length: 40 }, (_, i) => submit(all[i % 2]!)));
    await expectNumbered(created, all[0]!, counter);
  });

  it('numbers the submissions of four containers racing each other, each serving one at a time (the simple path, as in Lambda)', async () => {
    const { all, counter } = await stores(4, { simple: true });
    const created = (
      await Promise.all(
        all.map(async (store) => {
          const mine = [];
          for (let i = 0; i < 10; i++) mine.push(await submit(store));
          return mine;
        }),
      )
    ).flat();
    await expectNumbered(created, all[0]!, counter);
  });

  async function expectNumbered(
    created: Awaited<ReturnType<typeof submit>>[],
    store: DynamoProposalStore,
    counter: () => Promise<unknown>,
  ) {
    expect(created.map((p) => p.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(created.map((p) => p.number)).size).toBe(40);
    expect(await counter()).toBe(40);
    for (const p of created) expect(await store.get(p.id)).toMatchObject({ id: p.id, seq: p.seq, number: p.number });
  }

  it('takes the next number after another container moved the counter (its own guess stale)', async () => {
    const {
      all: [a, b],
      counter,
    } = await stores(2);
    expect((await submit(a!)).seq).toBe(1);
    expect((await submit(b!)).seq).toBe(2);
    expect((await submit(b!)).seq).toBe(3);
    expect((await submit(a!)).seq).toBe(4);
    expect(await counter()).toBe(4);
  });

  it('a submission that cannot be built fails alone and takes no number', async () => {
    const {
      all: [store],
      counter,
    } = await stores(1);
    const bad = store!.create(2026, () => {
      throw new Error('bad input');
    });
    const good = Promise.all([submit(store!), submit(store!)]);
    await expect(bad).rejects.toThrow('bad input');
    expect((await good).map((p) => p.seq).sort()).toEqual([1, 2]);
    expect(await counter()).toBe(2);
  });

  it('lists the year in case-number order from a keys-only index, pages of more than 100 read by key', async () => {
    const {
      all: [store],
      db,
      tableName,
    } = await stores(1);
    const { Table } = await tables.client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === table.indexes.byYear.name)?.Projection?.ProjectionType).toBe(
      'KEYS_ONLY',
    );
    const created = await Promise.all(Array.from({ length: 230 }, () => submit(store!)));
    const index = new DynamoProposalIndex(db, tableName);
    const first = await index.page(2026, { limit: 150 });
    expect(first.items.map((p) => p.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const rest = await index.page(2026, { limit: 150, cursor: first.cursor! });
    expect(rest.items.map((p) => p.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 151));
    // Whole proposals, as stored.
    const all = await allOfYear(index, 2026);
    expect(all).toHaveLength(230);
    const bySeq = new Map(created.map((p) => [p.seq, p]));
    for (const p of all) expect(p).toEqual(bySeq.get(p.seq));
    expect((await allOfYear(index, 2026, 200)).map((p) => p.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 201));
  });
});
