/**
 * BatchGetItem for any number of keys of one table: 100 keys a request, and the keys DynamoDB
 * leaves unprocessed (throttling, the 16 MB limit) asked again with a growing pause.
 * Items come back in no particular order; keys without an item are left out.
 * `coalescedGet` answers the single-item reads asked for in one turn of the event loop together.
 */
import { BatchGetCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchGetItem takes at most 100 keys. */
const BATCH_MAX = 100;
const MAX_UNPROCESSED_ROUNDS = 8;

interface ReadOptions {
  /** Attributes to return; must name the key attributes PK and SK when used with coalescedGet. */
  projection?: string;
  /** Strongly consistent reads (see a write that has just succeeded). */
  consistent?: boolean;
}

const readParams = (opts: ReadOptions) => ({
  ...(opts.projection ? { ProjectionExpression: opts.projection } : {}),
  ...(opts.consistent ? { ConsistentRead: true } : {}),
});

export async function batchGet(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  opts: ReadOptions = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const read = readParams(opts);
  for (let i = 0; i < keys.length; i += BATCH_MAX) {
    let ask = keys.slice(i, i + BATCH_MAX);
    for (let round = 0; ask.length > 0; round++) {
      if (round >= MAX_UNPROCESSED_ROUNDS) throw new Error(`BatchGetItem on ${tableName}: ${ask.length} key(s) left unprocessed`);
      if (round > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
      const out = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...ask], ...read } } }));
      items.push(...(out.Responses?.[tableName] ?? []));
      ask = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}

export type ItemKey = Record<'PK' | 'SK', string>;

type Waiter = { resolve: (item: Record<string, unknown> | undefined) => void; reject: (err: unknown) => void };

/**
 * A reader of single items whose reads asked for in one turn of the event loop (e.g. one per record
 * of a batch handled side by side) are answered together: one GetItem when there is one key, else
 * BatchGetItem. A key asked twice is read once. A failed read fails every read it answers.
 */
export function coalescedGet(
  db: DynamoDBDocumentClient,
  tableName: string,
  opts: ReadOptions = {},
): (key: ItemKey) => Promise<Record<string, unknown> | undefined> {
  type Entry = { key: ItemKey; waiters: Waiter[] };
  type Batch = Map<string, Entry>;
  let pending: Batch | undefined;
  const id = (k: { PK?: unknown; SK?: unknown }) => `${String(k.PK)}\u0000${String(k.SK)}`;

  async function answer(batch: Batch): Promise<void> {
    try {
      const asked = [...batch.values()].map((b) => b.key);
      const items =
        asked.length === 1
          ? [(await db.send(new GetCommand({ TableName: tableName, Key: asked[0], ...readParams(opts) }))).Item]
          : await batchGet(db, tableName, asked, opts);
      const found = new Map(items.flatMap((item) => (item ? [[id(item), item] as const] : [])));
      for (const [k, { waiters }] of batch) for (const w of waiters) w.resolve(found.get(k));
    } catch (err) {
      for (const { waiters } of batch.values()) for (const w of waiters) w.reject(err);
    }
  }

  return (key) =>
    new Promise((resolve, reject) => {
      if (!pending) {
        const batch = (pending = new Map<string, Entry>());
        queueMicrotask(() => {
          pending = undefined;
          void answer(batch);
        });
      }
      const k = id(key);
      const entry = pending.get(k);
      if (entry) entry.waiters.push({ resolve, reject });
      else pending.set(k, { key, waiters: [{ resolve, reject }] });
    });
}
