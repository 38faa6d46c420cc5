/**
 * Idempotency-Key records on the real DynamoDB Local (the api handler over DynamoIdempotencyStore,
 * the rest on fakes): each record carries its expiry (`expiresAt`, the table's TTL attribute) and the
 * request's fingerprint; an expired record not yet deleted counts as absent; another body with the
 * same key is a 422; a failure to record the answer still answers, and leaves the key held; a public
 * write with a bad token sends nothing to the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { DynamoIdempotencyStore } from '#adapters/dynamo-idempotency.ts';
import { TTL_ATTRIBUTE } from '#adapters/keys.ts';
import type { StoredResponse, IdempotencyRecord } from '#app/ports.ts';
import { createHandler } from '#functions/api/handler.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext, type HttpOptions } from '../events/index.ts';
import { startTables, type Tables } from './support.ts';

const config = { ...loadCityConfigFile('infra/cities/alar.yaml'), cosign: { confirm: false } };
const member = { sub: 'm-1', role: 'member', memberId: 'm-1' };
const body = { title: '关于完善公交线路的建议', body: '优化公交线路。', proposers: [{ memberId: 'm-1' }] };
const HOUR = 60 * 60 * 1000;

/** The real store; `failComplete` makes its `complete` throw (the table failing after the command ran). */
class FlakyStore extends DynamoIdempotencyStore {
  failComplete = false;
  override async complete(scope: string, key: string, record: IdempotencyRecord & { response: StoredResponse }) {
    if (this.failComplete) throw new Error('ProvisionedThroughputExceededException');
    return super.complete(scope, key, record);
  }
}

describe('Idempotency-Key records on DynamoDB Local', () => {
  let tables: Tables;
  beforeAll(async () => {
    tables = await startTables();
  }, 60_000);
  afterAll(async () => tables?.stop());

  /** The api on fakes, its idempotency records in a fresh table; `commands` lists what reached the table. */
  async function api() {
    const tableName = await tables.newTable();
    const commands: string[] = [];
    const ep = await tables.client.config.endpoint?.();
    const client = new DynamoDBClient({
      endpoint: `${ep?.protocol}//${ep?.hostname}:${ep?.port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    const doc = DynamoDBDocumentClient.from(client);
    const store = new FlakyStore(doc, tableName);
    const f = fakeState(config);
    const handler = createHandler({ ...f.state, idempotency: store });
    const call = async (method: string, path: string, opts?: HttpOptions) => {
      const res = await handler(httpEvent(method, path, opts), lambdaContext('api'));
      return { status: res.statusCode ?? 0, body: JSON.parse(res.body ?? '{}'), headers: res.headers ?? {} };
    };
    // Read through the suite's own client: not counted in `commands`.
    const items = async () =>
      (await DynamoDBDocumentClient.from(tables.client).send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    const submitted = () => f.proposals.eventLog.filter((e) => e.type === 'ProposalSubmitted').length;
    const submit = (key: string, b: unknown = body) =>
      call('POST', '/v1/proposals', { claims: member, headers: { 'idempotency-key': key }, body: b });
    return { f, store, call, items, submitted, submit, commands };
  }

  it('keeps the answer with its expiry and fingerprint; replays it; refuses another body (422); runs anew once expired', async () => {
    const { f, items, submitted, submit } = await api();
    const first = await submit('k-1');
    expect(first.status).toBe(201);
    const [record] = await items();
    expect(record).toMatchObject({ state: 'done', [TTL_ATTRIBUTE]: Math.floor(f.clock.now().getTime() / 1000) + 24 * 60 * 60 });
    expect(record?.fingerprint).toEqual(expect.any(String));
    const repeat = await submit('k-1');
    expect([repeat.status, repeat.body.id, repeat.headers['idempotent-replayed']]).toEqual([201, first.body.id, 'true']);
    const other = await submit('k-1', { ...body, title: '关于另一件事的建议' });
    expect(other.status).toBe(422);
    expect(other.body.detail).toMatch(/已用于另一个请求/);
    expect(submitted()).toBe(1);
    // Past its expiry the record is absent, though DynamoDB's TTL has not deleted it yet.
    f.clock.advance(24 * HOUR + 1000);
    const later = await submit('k-1', { ...body, title: '关于另一件事的建议' });
    expect(later.status).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(submitted()).toBe(2);
  });

  it('answers the result when recording it fails; the key stays held, so a retry does not run the command again', async () => {
    const { f, store, items, submitted, submit } = await api();
    store.failComplete = true;
    const first = await submit('k-2');
    expect(first.status).toBe(201);
    store.failComplete = false;
    expect((await items()).map((i) => i.state)).toEqual(['pending']);
    for (const wait of [0, 31_000, 60 * 60_000]) {
      f.clock.advance(wait);
      expect((await submit('k-2')).status).toBe(409);
    }
    expect(submitted()).toBe(1);
  });

  it('checks a feedback token before any write: a bad token with an Idempotency-Key sends nothing to the table', async () => {
    const { call, items, commands } = await api();
    const res = await call('POST', '/v1/feedback', {
      body: { token: 'forged.token', satisfaction: 'satisfied' },
      headers: { 'idempotency-key': 'rate-1' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['token']);
    expect(commands).toEqual([]);
    expect(await items()).toEqual([]);
  });
});
