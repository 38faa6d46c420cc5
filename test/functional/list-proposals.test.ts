/** The scoped proposal list: filters and cursor paging that never skips or repeats an item. */
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { listProposals } from '#app/list-proposals.ts';
import { react } from '#app/react.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const office = { role: 'office' as const, sub: 'o' };

async function seeded() {
  const f = fakeState(config);
  const texts = ['夜市管理', '托育服务', '夜市消费', '一点想法', '夜市食品', '法律援助'];
  for (const [i, t] of texts.entries()) {
    const memberId = i % 2 ? 'm-b' : 'm-a';
    await submitProposal(
      f.state,
      { title: `关于${t}的建议`, body: `${t}，${t}。`, proposers: [{ memberId, name: '委员', email: `${memberId}@example.com` }] },
      { role: 'member', sub: memberId },
    );
  }
  for (let i = 0; i < f.proposals.eventLog.length; i++) await react(f.state, f.proposals.eventLog[i]!);
  return f;
}

describe('listProposals', () => {
  it('pages with a cursor through every matching item exactly once', async () => {
    const f = await seeded();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listProposals(f.state, office, { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p) => p.number));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(['2026-001', '2026-002', '2026-003', '2026-004', '2026-005', '2026-006']);
  });

  it('filters by unit and status and scopes members to their own', async () => {
    const f = await seeded();
    const commerce = await listProposals(f.state, office, { limit: 10, unit: 'commerce' });
    expect(commerce.items.map((p) => p.title)).toEqual(['关于夜市管理的建议', '关于夜市消费的建议', '关于夜市食品的建议']);
    const triage = await listProposals(f.state, office, { limit: 10, status: 'triage' });
    expect(triage.items.map((p) => p.title)).toEqual(['关于一点想法的建议']);
    const mine = await listProposals(f.state, { role: 'member', sub: 'm-b', memberId: 'm-b' }, { limit: 10 });
    expect(mine.items.map((p) => p.number)).toEqual(['2026-002', '2026-004', '2026-006']);
    const unitView = await listProposals(f.state, { role: 'unit', sub: 'u', unit: 'justice' }, { limit: 10 });
    expect(unitView.items.every((p) => p.lead === 'justice' || p.co.includes('justice'))).toBe(true);
    expect(unitView.items).toHaveLength(1);
    const overdue = await listProposals(f.state, office, { limit: 10, overdue: 'true' });
    expect(overdue.items).toEqual([]);
    f.clock.advance(40 * 86_400_000); // past the 签收 deadlines
    expect((await listProposals(f.state, office, { limit: 10, overdue: 'true' })).items.length).toBe(5);
  });
});
