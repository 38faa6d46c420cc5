/**
 * Use cases of key proposals (重点提案) and the committee (提案委员会), over runCommand with the pure
 * decisions of shared/domain/key-proposals.ts. Each: check what the request names against the city
 * config (before reading the proposal), load the proposal as the caller may see it (`load`), run the
 * decision as a command, return the stored proposal.
 * - setKeyProposal (committee, office): `key`, and `leader` one of email.leaders[].name (400 naming
 *   `leader` otherwise; a leader with key false is refused as well);
 * - giveInstruction (leader): a 批示 by the leader the token names, on a key proposal they lead;
 * - acknowledgeInstructionFor (unit): the unit's acknowledgement of 批示 n;
 * - returnProposalToCommittee (office): only where the committee reviews (config `review: committee`).
 */
import type { Actor } from '#events/domain-events.ts';
import type { Identity } from '#domain/access.ts';
import type { Proposal } from '#domain/proposal.ts';
import { acknowledgeInstruction, instruct, returnToCommittee, reviewerOf, setKey } from '#domain/key-proposals.ts';
import { Conflict, Forbidden, InvalidInput } from '#app/errors.ts';
import { runCommand } from '#app/run-command.ts';
import type { AppState } from '#app/state.ts';

type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'schedule' | 'proposals'>;
type Load = () => Promise<Proposal>;

export type KeyInput = { key: boolean; leader?: string | undefined };

export async function setKeyProposal(s: Deps, load: Load, actor: Actor, { key, leader }: KeyInput): Promise<Proposal> {
  if (leader !== undefined && !key) throw new InvalidInput([{ path: 'leader', message: '只有重点提案才有领办领导：key 应为 true' }]);
  if (leader !== undefined && !s.config.email.leaders.some((l) => l.name === leader)) {
    const known = s.config.email.leaders.map((l) => l.name).join('、');
    throw new InvalidInput([{ path: 'leader', message: `没有名为「${leader}」的领导（本市的领导：${known || '无'}）` }]);
  }
  const p = await load();
  return runCommand(s, p.id, actor, (x, c) => setKey(x, c, key, leader), p);
}

export async function giveInstruction(s: Deps, load: Load, who: Identity, actor: Actor, text: string): Promise<Proposal> {
  const leader = who.role === 'leader' ? who.leader : undefined;
  if (!leader) throw new Forbidden('令牌中没有领导姓名（leader）：只有领办领导可以批示');
  const p = await load();
  if (p.leader !== leader) throw new Forbidden(`本提案的领办领导不是 ${leader}`);
  return runCommand(s, p.id, actor, (x, c) => instruct(x, c, leader, text), p);
}

export async function acknowledgeInstructionFor(s: Deps, load: Load, actor: Actor, n: number, unit: string): Promise<Proposal> {
  const p = await load();
  return runCommand(s, p.id, actor, (x, c) => acknowledgeInstruction(x, c, n, unit), p);
}

export async function returnProposalToCommittee(s: Deps, load: Load, actor: Actor, reason: string): Promise<Proposal> {
  const p = await load();
  if (reviewerOf(s.config) !== 'committee')
    throw new Conflict('本市由政府办公室自行审查提案，不能退回提案委员会，请改为不予立案', p.status);
  return runCommand(s, p.id, actor, (x, c) => returnToCommittee(x, c, reason), p);
}
