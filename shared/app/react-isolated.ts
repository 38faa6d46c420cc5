/**
 * One stream record, isolated from the others (the reactor's use case around react() and
 * reactToDelivery()): a record that keeps failing must not hold up its proposal's later records.
 * 1. Run its reaction (which parses the item first). An error is tried again after a short pause,
 *    twice (the SDK has already retried throttling inside it); an item that does not parse is not
 *    tried again: it never will.
 * 2. Still failing: set the record aside whole on the poison queue (its key, proposal id, event
 *    type and seq, the item, the error), count it (EventsPoisoned, alarmed) and log it; the caller
 *    goes on with the next record. `npm run redrive` feeds it to the reactor again once fixed.
 * 3. The poison queue failing too: 'failed', and the caller reports the record (the stream source
 *    retries it, and at last gives its batch to the stream-failures queue).
 * Repeating is safe: every reaction is idempotent.
 */
import * as z from '#shared/zod.ts';
import type { PoisonRecord } from '#events/stream-poison.ts';
import type { AppState } from '#app/state.ts';
import { log } from '#shared/log.ts';

/** A record of the table stream, as the reactor got it. */
export interface StreamItem {
  /** The table (from the record's source ARN) and the item's key. */
  table: string;
  key: { PK: string; SK: string };
  sequenceNumber: string;
  /** The new image, unparsed. */
  item: Record<string, unknown>;
}

export type RecordOutcome = 'handled' | 'poisoned' | 'failed';

/** Pauses before the 2nd and 3rd tries. */
export const RETRY_PAUSES_MS = [50, 250];
/** A poison record larger than this leaves its item out (an SQS message holds 256 KB); redriving needs only the key. */
const MAX_MESSAGE_BYTES = 200_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function reactIsolated(
  s: Pick<AppState, 'poison' | 'metrics'>,
  record: StreamItem,
  reaction: () => Promise<void>,
  pausesMs: readonly number[] = RETRY_PAUSES_MS,
): Promise<RecordOutcome> {
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      await reaction();
      s.metrics.count('EventsHandled');
      return 'handled';
    } catch (err) {
      s.metrics.count('EventsFailed');
      const pause = pausesMs[attempts - 1];
      if (err instanceof z.$ZodError || pause === undefined) return setAside(s, poisonRecord(record, attempts, err));
      log.warn('reactor: record failed, trying again', { ...about(record), attempts, error: err });
      await sleep(pause);
    }
  }
}

async function setAside(s: Pick<AppState, 'poison' | 'metrics'>, poison: PoisonRecord): Promise<RecordOutcome> {
  const { item: _, ...fields } = poison;
  try {
    await s.poison.send(poison);
  } catch (err) {
    log.error('reactor: record failed and could not be set aside; the stream will retry it', { ...fields, sendError: err });
    return 'failed';
  }
  log.error('reactor: record set aside on the stream-poison queue; the proposal goes on (redrive: docs/operations.md)', fields);
  s.metrics.count('EventsPoisoned');
  return 'poisoned';
}

/** What the record is about, from the item (a domain event, or a ledger item's delivery report). */
function about({ item }: StreamItem): Pick<PoisonRecord, 'proposalId' | 'type' | 'seq'> {
  const type = typeof item.type === 'string' ? item.type : typeof item.report === 'string' ? 'DeliveryReport' : undefined;
  return {
    ...(typeof item.proposalId === 'string' ? { proposalId: item.proposalId } : {}),
    ...(type ? { type } : {}),
    ...(typeof item.seq === 'number' ? { seq: item.seq } : {}),
  };
}

function poisonRecord(record: StreamItem, attempts: number, err: unknown): PoisonRecord {
  const error =
    err instanceof z.$ZodError ? `does not parse: ${issues(err)}` : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const whole: PoisonRecord = {
    table: record.table,
    key: record.key,
    ...about(record),
    sequenceNumber: record.sequenceNumber,
    attempts,
    error,
    at: new Date().toISOString(),
    item: record.item,
  };
  if (new TextEncoder().encode(JSON.stringify(whole)).length <= MAX_MESSAGE_BYTES) return whole;
  const { item: _, ...withoutItem } = whole;
  return withoutItem;
}

const issues = (err: z.core.$ZodError) => err.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
