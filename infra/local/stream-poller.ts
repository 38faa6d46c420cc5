/**
 * Polls a DynamoDB stream and invokes a handler the way a Lambda event source mapping does:
 * event filter, batches of `batchSize` in shard order, `reportBatchItemFailures` (retry from the
 * first failed record), `retryAttempts`, `bisectBatchOnError` (halving does not use up retries), and
 * the on-failure destination once retries are exhausted. A thrown error fails the whole batch.
 * When DynamoDB fails, the poller pauses (0.5 s growing to 5 s) and logs each distinct error once.
 */
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesFilter, type FilterPattern } from './event-filter.ts';
import { toLambdaRecord } from './stream-image.ts';
import { failedItemIds } from './batch-response.ts';
import { errorPause } from './error-pause.ts';

export interface StreamTrigger {
  batchSize: number;
  retryAttempts: number;
  bisectBatchOnError: boolean;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  filterPatterns: readonly FilterPattern[];
}

/** What the on-failure destination receives (Lambda sends the batch info; `records` is local only). */
export interface StreamFailure {
  shardId: string;
  records: DynamoDBRecord[];
  attempts: number;
}

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  region: string;
  trigger: StreamTrigger;
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
  onFailure: (failure: StreamFailure) => Promise<void>;
  pollIntervalMs?: number;
  log?: (message: string, err: unknown) => void;
}

