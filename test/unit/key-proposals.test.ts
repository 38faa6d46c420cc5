/**
 * The committee and key proposals in pure code: the city config's `review` (with `manual` still
 * read as `office`) and leaders named once; who sees what (a leader in charge of some units); the
 * decisions of shared/domain/key-proposals.ts on a proposal (no I/O).
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CityConfigError, loadCityConfigFile, parseCityConfig } from '#adapters/city-config-loader.ts';
import { canSee, withLeaderScope, type Identity } from '#domain/access.ts';
import { acknowledgeInstruction, instruct, pendingInstructions, returnToCommittee, reviewerOf, setKey } from '#domain/key-proposals.ts';
import { openObligations } from '#domain/obligations.ts';
import type { Proposal } from '#domain/proposal.ts';
import { WorkflowConflict, type Ctx } from '#domain/workflow.ts';

const minimal = (extra: Record<string, unknown> = {}, email: Record<string, unknown> = {}) => ({
  id: 'x',
  name: '某市',
  timeZone: 'Asia/Shanghai',
  aws: { account: '123456789012', region: 'ap-southeast-1' },
  email: { from: 'noreply@example.gov.cn', office: ['zfb@example.gov.cn'], ...email },
  units: [{ id: 'a', name: '甲局', email: ['a@example.gov.cn'] }],
  ...extra,
});
const parse = (cfg: unknown) => parseCityConfig(stringify(cfg), 'x.yaml');

describe('city config: review and leaders', () => {
  it('reads review auto (default), office, committee, and manual as office', () => {
    expect(parse(minimal()).review).toBe('auto');
    for (const [given, read] of [
      ['office', 'office'],
      ['manual', 'office'],
      ['committee', 'committee'],
    ])
      expect(parse(minimal({ review: given })).review).toBe(read);
    expect(reviewerOf(parse(minimal({ review: 'committee' })))).toBe('committee');
    expect(reviewerOf(loadCityConfigFile('infra/cities/alar.yaml'))).toBe('office'); // the sample city keeps its behaviour
    expect(() => parse(minimal({ review: 'mayor' }))).toThrow(CityConfigError);
  });

  it('refuses two leaders of one name (a key proposal names its leader by name)', () => {
    const leaders = [
      { name: '分管副市长', email: 'a@example.gov.cn' },
      { name: '分管副市长', email: 'b@example.gov.cn' },
    ];
    const err = (() => {
      try {
        parse(minimal({}, { leaders }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CityConfigError);
    expect((err as CityConfigError).problems).toEqual([expect.objectContaining({ path: 'email.leaders[1].name' })]);
  });
});

const at = '2026-03-02T01:00:00.000Z';
const ctx: Ctx = {
  at,
  actor: { role: 'office', sub: 'o' },
  due: () => '2026-03-09T15:59:59.999Z',
  replyWaitsForCoOpinions: true,
  maxRehandles: 1,
};
function proposal(over: Partial<Proposal> = {}): Proposal {
  const p: Proposal = {
    id: 'p1',
    number: '2026-001',
    year: 2026,
    seq: 1,
    title: '标题',
    body: '正文',
    key: false,
    instructions: [],
    proposers: [{ memberId: 'm-1', name: '王丽', email: 'w@example.com' }],
    submittedBy: { role: 'member', sub: 'm-1' },
    status: 'assigned',
    lead: 'commerce',
    leads: [],
    co: ['hrss'],
    matches: [],
    deadlines: {},
    escalationLevel: 0,
    units: { commerce: { role: 'lead', assignedAt: at }, hrss: { role: 'co', assignedAt: at } },
    contacts: [],
    partFollowUps: {},
    replies: [],
    feedback: [],
    mergedFrom: [],
    similar: [],
    reassignments: 0,
    rehandles: 0,
    calendarWarnings: [],
    supervisions: [],
    extensionRequests: [],
    version: 3,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
  return p;
}

describe('who sees what', () => {
  const leaders = [{ name: '分管副市长', units: ['commerce'] }, { name: '秘书长' }];
  const leader = (name?: string): Identity => withLeaderScope({ role: 'leader', sub: 'l', ...(name ? { leader: name } : {}) }, leaders);

  it('a leader in charge of some units sees their proposals and the key proposals they lead; others all', () => {
    const health = proposal({ lead: 'health', co: [], units: { health: { role: 'lead', assignedAt: at } } });
    expect(leader('分管副市长')).toEqual({ role: 'leader', sub: 'l', leader: '分管副市长', inCharge: ['commerce'] });
    expect(canSee(leader('分管副市长'), proposal())).toBe(true);
    expect(canSee(leader('分管副市长'), health)).toBe(false);
    expect(canSee(leader('分管副市长'), { ...health, key: true, leader: '分管副市长' })).toBe(true);
    expect(canSee(leader('秘书长'), health)).toBe(true);
    expect(canSee(leader(), health)).toBe(true);
    expect(canSee({ role: 'committee', sub: 'c' }, health)).toBe(true);
    // A scope never comes from the token: withLeaderScope replaces it.
    expect(withLeaderScope({ role: 'leader', sub: 'l', leader: '秘书长', inCharge: ['x'] }, leaders)).toEqual({
      role: 'leader',
      sub: 'l',
      leader: '秘书长',
    });
  });
});

describe('decisions', () => {
  it('setKey sets, moves and clears the 领办领导; the same again changes nothing', () => {
    const set = setKey(proposal(), ctx, true, '分管副市长');
    expect(set.next).toMatchObject({ key: true, leader: '分管副市长' });
    expect(set.events).toEqual([
      expect.objectContaining({ type: 'KeyProposalSet', data: { key: true, leader: '分管副市长', previous: { key: false } } }),
    ]);
    expect(setKey(set.next, ctx, true, '分管副市长').events).toEqual([]);
    const cleared = setKey(set.next, ctx, false);
    expect(cleared.next.key).toBe(false);
    expect(cleared.next.leader).toBeUndefined();
    expect(() => setKey(proposal({ status: 'rejected' }), ctx, true)).toThrow(WorkflowConflict);
  });

  it('a 批示 is owed by every assigned unit until each acknowledges it', () => {
    const p = setKey(proposal(), ctx, true, '分管副市长').next;
    expect(() => instruct(p, ctx, '秘书长', '请办理')).toThrow(WorkflowConflict);
    const given = instruct(p, ctx, '分管副市长', '请办理').next;
    expect(instruct(given, ctx, '分管副市长', '请办理').events).toEqual([]); // a repeat
    expect(openObligations(given).filter((o) => o.obligation === 'instruction')).toEqual([
      { id: 'instruction#1#commerce', obligation: 'instruction', unit: 'commerce', deadline: '2026-03-09T15:59:59.999Z' },
      { id: 'instruction#1#hrss', obligation: 'instruction', unit: 'hrss', deadline: '2026-03-09T15:59:59.999Z' },
    ]);
    const one = acknowledgeInstruction(given, ctx, 1, 'commerce').next;
    expect(pendingInstructions(one).map((i) => i.unit)).toEqual(['hrss']);
    expect(acknowledgeInstruction(one, ctx, 1, 'commerce').events).toEqual([]);
    expect(() => acknowledgeInstruction(one, ctx, 1, 'education')).toThrow(WorkflowConflict);
    expect(pendingInstructions(acknowledgeInstruction(one, ctx, 1, 'hrss').next)).toEqual([]);
  });

  it('returnToCommittee takes an assigned proposal back to submitted, its units and deadlines gone', () => {
    const d = returnToCommittee(proposal({ deadlines: { reply: at } }), ctx, '不属于政府职责');
    expect(d.next).toMatchObject({
      status: 'submitted',
      co: [],
      units: {},
      deadlines: {},
      committeeReturn: { reason: '不属于政府职责', at },
    });
    expect(d.next.lead).toBeUndefined();
    expect(d.events).toEqual([
      expect.objectContaining({
        type: 'ReturnedToCommittee',
        data: { reason: '不属于政府职责', previous: { lead: 'commerce', co: ['hrss'] } },
      }),
    ]);
    expect(() => returnToCommittee(proposal({ status: 'reply_review' }), ctx, 'x')).toThrow(WorkflowConflict);
  });
});
