/**
 * ProposalStore on the DynamoDB single table (the NoticeLedger is in dynamo-notice-ledger.ts). Keys come from keys.ts only.
 * It writes what it is given: a commit (shared/domain/commit.ts) is one TransactWriteItems of the
 * proposal under a version condition, its event items (attribute_not_exists), and its timer puts and
 * deletes (timer-items.ts), so the stream sees each event exactly when its state is stored and the
 * timers never drift from the open obligations. A commit made as a timer fires also carries that
 * timer's own write, conditioned on its step.
 * A create also moves the year's case counter in its transaction (see createOne()). Given the
 * batches (case-number-batches.ts, a performance mechanism: only the local runtime wires them, for
 * in Lambda a container serves one request, one create, at a time), creates that arrive together in
 * one process share a transaction.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { Commit, FiredTimer } from '#domain/commit.ts';
import { returnedItem } from '#adapters/returned-item.ts';
import { DynamoProposalReader } from '#adapters/dynamo-proposal-reader.ts';
import { keys } from '#adapters/keys.ts';
import { firedTimerItem, timerChangeItems } from '#adapters/timer-items.ts';
import { isConditionFailure, isItemTooLarge, type TransactItem } from '#adapters/dynamo-requests.ts';
import type { CaseNumberBatches } from '#adapters/case-number-batches.ts';
import { VersionConflict, type ProposalStore } from '#app/ports.ts';
import { Busy, TooLarge } from '#app/errors.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const MAX_COUNTER_RETRIES = 20;

/** The proposal store: the reads (DynamoProposalReader) and the writes. */
export class DynamoProposalStore extends DynamoProposalReader implements ProposalStore {
  constructor(db: DynamoDBDocumentClient, tableName: string, opts: { batches?: typeof CaseNumberBatches } = {}) {
    super(db, tableName);
    this.batches =
      opts.batches &&
      new opts.batches(db, {
        createOne: (year, build) => this.createOne(year, build),
        guess: async (year) => this.lastSeq.get(year) ?? (await this.readCounter(year)),
        saw: (year, seq) => (seq === undefined ? this.lastSeq.delete(year) : this.lastSeq.set(year, seq)),
        counterMove: (year, current, next) => counterMove(tableName, year, current, next),
        counterOnFailure,
        commitItems: (c) => this.commitItems(c),
      });
  }

  private readonly batches: CaseNumberBatches | undefined;

  /**
   * The year's counter as this container last saw it (written, or returned by a failed condition):
   * a create guesses it instead of reading the counter first.
   */
  private readonly lastSeq = new Map<number, number>();

  /** With the batches, creates arriving together share a transaction (case-number-batches.ts); else, and a lone one, createOne. */
  override create(year: number, build: (seq: number) => Commit): Promise<Commit> {
    return this.batches ? this.batches.create(year, build) : this.createOne(year, build);
  }

  /**
   * The simple path, one create in one transaction: the commit `build` makes for the number after
   * the counter's value (guessed, else read), written with the counter moved under the condition that
   * it still holds that value. When another create took the number first (another container, or another request of this
   * one), the failed condition returns the counter (ALL_OLD) and the create is built and tried again
   * with the next number, at once the first time, then after a short jittered pause. Gapless: the
   * counter moves only with a proposal; a build that throws takes no number.
   */
  async createOne(year: number, build: (seq: number) => Commit): Promise<Commit> {
    let known = this.lastSeq.get(year);
    for (let attempt = 0; attempt < MAX_COUNTER_RETRIES; attempt++) {
      const current = known ?? (await this.readCounter(year));
      const c = build(current + 1);
      try {
        await this.db.send(
          new TransactWriteCommand({ TransactItems: [counterMove(this.tableName, year, current, current + 1), ...this.commitItems(c)] }),
        );
        this.lastSeq.set(year, current + 1);
        return c;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        known = counterOnFailure(err);
        if (known === undefined) this.lastSeq.delete(year);
        else this.lastSeq.set(year, known);
        // A stale guess is retried at once with the value returned; a conflict or repeated failures
        // (others taking numbers now) wait a little (jittered, growing).
        if (known === undefined || attempt > 0) await sleep(Math.random() * Math.min(200, 5 * 2 ** attempt));
      }
    }
    throw new Busy(`${year} 年同时提交的提案过多，暂时无法分配案号，请稍后重试`);
  }

  private async readCounter(year: number): Promise<number> {
    const counter = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.counter(year), ConsistentRead: true }));
    return typeof counter.Item?.seq === 'number' ? counter.Item.seq : 0;
  }

  override async save(c: Commit, fired?: FiredTimer): Promise<void> {
    const items = [...this.commitItems(c), ...(fired ? [firedTimerItem(this.tableName, fired)] : [])];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (isConditionFailure(err)) throw new VersionConflict(c.proposal.id);
      if (isItemTooLarge(err)) throw new TooLarge('提案内容已超过单条记录 400 KB 的存储上限，无法保存此次修改');
      throw err;
    }
  }

  /** The proposal put (a new one: only if absent; else under its stored version), its events, its timers. */
  private commitItems(c: Commit): TransactItem[] {
    const p = c.proposal;
    const condition =
      c.expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': c.expectedVersion } };
    return [
      ...(c.counter ? [counterItem(this.tableName, keys.namedCounter(c.counter.name), c.counter.current, c.counter.current + 1)] : []),
      { Put: { TableName: this.tableName, Item: proposalItem(p), ...condition } },
      ...c.events.map((e) => ({ Put: { TableName: this.tableName, Item: eventItem(e), ConditionExpression: 'attribute_not_exists(PK)' } })),
      ...timerChangeItems(this.tableName, p.id, c.timers),
    ];
  }
}

/** Moves the year's counter from `current` to `next`; a failed condition returns the counter (ALL_OLD). */
function counterMove(tableName: string, year: number, current: number, next: number): TransactItem {
  return counterItem(tableName, keys.counter(year), current, next);
}

function counterItem(tableName: string, key: { PK: string; SK: string }, current: number, next: number): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET seq = :next',
      ConditionExpression: current === 0 ? 'attribute_not_exists(seq)' : 'seq = :current',
      ExpressionAttributeValues: current === 0 ? { ':next': next } : { ':next': next, ':current': current },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

function proposalItem(p: Proposal): Record<string, unknown> {
  return { ...keys.proposal(p.id), ...keys.proposalIndex(p.year, p.seq), entity: 'proposal', ...p };
}

function eventItem(e: DomainEvent): Record<string, unknown> {
  return { ...keys.event(e.proposalId, e.seq), entity: 'event', ...e };
}

/**
 * The counter value a cancelled create transaction returned (its first item, ALL_OLD); undefined
 * when the counter's condition did not fail (a conflict, another item) or no item came back (the
 * counter is missing): the next attempt then reads the counter.
 */
function counterOnFailure(err: unknown): number | undefined {
  if (!(err instanceof TransactionCanceledException)) return undefined;
  const reason = err.CancellationReasons?.[0];
  if (reason?.Code !== 'ConditionalCheckFailed') return undefined;
  const seq = returnedItem(reason.Item)?.seq;
  return typeof seq === 'number' && Number.isInteger(seq) ? seq : undefined;
}
