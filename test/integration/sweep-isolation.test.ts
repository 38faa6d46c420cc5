/**
 * One bad timer must not stop the sweep, on the real DynamoDB Local: a proposal item that does not
 * parse (its timers throw), and an item of the due index that is not a timer, among good timers.
 * The good ones fire; the bad ones are counted and moved an hour later in the due index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { DynamoProposalStore } from '#adapters/dynamo-store.ts';
import { DynamoTimerStore } from '#adapters/dynamo-timer-store.ts';
import { DynamoProposalIndex } from '#adapters/dynamo-proposal-index.ts';
import { keys } from '#adapters/keys.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { react } from '#app/react.ts';
import { RETRY_AFTER_MS, sweepDueTimers } from '#app/sweep.ts';
import type { AppState } from '#app/state.ts';
import { fakeState } from '../fakes/index.ts';
import { startTables, type Tables } from './support.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
const member = { role: 'member' as const, sub: 'm-1' };
const proposers = [{ memberId: 'm-1', name: '王委员', email: 'wang@example.com' }];
const titles = ['关于发展夜市经济促进消费的建议', '关于加强婴幼儿托育服务的建议', '关于完善公交线路的建议'];

let tables: Tables;
beforeAll(async () => {
  tables = await startTables();
});
afterAll(async () => {
  await tables?.stop();
});

async function state() {
  const tableName = await tables.newTable();
  const doc = DynamoDBDocumentClient.from(tables.client, { marshallOptions: { removeUndefinedValues: true } });
  const f = fakeState(config, cst('2026-03-02 09:00'));
  const s: AppState = {
    ...f.state,
    proposals: new DynamoProposalStore(doc, tableName),
    timers: new DynamoTimerStore(doc, tableName),
    index: new DynamoProposalIndex(doc, tableName),
  };
  return { s, clock: f.clock, tableName };
}

async function assigned(s: AppState, title: string) {
  const p = await submitProposal(s, { title, body: `${title}。建议加强管理，完善设施。`, proposers }, member);
  for (const e of await s.proposals.events(p.id)) await react(s, e);
  const stored = await s.proposals.get(p.id);
  if (stored?.status !== 'assigned') throw new Error(`${title}: not assigned`);
  return stored;
}

describe('the sweep on DynamoDB Local with poisoned timers', () => {
  it('fires the good timers; counts a proposal that does not parse and a non-timer in the due index as failed, and moves them an hour on', async () => {
    const { s, clock, tableName } = await state();
    const [a, b, c] = [await assigned(s, titles[0]!), await assigned(s, titles[1]!), await assigned(s, titles[2]!)];
    // b's proposal item no longer parses (a title that is a number): every timer of b throws when it fires.
    await tables.client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { PK: { S: `P#${b.id}` }, SK: { S: 'PROPOSAL' } },
        UpdateExpression: 'SET title = :n',
        ExpressionAttributeValues: { ':n': { N: '1' } },
      }),
    );
    // An item in the due index, due first, that is not a timer at all.
    const ghost = {
      ...keys.timer('ghost', 'acknowledge#x'),
      ...keys.timerDue(cst('2026-03-01 08:00').toISOString(), 'ghost', 'acknowledge#x'),
    };
    await tables.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: Object.fromEntries(Object.entries({ ...ghost, kind: 'obligation' }).map(([k, v]) => [k, { S: v }])),
      }),
    );

    const now = cst('2026-03-05 10:00');
    clock.set(now);
    const bDue = (await s.timers.ofProposal(b.id)).filter((t) => t.nextAt && t.nextAt <= now.toISOString());
    expect(bDue.length).toBeGreaterThan(0);
    const result = await sweepDueTimers(s);
    expect(result.failed).toBe(bDue.length + 1);
    expect(result.fired).toBeGreaterThan(0);
    const stepsOf = async (id: string) => (await s.proposals.events(id)).filter((e) => e.type === 'ReminderDue' || e.type === 'Escalated');
    expect((await stepsOf(a.id)).length).toBeGreaterThan(0);
    expect((await stepsOf(c.id)).length).toBeGreaterThan(0);

    const retryAt = new Date(now.getTime() + RETRY_AFTER_MS).toISOString();
    for (const t of await s.timers.ofProposal(b.id)) {
      const was = bDue.find((d) => d.obligationId === t.obligationId);
      if (was) expect(t).toMatchObject({ step: was.step, nextAt: retryAt });
    }
    const { Item } = await tables.client.send(
      new GetItemCommand({ TableName: tableName, Key: { PK: { S: ghost.PK }, SK: { S: ghost.SK } } }),
    );
    expect(Item?.DUE_SK?.S).toBe(`${retryAt}#ghost#acknowledge#x`);
    expect(await sweepDueTimers(s)).toMatchObject({ fired: 0, failed: 0 }); // neither holds the head of the due index now
  });
});
