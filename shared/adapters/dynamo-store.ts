/**
 * ProposalStore on the DynamoDB single table (the NoticeLedger is in dynamo-notice-ledger.ts). Keys come from keys.ts only.
 * Every state change is one TransactWriteItems: the proposal under a version condition plus the
 * event items (attribute_not_exists), so the stream sees each event exactly when its state is stored.
 * The same transaction keeps the proposal's timers in step with its open obligations (timer-items.ts):
 * a new or changed obligation puts its timer, a fulfilled one deletes it.
 * Creates also move the year's case counter in their transaction; creates queued in one container
 * share it (see create()).
 */
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { table } from '#shared/wiring.ts';
import { domainEventSchema, type DomainEvent, type NewEvent } from '#events/domain-events.ts';
import { proposalSchema, type Proposal } from '#domain/proposal.ts';
import { returnedItem } from '#adapters/returned-item.ts';
import { coalescedGet, type ItemKey } from '#adapters/batch-get.ts';
import { keys, TIMER_PREFIX } from '#adapters/keys.ts';
import { dueAttributes, parseTimerItem, timerItem, timerKey } from '#adapters/timer-items.ts';
import { escalationLevel, timerChanges, type CityTimer, type ProposalTimer, type Timer, type TimerChanges, type TimerSchedule } from '#domain/timer-schedule.ts';
import { VersionConflict, type ProposalStore, type TimerChange } from '#app/ports.ts';
import { Busy, TooLarge } from '#app/errors.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const MAX_COUNTER_RETRIES = 20;
/** Creates one transaction takes at most, and the transaction's limits (100 items, 4 MB; some room kept). */
const CREATES_PER_TRANSACTION = 25;
const TRANSACTION_ITEMS = 100;
const TRANSACTION_BYTES = 3_000_000;

interface PendingCreate {
  build: (seq: number) => { proposal: Proposal; events: NewEvent[] };
  resolve: (created: { proposal: Proposal; events: DomainEvent[] }) => void;
  reject: (err: unknown) => void;
}

