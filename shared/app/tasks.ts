/**
 * 我的待办: what the caller owes across the year's proposals, most urgent first.
 * 1. page through the year's proposals (the caller's scope, as the list);
 * 2. each proposal's tasks for this caller (shared/domain/actions.ts), named in Chinese;
 * 3. sort by urgency: overdue, then within the reminder window, then by deadline.
 */
import type { Identity } from '#domain/access.ts';
import { byUrgency, tasksOf, type Task, type TaskKind } from '#domain/actions.ts';
import { unitNames } from '#domain/city-config.ts';
import { reviewerOf } from '#domain/key-proposals.ts';
import { obligationNames } from '#domain/glossary.ts';
import type { AppState } from '#app/state.ts';
import { listProposals } from '#app/list-proposals.ts';

const names: Record<Exclude<TaskKind, 'supervise'>, string> = {
  ...obligationNames,
  review: '审查立案',
  assign: '交办',
  approveReply: '审核答复',
  signReply: '签发答复',
  cosign: '联名确认',
};

export type NamedTask = Task & { name: string; unitName?: string };

export function taskName(t: Task): string {
  if (t.task === 'supervise') return `督办：${t.obligation ? obligationNames[t.obligation] : ''}`;
  return names[t.task];
}

export async function myTasks(
  s: Pick<AppState, 'index' | 'clock' | 'calendar' | 'schedule' | 'config'>,
  who: Identity,
  year?: number,
): Promise<NamedTask[]> {
  const now = s.clock.now();
  const unitName = unitNames(s.config);
  const policy = { reviewer: reviewerOf(s.config) };
  const out: NamedTask[] = [];
  let cursor: string | undefined;
  do {
    const page = await listProposals(s, who, { limit: 100, ...(year ? { year } : {}), ...(cursor ? { cursor } : {}) });
    for (const p of page.items)
      for (const t of tasksOf(p, who, now, s.schedule, policy))
        out.push({ ...t, name: taskName(t), ...(t.unit ? { unitName: unitName(t.unit) } : {}) });
    cursor = page.cursor;
  } while (cursor);
  return out.sort(byUrgency);
}
