/**
 * Timers on the real DynamoDB Local: written and deleted in the proposal's own transaction, found
 * through the sparse due index (Query, never a Scan), and fired exactly once by overlapping sweeps.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DomainEvent } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import { startDynamoLocal, type DynamoLocal } from '#infra/local/dynamodb.ts';
import { startSqsLocal, type SqsLocal } from '#infra/local/sqs.ts';
import { createResources } from '#infra/local/resources.ts';
import { freePort } from '#infra/local/ports.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { DynamoProposalStore } from '#adapters/dynamo-store.ts';
import { DynamoTimerStore } from '#adapters/dynamo-timer-store.ts';
import { commit, firing } from '#domain/commit.ts';
import { VersionConflict } from '#app/ports.ts';
import { DynamoProposalIndex } from '#adapters/dynamo-proposal-index.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { react } from '#app/react.ts';
import { runCommand } from '#app/run-command.ts';
import { sweepDueTimers } from '#app/sweep.ts';
import type { AppState } from '#app/state.ts';
import { acknowledge, recordContact } from '#domain/workflow.ts';
import { requestExtension, withdraw } from '#domain/office-powers.ts';
import { fakeState } from '../fakes/index.ts';

const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const config = loadCityConfigFile('infra/cities/alar.yaml');
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
const member = { role: 'member' as const, sub: 'm-1' };
const proposers = [{ memberId: 'm-1', name: '王委员', email: 'wang@example.com' }];
const titles = ['关于发展夜市经济促进消费的建议', '关于加强婴幼儿托育服务的建议', '关于完善公交线路的建议', '关于医院急救体系建设的建议'];

describe('timers on DynamoDB Local', () => {
  let ddb: DynamoLocal;
  let sqs: SqsLocal;
  let raw: DynamoDBClient;
  let sqsClient: SQSClient;
  const commands: string[] = [];

  beforeAll(async () => {
    [ddb, sqs] = await Promise.all([startDynamoLocal({ port: await freePort() }), startSqsLocal({ port: 0, region })]);
    raw = new DynamoDBClient({ endpoint: ddb.endpoint, region, credentials });
    sqsClient = new SQSClient({ endpoint: sqs.endpoint, region, credentials, useQueueUrlAsEndpoint: false });
  });
  afterAll(async () => {
    raw?.destroy();
    sqsClient?.destroy();
    await sqs?.stop();
    await ddb?.stop();
  });

  /** An app state on a fresh table, with its own client (as a separate Lambda container would have). */
  async function state(tableName?: string) {
    const name = tableName ?? (await createResources(raw, sqsClient, `t-${randomUUID()}`)).tableName;
    const client = new DynamoDBClient({ endpoint: ddb.endpoint, region, credentials });
    client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const f = fakeState(config, cst('2026-03-02 09:00'));
    const s: AppState = {
      ...f.state,
      proposals: new DynamoProposalStore(doc, name),
      timers: new DynamoTimerStore(doc, name),
      index: new DynamoProposalIndex(doc, name),
    };
    return { s, clock: f.clock, notices: f.notices, tableName: name };
  }

  async function assignedProposal(s: AppState, title: string) {
    const p = await submitProposal(s, { title, body: `${title}。建议加强管理。`, proposers }, member);
    for (const e of await s.proposals.events(p.id)) await react(s, e);
    const stored = await s.proposals.get(p.id);
    if (stored?.status !== 'assigned' || !stored.lead) throw new Error(`${title}: not assigned`);
    return stored;
  }

  it('writes a timer per open obligation with the state and deletes it in the same write that fulfils it', async () => {
    const { s } = await state();
    const p = await assignedProposal(s, titles[0]!);
    const timers = await s.timers.ofProposal(p.id);
    expect(timers.map((t) => t.obligationId)).toContain(`acknowledge#${p.lead}`);
    expect(timers.every((t) => t.deadline === p.deadlines[t.obligation] && t.nextAt)).toBe(true);
    await runCommand(s, p.id, { role: 'unit', sub: 'u', unit: p.lead }, (x, ctx) => acknowledge(x, ctx, p.lead!));
    const after = await s.timers.ofProposal(p.id);
    expect(after.map((t) => t.obligationId)).not.toContain(`acknowledge#${p.lead}`);
    expect(after).toHaveLength(timers.length - 1);
    // An unchanged obligation keeps its timer as it was.
    expect(after.find((t) => t.obligationId === 'reply')).toEqual(timers.find((t) => t.obligationId === 'reply'));
  });

  it('an extension request adds the office timer; a withdrawal (撤案) deletes every timer in the same write', async () => {
    const { s } = await state();
    const p = await assignedProposal(s, titles[2]!);
    const lead = p.lead!;
    const until = new Date(Date.parse(p.deadlines.reply!) + 20 * 86_400_000).toISOString();
    const limit = new Date(Date.parse(p.deadlines.reply!) + 60 * 86_400_000).toISOString();
    await runCommand(s, p.id, { role: 'unit', sub: 'u', unit: lead }, (x, ctx) => requestExtension(x, ctx, lead, until, limit, '需要调研'));
    expect((await s.timers.ofProposal(p.id)).find((t) => t.obligationId === 'extensionDecision')).toMatchObject({
      obligation: 'extensionDecision',
      nextAt: expect.any(String),
    });
    const withdrawn = await runCommand(s, p.id, member, (x, ctx) => withdraw(x, ctx, 'm-1', '问题已解决'));
    expect(withdrawn.status).toBe('withdrawn');
    expect(await s.timers.ofProposal(p.id)).toEqual([]);
    expect((await s.proposals.events(p.id)).at(-1)).toMatchObject({ type: 'ProposalWithdrawn', data: { units: Object.keys(p.units) } });
  });

  it('answers a command with the proposal exactly as stored, its escalation level set by the store', async () => {
    const { s, clock } = await state();
    const p = await assignedProposal(s, titles[0]!);
    expect(p.escalationLevel).toBe(0);
    // The lead has not acknowledged by its deadline, and no sweep ran: the command records a phone
    // contact, and the store sets the escalation level the overdue acknowledgement has reached.
    clock.set(cst('2026-03-17 08:00'));
    const contact = { unit: p.lead!, mode: 'phone' as const, at: '2026-03-16T02:00:00.000Z', note: '电话沟通' };
    const answered = await runCommand(s, p.id, { role: 'unit', sub: 'u', unit: p.lead }, (x, ctx) => recordContact(x, ctx, contact));
    const stored = await s.proposals.get(p.id);
    expect(answered).toEqual(stored);
    expect(answered.escalationLevel).toBeGreaterThan(0);
  });

  it('finds due timers with Queries on the due index only, never a Scan', async () => {
    const { s, clock } = await state();
    await assignedProposal(s, titles[1]!);
    clock.set(cst('2026-03-04 08:00'));
    commands.length = 0;
    const r = await sweepDueTimers(s);
    expect(r.fired).toBeGreaterThan(0);
    expect(r.consumedRead).toBeGreaterThan(0);
    expect(commands).not.toContain('ScanCommand');
    expect(commands.filter((c) => c === 'QueryCommand').length).toBeGreaterThanOrEqual(4); // one per shard
  });

  it('fires each step exactly once under two concurrent sweeps; a repeated fire changes nothing', async () => {
    const a = await state();
    const b = await state(a.tableName);
    const ps: Proposal[] = [];
    for (const t of titles) ps.push(await assignedProposal(a.s, t));
    let lost = 0;
    for (const at of ['2026-03-04 08:00', '2026-03-06 08:00', '2026-03-10 08:00', '2026-03-17 08:00']) {
      a.clock.set(cst(at));
      b.clock.set(cst(at));
      const [ra, rb] = await Promise.all([sweepDueTimers(a.s), sweepDueTimers(b.s)]);
      expect(ra.fired + rb.fired).toBeGreaterThan(0);
      lost += ra.skipped + rb.skipped;
    }
    expect(lost).toBeGreaterThan(0); // the sweeps did overlap: some fires lost to the other one
    const events: DomainEvent[] = [];
    for (const p of ps) events.push(...(await a.s.proposals.events(p.id)));
    const fired = events.filter((e) => e.type === 'ReminderDue' || e.type === 'Escalated');
    const keyOf = (e: DomainEvent) =>
      e.type === 'ReminderDue' || e.type === 'Escalated' ? `${e.proposalId}/${e.data.obligation}#${e.data.unit ?? ''}/${e.data.step}` : '';
    expect(fired.length).toBeGreaterThan(ps.length * 3);
    expect(new Set(fired.map(keyOf)).size).toBe(fired.length);
    // Every unacknowledged unit went through reminder, reminder, 催办, 督办.
    const ack = fired.filter((e) => e.data.obligation === 'acknowledge' && e.proposalId === ps[0]!.id && e.data.unit === ps[0]!.lead);
    expect(ack.map((e) => (e.type === 'Escalated' ? e.data.level : 0))).toEqual([0, 0, 1, 2]);
    expect((await a.s.proposals.get(ps[0]!.id))?.escalationLevel).toBe(2);

    // Sweeping again at the same time, and replaying a timer from before it moved on: nothing.
    const stale = (await a.s.timers.ofProposal(ps[0]!.id)).find((t) => t.obligationId === `acknowledge#${ps[0]!.lead}`)!;
    const [ra, rb] = await Promise.all([sweepDueTimers(a.s), sweepDueTimers(b.s)]);
    expect(ra.fired + rb.fired).toBe(0);
    expect(await a.s.timers.advance({ ...stale, step: stale.step - 1 }, { step: stale.step })).toBe(false);
    const p0 = (await a.s.proposals.get(ps[0]!.id))!;
    const replay = firing(
      commit(p0, { next: p0, events: [fired[0]!] }, a.s.schedule),
      { ...stale, step: stale.step - 1 },
      { step: stale.step },
    );
    await expect(a.s.proposals.save(replay.commit, replay.fired)).rejects.toThrow(VersionConflict);
    expect((await a.s.proposals.events(ps[0]!.id)).length).toBe(events.filter((e) => e.proposalId === ps[0]!.id).length);
  });

  it('creates the bulletin timer once and sends the monthly bulletin on the first working morning', async () => {
    const { s, clock, notices } = await state();
    await assignedProposal(s, titles[0]!);
    clock.set(cst('2026-03-31 21:00'));
    await sweepDueTimers(s);
    clock.set(cst('2026-04-01 08:00'));
    expect(notices.sent.filter((n) => n.kind === 'bulletin')).toEqual([]);
    await Promise.all([sweepDueTimers(s), sweepDueTimers(s)]);
    // Both may send before one moves the timer on: the same id, which the mailer sends once.
    const sent = notices.sent.filter((n) => n.kind === 'bulletin');
    expect(new Set(sent.map((n) => n.id))).toEqual(new Set(['bulletin/2026-03']));
    await sweepDueTimers(s);
    clock.set(cst('2026-05-05 20:00')); // May 1-5 off: the April bulletin waits for May 6
    await sweepDueTimers(s);
    expect(notices.sent.filter((n) => n.kind === 'bulletin')).toHaveLength(sent.length);
    clock.set(cst('2026-05-06 08:00'));
    await sweepDueTimers(s);
    expect(
      notices.sent
        .filter((n) => n.kind === 'bulletin')
        .map((n) => n.id)
        .slice(sent.length),
    ).toEqual(['bulletin/2026-04']);
  });
});
