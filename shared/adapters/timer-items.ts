/**
 * Timer items (定时器) on the single table: a proposal's timer at P#<id> / TIMER#<obligationId>, the
 * city's bulletin timer at CITY / TIMER#bulletin. DUE_PK / DUE_SK (the sparse `due` index) are set
 * only while the timer has a next step, so the sweep's Query sees exactly what can fire.
 * Also the transaction items that write them: a commit's puts and deletes (unconditional), and a
 * fired timer's move under the condition that it is still at the step it was read at.
 */
import * as z from '#shared/zod.ts';
import { CITY_PK, keys } from '#adapters/keys.ts';
import type { Timer, TimerChanges } from '#domain/timer-schedule.ts';
import type { FiredTimer } from '#domain/commit.ts';
import type { Obligation } from '#domain/workflow.ts';
import type { TransactItem } from '#adapters/dynamo-requests.ts';
import type { UnreadableTimer } from '#app/ports.ts';

/** Every obligation a timer may be about: a Record, so that one added to Obligation and left out here does not compile (its timers could not be read back). */
const knownObligations: Record<Obligation, true> = {
  acknowledge: true,
  objection: true,
  objectionDecision: true,
  replyReview: true,
  countersign: true,
  extensionDecision: true,
  contact: true,
  coOpinion: true,
  reply: true,
  feedback: true,
  rehandle: true,
  followUp: true,
  instruction: true,
};
const obligations = Object.keys(knownObligations) as [Obligation, ...Obligation[]];

const timerItemSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('obligation'),
      proposalId: z.string(),
      obligationId: z.string(),
      obligation: z.enum(obligations),
      unit: z.optional(z.string()),
      deadline: z.string(),
      key: z.boolean(),
      step: z.int(),
      nextAt: z.optional(z.string()),
    }),
    z.object({ kind: z.literal('city'), name: z.literal('bulletin'), step: z.int(), nextAt: z.optional(z.string()) }),
  ]),
);

export function timerKey(t: Timer): { PK: string; SK: string } {
  return t.kind === 'city' ? keys.cityTimer(t.name) : keys.timer(t.proposalId, t.obligationId);
}

/** The due-index attributes of a timer that fires at `nextAt` (none: not due ever). */
export function dueAttributes(t: Timer, nextAt: string | undefined): { DUE_PK: string; DUE_SK: string } | undefined {
  if (!nextAt) return undefined;
  return t.kind === 'city' ? keys.timerDue(nextAt, CITY_PK, t.name) : keys.timerDue(nextAt, t.proposalId, t.obligationId);
}

export function timerItem(t: Timer): Record<string, unknown> {
  return { ...timerKey(t), ...dueAttributes(t, t.nextAt), entity: 'timer', ...t };
}

export function parseTimerItem(item: Record<string, unknown>): Timer {
  return asTimer(timerItemSchema.parse(item));
}

function asTimer(t: z.output<typeof timerItemSchema>): Timer {
  if (t.kind === 'city') return t;
  const { unit, nextAt, ...rest } = t;
  return { ...rest, ...(unit ? { unit } : {}), ...(nextAt ? { nextAt } : {}) };
}

/**
 * An item of the due index: the timer it holds, or, when it does not parse (damaged, or written by
 * another version), what the sweep needs to log it and move it out of the way.
 */
export function readDueItem(item: Record<string, unknown>): { timer: Timer } | { unreadable: UnreadableTimer } {
  const parsed = timerItemSchema.safeParse(item);
  if (parsed.success) return { timer: asTimer(parsed.data) };
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const error = parsed.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
  return { unreadable: { key: { PK: text(item.PK), SK: text(item.SK) }, dueKey: text(item.DUE_SK), error } };
}

/** The due-index key of an item moved to fire at `nextAt` (the ids after the time stay). */
export function postponedDueKey(dueKey: string, nextAt: string): string {
  const ids = dueKey.indexOf('#');
  return `${nextAt}${ids < 0 ? '' : dueKey.slice(ids)}`;
}

/** The writes that put and delete a proposal's timers as a commit says. */
export function timerChangeItems(tableName: string, proposalId: string, { put, remove }: TimerChanges): TransactItem[] {
  return [
    ...put.map((t) => ({ Put: { TableName: tableName, Item: timerItem(t) } })),
    ...remove.map((id) => ({ Delete: { TableName: tableName, Key: keys.timer(proposalId, id) } })),
  ];
}

/** A fired timer's write (moved on, deleted, or replaced), only if it is still at the step it was read at. */
export function firedTimerItem(tableName: string, { timer, then }: FiredTimer): TransactItem {
  const guard = { ConditionExpression: 'step = :expected', ExpressionAttributeValues: { ':expected': timer.step } };
  const Key = timerKey(timer);
  if (then === 'delete') return { Delete: { TableName: tableName, Key, ...guard } };
  if ('put' in then) return { Put: { TableName: tableName, Item: timerItem(then.put), ...guard } };
  const due = dueAttributes(timer, then.nextAt);
  return {
    Update: {
      TableName: tableName,
      Key,
      UpdateExpression: due
        ? 'SET step = :step, nextAt = :at, DUE_PK = :pk, DUE_SK = :sk'
        : 'SET step = :step REMOVE nextAt, DUE_PK, DUE_SK',
      ConditionExpression: guard.ConditionExpression,
      ExpressionAttributeValues: {
        ...guard.ExpressionAttributeValues,
        ':step': then.step,
        ...(due ? { ':at': then.nextAt, ':pk': due.DUE_PK, ':sk': due.DUE_SK } : {}),
      },
    },
  };
}
