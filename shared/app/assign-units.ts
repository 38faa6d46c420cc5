/**
 * 交办 / 调整承办单位 by the office: the lead unit (主办) and the co-units (协办) of a proposal.
 * Steps:
 * 1. check that every unit named is one of the city's (each unknown one named by its field: `lead`,
 *    `leads[i]`, `co[i]`), before the proposal is even read; `leads` (分办): further lead units, each
 *    answering its own part (a unit named as a lead and a co-unit is a lead);
 * 2. load the proposal, as the caller may see it (`load`);
 * 3. run the assignment (shared/domain/workflow.ts `assign`: a first assignment, or a change of units
 *    that also settles open objections) as a command; return the stored proposal.
 */
import type { Actor } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import { assign } from '#domain/workflow.ts';
import { InvalidInput } from '#app/errors.ts';
import { runCommand } from '#app/run-command.ts';
import type { AppState } from '#app/state.ts';

/** `leads` (分办): further lead units, each answering its own part. */
export type AssignmentInput = { lead: string; co: string[]; leads?: string[] | undefined; reason?: string | undefined };
type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'schedule' | 'proposals'>;

export async function assignUnits(
  s: Deps,
  load: () => Promise<Proposal>,
  actor: Actor,
  { lead, co, leads = [], reason }: AssignmentInput,
): Promise<Proposal> {
  const known = (u: string) => s.config.units.some((x) => x.id === u);
  const named = [
    { path: 'lead', unit: lead },
    ...leads.map((unit, i) => ({ path: `leads[${i}]`, unit })),
    ...co.map((unit, i) => ({ path: `co[${i}]`, unit })),
  ];
  const unknown = named.filter((x) => !known(x.unit));
  if (unknown.length) throw new InvalidInput(unknown.map((x) => ({ path: x.path, message: `没有编号为 ${x.unit} 的承办单位` })));
  const p = await load();
  return runCommand(s, p.id, actor, (x, c) => assign(x, c, lead, co, reason, leads), p);
}
