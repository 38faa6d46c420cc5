/**
 * The proposal store's reads (a proposal, its events, a named counter), apart from its writes
 * (dynamo-store.ts, which extends it): the reports function reads only, so it builds this and its
 * bundle carries none of the write path (transactions, timer items, case numbers). A write asked of
 * it is a wiring bug, said so.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { domainEventSchema, type DomainEvent } from '#events/domain-events.ts';
import { proposalSchema, type Proposal } from '#domain/proposal.ts';
import type { Commit } from '#domain/commit.ts';
import { coalescedGet, type ItemKey } from '#adapters/batch-get.ts';
import { keys } from '#adapters/keys.ts';
import { queryAll } from '#adapters/dynamo-requests.ts';
import type { ProposalStore } from '#app/ports.ts';

export class DynamoProposalReader implements ProposalStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {
    this.read = coalescedGet(db, tableName, { consistent: true });
  }

  private readonly read: (key: ItemKey) => Promise<Record<string, unknown> | undefined>;

  /** Strongly consistent; the reads asked for in one turn (a batch's proposals handled side by side) share one request. */
  async get(id: string): Promise<Proposal | undefined> {
    const item = await this.read(keys.proposal(id));
    return item ? proposalSchema.parse(item) : undefined;
  }

  async counterValue(name: string): Promise<number> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.namedCounter(name), ConsistentRead: true }));
    return typeof out.Item?.seq === 'number' ? out.Item.seq : 0;
  }

  async events(id: string): Promise<DomainEvent[]> {
    const k = keys.eventsOf(id);
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': k.PK, ':prefix': k.skPrefix },
    });
    return items.map((i) => domainEventSchema.parse(i));
  }

  create(_year: number, _build: (seq: number) => Commit): Promise<Commit> {
    return Promise.reject(
      new Error('this proposal store only reads (shared/adapters/dynamo-proposal-reader.ts): a write here is a wiring bug'),
    );
  }

  save(_c: Commit): Promise<void> {
    return Promise.reject(
      new Error('this proposal store only reads (shared/adapters/dynamo-proposal-reader.ts): a write here is a wiring bug'),
    );
  }
}
