/**
 * ProposalStore on the DynamoDB single table (the NoticeLedger is in dynamo-notice-ledger.ts). Keys come from keys.ts only.
 * Every state change is one TransactWriteItems: the proposal under a version condition plus the
 * event items (attribute_not_exists), so the stream sees each event exactly when its state is stored.
 * The same transaction keeps the proposal's timers in step with its open obligations (timer-items.ts):
 * a new or changed obligation puts its timer, a fulfilled one deletes it.
 */
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { table } from '#infra/wiring.ts';
import { domainEventSchema, type DomainEvent, type NewEvent } from '#events/domain-events.ts';
import { proposalSchema, type Proposal } from '#domain/proposal.ts';
import { keys, TIMER_PREFIX } from '#adapters/keys.ts';
import { dueAttributes, parseTimerItem, timerItem, timerKey } from '#adapters/timer-items.ts';
import { escalationLevel, timerChanges, type CityTimer, type ProposalTimer, type Timer, type TimerChanges, type TimerSchedule } from '#domain/timer-schedule.ts';
import { VersionConflict, type ProposalStore, type TimerChange } from '#app/ports.ts';
import { Busy } from '#app/errors.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const MAX_COUNTER_RETRIES = 20;

export class DynamoProposalStore implements ProposalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The city's reminder and escalation policy on its calendar: what the timers fire when. */
    private readonly schedule: TimerSchedule,
  ) {}

  async create(year: number, build: (seq: number) => { proposal: Proposal; events: NewEvent[] }) {
    for (let attempt = 0; attempt < MAX_COUNTER_RETRIES; attempt++) {
      const counter = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.counter(year), ConsistentRead: true }));
      const current = typeof counter.Item?.seq === 'number' ? counter.Item.seq : 0;
      const { proposal, events } = build(current + 1);
      const full = envelope(proposal.id, 0, events);
      const stored = this.withLevel({ ...proposal, version: full.length });
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
                  ExpressionAttributeValues: current === 0 ? { ':next': current + 1 } : { ':next': current + 1, ':current': current },
                },
              },
              { Put: { TableName: this.tableName, Item: proposalItem(stored), ConditionExpression: 'attribute_not_exists(PK)' } },
              ...full.map((e) => ({ Put: { TableName: this.tableName, Item: eventItem(e), ConditionExpression: 'attribute_not_exists(PK)' } })),
              ...this.timerWrites(timerChanges(undefined, stored, this.schedule), stored.id),
            ],
          }),
        );
        return { proposal: stored, events: full };
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        // Another submission took this number first: wait a little (jittered, growing) and read again.
        await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
      }
    }
    throw new Busy(`too many submissions at once for ${year}: could not allocate a case number, try again`);
  }

  async get(id: string): Promise<Proposal | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.proposal(id), ConsistentRead: true }));
    return out.Item ? proposalSchema.parse(out.Item) : undefined;
  }

  async save(proposal: Proposal, expectedVersion: number, events: NewEvent[], previous?: Proposal): Promise<DomainEvent[]> {
    const before = previous ?? (await this.get(proposal.id));
    if (!before || before.version !== expectedVersion) throw new VersionConflict(proposal.id);
    const { items, full } = this.changeWrites({ previous: before, next: proposal, events }, expectedVersion);
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (isConditionFailure(err)) throw new VersionConflict(proposal.id);
      throw err;
    }
    return full;
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
    return { items, full, changes };
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

function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  return err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
}