export interface StreamPoller {
  /** Completed poll cycles (one GetRecords per open shard each). */
  readonly cycles: number;
  /** Consecutive cycles that fetched no records and left nothing to do. */
  readonly quietCycles: number;
  /** Resolves once the shards are known and their iterators taken (LATEST starts from here). */
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

interface Shard {
  id: string;
  parentId: string | undefined;
  position: ShardIteratorType;
  iterator: string | undefined;
  started: boolean;
  done: boolean;
  lastSeq: string | undefined;
  buffer: DynamoDBRecord[];
  attempts: number;
  limit: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function startStreamPoller(opts: StreamPollerOptions): StreamPoller {
  const { client, streamArn, trigger, handler } = opts;
  const log = opts.log ?? ((m, e) => console.error(m, e));
  const shards = new Map<string, Shard>();
  // DynamoDB unreachable: pause 0.5 s growing to 5 s, and log each distinct error once.
  const pause = errorPause(log, 'stream poller error');
  let stopped = false;
  let cycles = 0;
  let quiet = 0;
  let refresh = true;

  let discovered = false;
  async function refreshShards(): Promise<void> {
    const first = !discovered;
    let start: string | undefined;
    do {
      const { StreamDescription: d } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      for (const s of d?.Shards ?? []) {
        if (!s.ShardId || shards.has(s.ShardId)) continue;
        // Shards found later are children of ones we read: read them from their start.
        const position = first ? trigger.startingPosition : 'TRIM_HORIZON';
        const base = { iterator: undefined, started: false, done: false, lastSeq: undefined, buffer: [], attempts: 0 };
        shards.set(s.ShardId, { ...base, id: s.ShardId, parentId: s.ParentShardId, position, limit: trigger.batchSize });
      }
      start = d?.LastEvaluatedShardId;
    } while (start);
    discovered = true;
  }

  async function iterator(shard: Shard): Promise<string | undefined> {
    const after = shard.lastSeq !== undefined;
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.id,
        ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : shard.position,
        SequenceNumber: shard.lastSeq,
      }),
    );
    return ShardIterator;
  }

  /** A closed shard is done once read; its children then show up in DescribeStream. */
  function close(shard: Shard): false {
    if (!shard.done) [shard.done, refresh] = [true, true];
    return false;
  }

  /** Fetches the next records of a shard into its buffer; true when any were fetched. */
  async function fetch(shard: Shard): Promise<boolean> {
    if (!shard.started) [shard.iterator, shard.started] = [await iterator(shard), true];
    if (!shard.iterator) return close(shard);
    let out;
    try {
      out = await client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }));
    } catch (err) {
      if (!(err instanceof ExpiredIteratorException || err instanceof TrimmedDataAccessException)) throw err;
      if (err instanceof TrimmedDataAccessException) [shard.lastSeq, shard.position] = [undefined, 'TRIM_HORIZON'];
      shard.iterator = await iterator(shard);
      return false;
    }
    shard.iterator = out.NextShardIterator;
    const records = (out.Records ?? []).map((r) => toLambdaRecord(r, streamArn, opts.region));
    shard.lastSeq = records.at(-1)?.dynamodb?.SequenceNumber ?? shard.lastSeq;
    // Filtered-out records count as processed.
    shard.buffer.push(...records.filter((r) => trigger.filterPatterns.some((p) => matchesFilter(p, r))));
    return records.length > 0;
  }

  /** Invokes the handler; the index of the first failed record, or -1 when all succeeded. */
  async function invoke(batch: DynamoDBRecord[]): Promise<number> {
    try {
      const ids = failedItemIds(await handler({ Records: batch }));
      if (ids === undefined) return 0;
      const indexes = ids.map((id) => batch.findIndex((r) => r.dynamodb?.SequenceNumber === id));
      return indexes.length === 0 ? -1 : indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
    } catch (err) {
      log('stream handler failed', err);
      return 0;
    }
  }

  async function processBatch(shard: Shard): Promise<void> {
    const batch = shard.buffer.slice(0, shard.limit);
    const failedAt = await invoke(batch);
    if (failedAt !== 0) {
      // Success, or partial: checkpoint before the first failed record and go on from there.
      shard.buffer.splice(0, failedAt < 0 ? batch.length : failedAt);
      [shard.attempts, shard.limit] = [0, trigger.batchSize];
      return;
    }
    if (trigger.bisectBatchOnError && batch.length > 1) {
      shard.limit = Math.ceil(batch.length / 2);
      return;
    }
    shard.attempts += 1;
    if (shard.attempts <= trigger.retryAttempts) return sleep(Math.min(50 * shard.attempts, 500));
    await opts.onFailure({ shardId: shard.id, records: batch, attempts: shard.attempts });
    shard.buffer.splice(0, batch.length);
    [shard.attempts, shard.limit] = [0, trigger.batchSize];
  }

  async function pollShard(shard: Shard): Promise<boolean> {
    const parent = shard.parentId ? shards.get(shard.parentId) : undefined;
    if (shard.done || (parent && !parent.done)) return false; // a child waits for its parent
    let fetched = shard.buffer.length > 0 || (await fetch(shard));
    while (shard.buffer.length > 0 && !stopped) {
      // Like Lambda's poller, read ahead while the handler runs: the last buffered batch is being
      // handled, so fetch what follows it now (appended to the buffer; batches stay in order).
      const ahead = shard.buffer.length <= shard.limit && shard.iterator ? fetch(shard) : undefined;
      ahead?.catch(() => undefined); // awaited below, after the batch
      await processBatch(shard);
      if (ahead) fetched = (await ahead) || fetched;
    }
    if (!shard.iterator && shard.started) close(shard);
    return fetched;
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      let busy = false;
      try {
        if (refresh || cycles % 20 === 0) {
          await refreshShards();
          refresh = false;
        }
        for (const shard of shards.values()) busy = (await pollShard(shard)) || busy;
        pause.ok();
      } catch (err) {
        busy = true; // not quiet: drain() must not take a failing poller for a settled one
        if (!stopped) await pause.after(err);
      }
      cycles += 1;
      quiet = busy ? 0 : quiet + 1;
      if (!busy) await sleep(opts.pollIntervalMs ?? 50);
    }
  }

  const started = (async () => {
    await refreshShards();
    for (const shard of shards.values()) [shard.iterator, shard.started] = [await iterator(shard), true];
    refresh = false;
  })();
  const running = started.then(loop, (err: unknown) => pause.after(err).then(loop));
  return {
    get cycles() {
      return cycles;
    },
    started,
    get quietCycles() {
      return quiet;
    },
    async stop() {
      stopped = true;
      pause.wake();
      await running;
    },
  };
}
