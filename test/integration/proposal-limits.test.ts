/**
 * A proposal filled to its caps on the real local stack (DynamoDB Local, whose 400 KB item limit is
 * DynamoDB's): 20 proposers, the longest body, co-units' opinions at their longest, contacts until
 * the size rule refuses them (shared/domain/limits.ts) with a 413 in Chinese that changes nothing.
 * Then the longest reply, the office's approval, every proposer's rating with the longest comment and
 * the 跟踪落实 report are all saved: the item never reaches the limit, so nobody is stuck.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMax } from '#domain/limits.ts';
import { acceptCosigns, startApi, testMembers, type Api } from './support.ts';

const extra = Array.from({ length: 20 }, (_, i) => ({
  memberId: `m-cap-${i}`,
  name: `委员${i}`,
  email: `cap${i}@example.com`,
  sector: '经济界',
  active: true,
}));
const proposers = extra.map((m) => ({ memberId: m.memberId }));
const zh = (n: number) => '政'.repeat(n);

let api: Api;
let office: string;
beforeAll(async () => {
  api = await startApi({ members: [...testMembers, ...extra] });
  office = await api.token('office');
});
afterAll(async () => {
  await api?.stack.stop();
});

describe('a proposal filled to its caps, on DynamoDB Local', () => {
  it('refuses one more contact with a 413 that changes nothing; the office still approves and every proposer still rates', async () => {
    const ok = async (r: ReturnType<Api['call']>) => {
      const res = await r;
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      return res.body;
    };
    const text = '夜市管理，夜市停车场，食品安全，促进消费，扩大就业。';
    const first = await api.token('member', { memberId: 'm-cap-0' });
    const res = await api.call('POST', '/v1/proposals', {
      token: first,
      body: { title: '关于发展夜市经济促进消费和就业的建议', body: text + zh(20_000 - text.length), proposers },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id as string;
    await acceptCosigns(api, id, proposers);
    await api.settle();

    const co = ['market', 'health', 'transport'];
    await ok(api.call('POST', `/v1/proposals/${id}/assignment`, { token: office, body: { lead: 'commerce', co } }));
    const lead = await api.token('unit', { unit: 'commerce' });
    await ok(api.call('POST', `/v1/proposals/${id}/units/commerce/acknowledge`, { token: lead }));
    for (const c of co)
      await ok(
        api.call('POST', `/v1/proposals/${id}/units/${c}/opinion`, {
          token: await api.token('unit', { unit: c }),
          body: { text: zh(textMax.opinion) },
        }),
      );

    const contact = (i: number) => ({
      unit: 'commerce',
      mode: 'visit',
      at: `2026-03-02T10:${String(i).padStart(2, '0')}:00+08:00`,
      note: zh(textMax.contactNote),
    });
    let taken = 0;
    let refused: Awaited<ReturnType<Api['call']>> | undefined;
    for (let i = 0; i < 50 && !refused; i++) {
      const r = await api.call('POST', `/v1/proposals/${id}/contacts`, { token: lead, body: contact(i) });
      if (r.status === 200) taken++;
      else refused = r;
    }
    expect(taken).toBeGreaterThan(10);
    expect(refused?.status, JSON.stringify(refused?.body)).toBe(413);
    expect(refused?.body).toMatchObject({ status: 413, title: '提案记录已达上限' });
    expect(refused?.body.detail).toMatch(/400 KB 的存储上限.*联系记录/);
    const before = (await api.call('GET', `/v1/proposals/${id}`, { token: office })).body;
    expect((await api.call('POST', `/v1/proposals/${id}/contacts`, { token: lead, body: contact(59) })).status).toBe(413);
    const after = (await api.call('GET', `/v1/proposals/${id}`, { token: office })).body;
    expect([after.version, after.contacts.length]).toEqual([before.version, taken]);

    await ok(api.call('POST', `/v1/proposals/${id}/replies`, { token: lead, body: { class: 'B', text: zh(textMax.reply) } }));
    await ok(api.call('POST', `/v1/proposals/${id}/replies/1/approve`, { token: office }));
    for (const p of proposers) {
      const member = await api.token('member', { memberId: p.memberId });
      await ok(
        api.call('POST', `/v1/proposals/${id}/feedback`, {
          token: member,
          body: { n: 1, satisfaction: 'satisfied', comment: zh(textMax.ratingComment) },
        }),
      );
    }
    await ok(api.call('POST', `/v1/proposals/${id}/progress`, { token: lead, body: { text: zh(textMax.progress), resolved: true } }));
    const closed = (await api.call('GET', `/v1/proposals/${id}`, { token: office })).body;
    expect(closed.status).toBe('closed');
    expect(closed.feedback).toHaveLength(20);
    expect(closed.followUp).toMatchObject({ open: false });
    await api.settle();
  }, 120_000);
});
