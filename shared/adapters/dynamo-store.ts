/**
 * ProposalStore and NoticeLedger on the DynamoDB single table. Keys come from keys.ts only.
 * Every state change is one TransactWriteItems: the proposal under a version condition plus the
 * event items (attribute_not_exists), so the stream sees each event exactly when its state is stored.
 */
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { domainEventSchema, type DomainEvent, type NewEvent } from '#events/domain-events.ts';
import { proposalSchema, type Proposal } from '#domain/proposal.ts';
import { keys } from '#adapters/keys.ts';
import { VersionConflict, type NoticeLedger, type ProposalStore } from '#app/ports.ts';

const MAX_COUNTER_RETRIES = 20;

export class DynamoProposalStore implements ProposalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(year: number, build: (seq: number) => { proposal: Proposal; events: NewEvent[] }) {
    for (let attempt = 0; attempt < MAX_COUNTER_RETRIES; attempt++) {
      const counter = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.counter(year), ConsistentRead: true }));
      const current = typeof counter.Item?.seq === 'number' ? counter.Item.seq : 0;
      const { proposal, events } = build(current + 1);
      const full = envelope(proposal.id, 0, events);
      const stored = { ...proposal, version: full.length };
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
            ],
          }),
        );
        return { proposal: stored, events: full };
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        // Another submission took this number first: read the counter again.
      }
    }
    throw new Error(`could not allocate a case number for ${year} after ${MAX_COUNTER_RETRIES} attempts`);
  }

  async get(id: string): Promise<Proposal | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.proposal(id), ConsistentRead: true }));
    return out.Item ? proposalSchema.parse(out.Item) : undefined;
  }

  async save(proposal: Proposal, expectedVersion: number, events: NewEvent[]): Promise<DomainEvent[]> {
    const full = envelope(proposal.id, expectedVersion, events);
    const stored = { ...proposal, version: expectedVersion + full.length };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: proposalItem(stored),
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
            ...full.map((e) => ({ Put: { TableName: this.tableName, Item: eventItem(e), ConditionExpression: 'attribute_not_exists(PK)' } })),
          ],
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new VersionConflict(proposal.id);
      throw err;
    }
    return full;
  }

  async events(id: string): Promise<DomainEvent[]> {
    const k = keys.eventsOf(id);
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': k.PK, ':prefix': k.skPrefix },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items.map((i) => domainEventSchema.parse(i));
  }
}

export class DynamoNoticeLedger implements NoticeLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(noticeId: string, now: Date, leaseMs: number): Promise<'claimed' | 'sent' | 'busy'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notice(noticeId),
          UpdateExpression: 'SET #state = :sending, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(PK) OR (#state = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending', ':until': now.getTime() + leaseMs, ':now': now.getTime() },
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.notice(noticeId), ConsistentRead: true }));
      return out.Item?.state === 'sent' ? 'sent' : 'busy';
    }
  }

  async markSent(noticeId: string, result: { messageId: string; to: string[]; at: string }): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.notice(noticeId), state: 'sent', ...result } }));
  }

  async release(noticeId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.notice(noticeId),
        ConditionExpression: '#state = :sending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sending': 'sending' },
      }),
    ).catch((err: unknown) => {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    });
  }
}

function envelope(proposalId: string, fromVersion: number, events: NewEvent[]): DomainEvent[] {
  return events.map((e, i) => {
    const seq = fromVersion + i + 1;
    return domainEventSchema.parse({ ...e, eventId: `${proposalId}:${seq}`, proposalId, seq });
  });
}

function proposalItem(p: Proposal): Record<string, unknown> {
  return { ...keys.proposal(p.id), ...keys.proposalIndex(p.year, p.number), entity: 'proposal', ...p };
}

function eventItem(e: DomainEvent): Record<string, unknown> {
  return { ...keys.event(e.proposalId, e.seq), entity: 'event', ...e };
}

function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  return err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
}