export class DynamoProposalStore implements ProposalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The city's reminder and escalation policy on its calendar: what the timers fire when. */
    private readonly schedule: TimerSchedule,
  ) {
    this.read = coalescedGet(db, tableName, { consistent: true });
  }

  private readonly read: (key: ItemKey) => Promise<Record<string, unknown> | undefined>;

  /**
   * The year's counter as this container last saw it (written, read, or returned by a failed
   * condition): an attempt guesses it instead of reading the counter first.
   */
  private readonly lastSeq = new Map<number, number>();
  /** Creates waiting for the year's counter, in arrival order, and whether a writer is taking them. */
  private readonly waiting = new Map<number, { queue: PendingCreate[]; writing: boolean }>();

  /**
   * Creates of one container never race each other for the counter: they queue, and a single
   * writer takes what has queued up since its last write (up to a transaction's limits) in one
   * transaction that moves the counter by that many, the numbers in arrival order. In AWS a
   * container serves one request at a time, so there it is always one; containers racing each
   * other are told the counter by the failed condition and try again.
   */
  create(year: number, build: (seq: number) => { proposal: Proposal; events: NewEvent[] }): Promise<{ proposal: Proposal; events: DomainEvent[] }> {
    return new Promise((resolve, reject) => {
      let w = this.waiting.get(year);
      if (!w) this.waiting.set(year, (w = { queue: [], writing: false }));
      w.queue.push({ build, resolve, reject });
      if (!w.writing) void this.writeQueued(year, w);
    });
  }

  private async writeQueued(year: number, w: { queue: PendingCreate[]; writing: boolean }): Promise<void> {
    w.writing = true;
    try {
      while (w.queue.length > 0) {
        const batch = w.queue.splice(0, CREATES_PER_TRANSACTION);
        try {
          w.queue.unshift(...(await this.allocate(year, batch)));
        } catch (err) {
          // Several together failed for a reason other than the counter: each on its own, so that
          // only the one at fault gets the error.
          if (batch.length === 1) batch[0]!.reject(err);
          else for (const one of batch) await this.allocate(year, [one]).catch(one.reject);
        }
      }
    } finally {
      w.writing = false;
      if (w.queue.length === 0) this.waiting.delete(year);
    }
  }

  /**
   * Numbers the creates of `batch` from the counter (+1, +2, … in order) and writes them in one
   * TransactWriteItems conditioned on the counter value guessed; a failed condition returns the
   * counter (ALL_OLD), so the next attempt needs no read. Settles every create it wrote (or whose
   * build threw); returns those that did not fit the transaction's limits, to be written next.
   */
  private async allocate(year: number, batch: PendingCreate[]): Promise<PendingCreate[]> {
    let known = this.lastSeq.get(year);
    let pending = batch;
    for (let attempt = 0; attempt < MAX_COUNTER_RETRIES; attempt++) {
      const current = known ?? (await this.readCounter(year));
      const built = this.buildAll(current, pending);
      pending = pending.filter((c) => !built.rejected.has(c));
      if (built.taken.length === 0) return built.rest;
      const next = current + built.taken.length;
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: keys.counter(year),
                  UpdateExpression: 'SET seq = :next',
                  ConditionExpression: current === 0 ? 'attribute_not_exists(seq)' : 'seq = :current',
                  ExpressionAttributeValues: current === 0 ? { ':next': next } : { ':next': next, ':current': current },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
              ...built.items,
            ],
          }),
        );
        this.lastSeq.set(year, next);
        for (const t of built.taken) t.create.resolve(t.result);
        return built.rest;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        if (built.taken.length > 1 && !counterConflict(err)) throw err; // another item's condition: one by one
        known = counterOnFailure(err);
        if (known === undefined) this.lastSeq.delete(year);
        else this.lastSeq.set(year, known);
        // The first failure (a stale guess) is retried at once with the value returned; a conflict or
        // repeated failures (other containers taking numbers now) wait a little (jittered, growing).
        if (known === undefined || attempt > 0) await sleep(Math.random() * Math.min(200, 5 * 2 ** attempt));
      }
    }
    const busy = new Busy(`too many submissions at once for ${year}: could not allocate a case number, try again`);
    for (const one of pending) one.reject(busy);
    return [];
  }

  /**
   * Builds the creates of `batch` numbered from current + 1, in order, as many as fit one
   * transaction (items, bytes); a build that throws is rejected at once and takes no number.
   */
  private buildAll(current: number, batch: PendingCreate[]) {
    const taken: { create: PendingCreate; result: { proposal: Proposal; events: DomainEvent[] } }[] = [];
    const items: TransactItem[] = [];
    const rejected = new Set<PendingCreate>();
    let bytes = 0;
    let i = 0;
    for (; i < batch.length; i++) {
      const create = batch[i]!;
      let result: { proposal: Proposal; events: DomainEvent[] };
      let writes: TransactItem[];
      try {
        const { proposal, events } = create.build(current + taken.length + 1);
        const full = envelope(proposal.id, 0, events);
        const stored = this.withLevel({ ...proposal, version: full.length });
        result = { proposal: stored, events: full };
        writes = [
          { Put: { TableName: this.tableName, Item: proposalItem(stored), ConditionExpression: 'attribute_not_exists(PK)' } },
          ...full.map((e) => ({ Put: { TableName: this.tableName, Item: eventItem(e), ConditionExpression: 'attribute_not_exists(PK)' } })),
          ...this.timerWrites(timerChanges(undefined, stored, this.schedule), stored.id),
        ];
      } catch (err) {
        create.reject(err);
        rejected.add(create);
        continue;
      }
      const size = Buffer.byteLength(JSON.stringify(writes));
      if (taken.length > 0 && (items.length + writes.length + 1 > TRANSACTION_ITEMS || bytes + size > TRANSACTION_BYTES)) break;
      taken.push({ create, result });
      items.push(...writes);
      bytes += size;
    }
    return { taken, items, rejected, rest: batch.slice(i) };
  }

  private async readCounter(year: number): Promise<number> {
    const counter = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.counter(year), ConsistentRead: true }));
    return typeof counter.Item?.seq === 'number' ? counter.Item.seq : 0;
  }

  /** Strongly consistent; the reads asked for in one turn (a batch's proposals handled side by side) share one request. */
  async get(id: string): Promise<Proposal | undefined> {
    const item = await this.read(keys.proposal(id));
    return item ? proposalSchema.parse(item) : undefined;
  }

  async save(proposal: Proposal, expectedVersion: number, events: NewEvent[], previous?: Proposal): Promise<{ proposal: Proposal; events: DomainEvent[] }> {
    const before = previous ?? (await this.get(proposal.id));
    if (!before || before.version !== expectedVersion) throw new VersionConflict(proposal.id);
    const { items, full, stored } = this.changeWrites({ previous: before, next: proposal, events }, expectedVersion);
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (isConditionFailure(err)) throw new VersionConflict(proposal.id);
      if (isItemTooLarge(err)) throw new TooLarge('提案内容已超过单条记录 400 KB 的存储上限，无法保存此次修改');
      throw err;
    }
    return { proposal: stored, events: full };
  }

  /** Timers due at `now`: a Query per shard of the sparse `due` index (DUE_SK <= now), never a Scan. */
  async dueTimers(now: string, limit: number): Promise<{ timers: Timer[]; consumedRead: number }> {
    let consumedRead = 0;
    const perShard = await Promise.all(
      keys.dueShards().map((shard) =>
        this.queryAll(
          {
            IndexName: table.indexes.due.name,
            KeyConditionExpression: 'DUE_PK = :pk AND DUE_SK <= :now',
            // DUE_SK is "<fire time>#<ids>": everything at or before `now` sorts below "<now>#\uffff".
            ExpressionAttributeValues: { ':pk': shard, ':now': `${now}#\uffff` },
            ReturnConsumedCapacity: 'TOTAL',
          },
          limit,
          (units) => (consumedRead += units),
        ),
      ),
    );
    const timers = perShard.flat().map(parseTimerItem).sort((a, b) => (a.nextAt ?? '').localeCompare(b.nextAt ?? ''));
    return { timers: timers.slice(0, limit), consumedRead };
  }

  async timers(proposalId: string): Promise<ProposalTimer[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.proposal(proposalId).PK, ':prefix': TIMER_PREFIX },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(parseTimerItem).filter((t): t is ProposalTimer => t.kind === 'obligation');
  }

  async advanceTimer(timer: Timer, to: { step: number; nextAt?: string } | 'delete', change?: TimerChange): Promise<boolean> {
    const guard = { ConditionExpression: 'step = :expected', ExpressionAttributeValues: { ':expected': timer.step } };
    const items: TransactItem[] = [];
    let fired: TransactItem;
    if (!change) fired = this.timerMove(timer, to, guard);
    else {
      const own = timer.kind === 'obligation' ? timer.obligationId : undefined;
      const writes = this.changeWrites(change, change.previous.version, own);
      items.push(...writes.items);
      const replaced = writes.changes.put.find((t) => t.obligationId === own);
      if (writes.changes.remove.includes(own ?? '')) fired = this.timerMove(timer, 'delete', guard);
      else if (replaced) fired = { Put: { TableName: this.tableName, Item: timerItem(replaced), ...guard } };
      else fired = this.timerMove(timer, to, guard);
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [...items, fired] }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async ensureCityTimer(timer: CityTimer): Promise<void> {
    await this.db
      .send(new PutCommand({ TableName: this.tableName, Item: timerItem(timer), ConditionExpression: 'attribute_not_exists(PK)' }))
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }

  /** The proposal put under its version, its events, and its timer puts/deletes (except `skipTimer`). */
  private changeWrites(c: TimerChange, expectedVersion: number, skipTimer?: string) {
    const full = envelope(c.next.id, expectedVersion, c.events);
    const stored = this.withLevel({ ...c.next, version: expectedVersion + full.length });
    const changes = timerChanges(c.previous, stored, this.schedule);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: proposalItem(stored),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      ...full.map((e) => ({ Put: { TableName: this.tableName, Item: eventItem(e), ConditionExpression: 'attribute_not_exists(PK)' } })),
      ...this.timerWrites(changes, stored.id, skipTimer),
    ];
    return { items, full, changes, stored };
  }

  private timerWrites({ put, remove }: TimerChanges, proposalId: string, skip?: string): TransactItem[] {
    return [
      ...put.filter((t) => t.obligationId !== skip).map((t) => ({ Put: { TableName: this.tableName, Item: timerItem(t) } })),
      ...remove.filter((id) => id !== skip).map((id) => ({ Delete: { TableName: this.tableName, Key: keys.timer(proposalId, id) } })),
    ];
  }

  private timerMove(timer: Timer, to: { step: number; nextAt?: string } | 'delete', guard: { ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> }): TransactItem {
    const Key = timerKey(timer);
    if (to === 'delete') return { Delete: { TableName: this.tableName, Key, ...guard } };
    const due = dueAttributes(timer, to.nextAt);
    return {
      Update: {
        TableName: this.tableName,
        Key,
        UpdateExpression: due ? 'SET step = :step, nextAt = :at, DUE_PK = :pk, DUE_SK = :sk' : 'SET step = :step REMOVE nextAt, DUE_PK, DUE_SK',
        ConditionExpression: guard.ConditionExpression,
        ExpressionAttributeValues: { ...guard.ExpressionAttributeValues, ':step': to.step, ...(due ? { ':at': to.nextAt, ':pk': due.DUE_PK, ':sk': due.DUE_SK } : {}) },
      },
    };
  }

  /** escalationLevel: the highest level the open obligations have reached when the change is made. */
  private withLevel(p: Proposal): Proposal {
    return { ...p, escalationLevel: escalationLevel(p, new Date(p.updatedAt), this.schedule) };
  }

  async events(id: string): Promise<DomainEvent[]> {
    const k = keys.eventsOf(id);
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': k.PK, ':prefix': k.skPrefix },
    });
    return items.map((i) => domainEventSchema.parse(i));
  }

  /** Every page of a Query (up to `limit` items), adding up the read capacity it reports. */
  private async queryAll(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
    limit = Infinity,
    onCapacity: (units: number) => void = () => undefined,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start, ...(Number.isFinite(limit) ? { Limit: limit - items.length } : {}) }),
      );
      onCapacity(out.ConsumedCapacity?.CapacityUnits ?? 0);
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && items.length < limit);
    return items;
  }
}

