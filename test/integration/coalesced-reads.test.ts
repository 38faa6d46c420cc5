/**
 * Reads asked for side by side share one request, on DynamoDB Local: a stream batch's proposals
 * (the reactor handles them in parallel) and a mailer batch's suppression lookups. The requests are
 * counted on the client (a middleware, no mocks); the answers are checked against what is stored.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { DynamoProposalStore } from '#adapters/dynamo-store.ts';
import { commit } from '#domain/commit.ts';
import { DynamoSuppressionList } from '#adapters/dynamo-suppression-list.ts';
import { DynamoNoticeLedger } from '#adapters/dynamo-notice-ledger.ts';
import { configParts } from '#app/state.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { createHandler as createMailer } from '#functions/mailer/handler.ts';
import type { Notice } from '#events/notices.ts';
import { FixedClock } from '#shared/clock.ts';
import { FakeMailSender, FakeMetrics } from '../fakes/index.ts';
import { lambdaContext, sqsBatch } from '../events/index.ts';
import { ALAR, startTables, type Tables } from './support.ts';

describe('coalesced reads', () => {
  let tables: Tables;
  let db: DynamoDBDocumentClient;
  let tableName: string;
  /** DynamoDB requests by command name since the last beforeEach. */
  let calls: Record<string, number> = {};
  const config = loadCityConfigFile(ALAR);
  const parts = configParts(config);
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  const member = { role: 'member' as const, sub: 'm-wang' };
  const input = {
    title: '关于发展夜市经济的建议',
    body: '规范夜市管理。',
    proposers: [{ memberId: 'm-wang', name: '王丽', email: 'wangli@example.com' }],
  };

  beforeAll(async () => {
    tables = await startTables();
    tables.client.middlewareStack.add(
      (next, context) => (args) => {
        const name = context.commandName ?? 'unknown';
        calls[name] = (calls[name] ?? 0) + 1;
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );
    db = DynamoDBDocumentClient.from(tables.client);
    tableName = await tables.newTable();
  });
  beforeEach(() => {
    calls = {};
  });
  afterAll(async () => {
    await tables?.stop();
  });

  describe('proposals (the store)', () => {
    it('answers the reads of one turn with one BatchGetItem, each as stored, a missing one undefined', async () => {
      const store = new DynamoProposalStore(db, tableName);
      const created = await Promise.all(
        Array.from({ length: 5 }, () => submitProposal({ ...parts, clock, proposals: store }, input, member)),
      );
      calls = {};
      const asked = [...created.map((p) => p.id), randomUUID(), created[0]!.id];
      const got = await Promise.all(asked.map((id) => store.get(id)));
      expect(calls).toEqual({ BatchGetItemCommand: 1 });
      expect(got.slice(0, 5)).toEqual(created);
      expect(got[5]).toBeUndefined();
      expect(got[6]).toEqual(created[0]);
    });

    it('reads one alone with GetItem, and reads in later turns apart', async () => {
      const store = new DynamoProposalStore(db, tableName);
      const p = await submitProposal({ ...parts, clock, proposals: store }, input, member);
      calls = {};
      expect(await store.get(p.id)).toEqual(p);
      expect(await store.get(p.id)).toEqual(p);
      expect(calls).toEqual({ GetItemCommand: 2 });
    });

    it('reads strongly consistent: a change saved just before is seen, in a batch too', async () => {
      const store = new DynamoProposalStore(db, tableName);
      const [a, b] = await Promise.all([0, 1].map(() => submitProposal({ ...parts, clock, proposals: store }, input, member)));
      const changed = commit(
        a,
        {
          next: { ...a!, status: 'rejected' },
          events: [
            {
              type: 'ProposalRejected',
              at: clock.now().toISOString(),
              actor: { role: 'office', sub: 'o-1' },
              data: { reason: '不予立案' },
            },
          ],
        },
        parts.schedule,
      );
      await store.save(changed);
      const [ra, rb] = await Promise.all([store.get(a!.id), store.get(b!.id)]);
      expect(ra).toEqual(changed.proposal);
      expect(ra?.status).toBe('rejected');
      expect(rb).toEqual(b);
    });

    it('fails every read of a batch when the request fails, and the next turn reads afresh', async () => {
      const gone = new DynamoProposalStore(db, `missing-${randomUUID()}`);
      const reads = [randomUUID(), randomUUID(), randomUUID()].map((id) => gone.get(id));
      const settled = await Promise.allSettled(reads);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/ResourceNotFound|non-existent table/i);
      expect(calls).toEqual({ BatchGetItemCommand: 1 });
      await expect(gone.get(randomUUID())).rejects.toThrow(/ResourceNotFound|non-existent table/i);
      expect(calls).toEqual({ BatchGetItemCommand: 1, GetItemCommand: 1 });
    });
  });

  describe('suppression list', () => {
    it('answers the lookups of one turn with one read, whatever the case of the address', async () => {
      const list = new DynamoSuppressionList(db, tableName, clock);
      const gone = `gone-${randomUUID()}@example.com`;
      await list.add(gone, 'bounce');
      calls = {};
      const asked = [gone.toUpperCase(), `ok-${randomUUID()}@example.com`, ` ${gone} `, `ok2-${randomUUID()}@example.com`];
      expect(await Promise.all(asked.map((a) => list.isSuppressed(a)))).toEqual([true, false, true, false]);
      expect(calls).toEqual({ BatchGetItemCommand: 1 });
    });

    it('a mailer batch looks up all its addresses in one read, then claims, sends and records each notice', async () => {
      const suppression = new DynamoSuppressionList(db, tableName, clock);
      const gone = `gone-${randomUUID()}@example.com`;
      await suppression.add(gone, 'bounce');
      const mail = new FakeMailSender();
      const mailer = createMailer({
        config,
        clock,
        metrics: new FakeMetrics(),
        ledger: new DynamoNoticeLedger(db, tableName),
        suppression,
        mail,
      });
      const live = Array.from({ length: 4 }, (_, i) => `m${i}-${randomUUID()}@example.com`);
      const notices: Notice[] = live.map((email, i) => ({
        id: `coalesce/${randomUUID()}`,
        kind: 'triage',
        recipients: [
          { kind: 'address', email },
          { kind: 'address', email: gone },
        ],
        vars: { number: `2026-00${i + 1}`, title: '一点想法', proposalId: randomUUID(), reason: '测试通知' },
        createdAt: clock.now().toISOString(),
      }));
      const event = sqsBatch(notices.map((n) => JSON.stringify(n)));
      calls = {};
      expect(await mailer(event, lambdaContext('mailer'))).toEqual({ batchItemFailures: [] });
      expect(calls).toEqual({ BatchGetItemCommand: 1, UpdateItemCommand: 4, PutItemCommand: 4 });
      // Each sent once, to its live address only.
      expect(mail.outbox.map((m) => m.to).sort()).toEqual(live.map((a) => [a]).sort());
    });
  });
});
