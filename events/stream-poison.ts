/**
 * A poison stream record (stream-poison queue, shared/wiring.ts): a record of the table stream the
 * reactor could not handle, set aside whole so the proposal's later records go on, and redriven by
 * `npm run redrive` (shared/adapters/sqs-redrive.ts; docs/operations.md, "Poison stream records").
 * Redriving needs only `table` and `key`: the item is still in the table (event items are the audit
 * trail), and the redrive marks it so the stream delivers it to the reactor again.
 */
import * as z from '#shared/zod.ts';

export const poisonRecordSchema = z.lazy(() =>
  z.object({
    /** The table the stream belongs to (from the record's source ARN). */
    table: z.string().check(z.minLength(1)),
    /** The item's key: P#<proposal id> / EVENT#<seq>, or NOTICE#<notice id> / NOTICE for a delivery report. */
    key: z.object({ PK: z.string().check(z.minLength(1)), SK: z.string().check(z.minLength(1)) }),
    /** What it is about, as far as the item says. */
    proposalId: z.optional(z.string()),
    /** The event type (DeliveryReport for a ledger item's report). */
    type: z.optional(z.string()),
    /** The event's sequence number within its proposal. */
    seq: z.optional(z.number()),
    /** The stream record's sequence number. */
    sequenceNumber: z.string(),
    /** How often the reactor tried it; the last error. */
    attempts: z.int(),
    error: z.string(),
    /** When it was set aside (wall time). */
    at: z.string(),
    /** The item as the stream delivered it; left out when it would not fit in a message. */
    item: z.optional(z.record(z.string(), z.unknown())),
  }),
);
export type PoisonRecord = z.output<typeof poisonRecordSchema>;