function envelope(proposalId: string, fromVersion: number, events: NewEvent[]): DomainEvent[] {
  return events.map((e, i) => {
    const seq = fromVersion + i + 1;
    return domainEventSchema.parse({ ...e, eventId: `${proposalId}:${seq}`, proposalId, seq });
  });
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

/** True when the counter's condition failed or conflicted (the other items are not at fault). */
function counterConflict(err: unknown): boolean {
  if (!(err instanceof TransactionCanceledException)) return false;
  const [counter, ...others] = err.CancellationReasons ?? [];
  return (counter?.Code === 'ConditionalCheckFailed' || counter?.Code === 'TransactionConflict') && others.every((r) => r.Code === 'None' || r.Code === undefined || r.Code === 'TransactionConflict');
}

function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  return err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
}

/**
 * DynamoDB refused an item over its 400 KB limit: "Item size has exceeded the maximum allowed size",
 * as a ValidationException (DynamoDB Local) or as a transaction's ValidationError cancellation reason.
 */
function isItemTooLarge(err: unknown): boolean {
  const tooLarge = (message: string | undefined) => /item size has exceeded/i.test(message ?? '');
  if (err instanceof TransactionCanceledException) return (err.CancellationReasons ?? []).some((r) => r.Code === 'ValidationError' && tooLarge(r.Message));
  return err instanceof Error && err.name === 'ValidationException' && tooLarge(err.message);
}
