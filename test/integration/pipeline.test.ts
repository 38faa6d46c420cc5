/**
 * The pipeline on the real local emulators: submit -> stream -> reactor registers and assigns by
 * keyword -> notices queue -> mailer -> SES emulator; and bad input answered 4xx with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byId, startApi, sampleProposers, type Api } from './support.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.stack.stop();
});

const nightMarket = {
  title: '关于发展夜市经济促进消费的建议',
  body: '建议规范夜市管理，完善夜市周边停车场和公交线路，加强食品安全检查，带动就业。',
  proposers: byId(sampleProposers),
};

describe('submit -> assignment email', () => {
  it('assigns by keyword and emails each unit once, in Chinese, with HTML and text', async () => {
    const member = await api.token('member', { memberId: 'm-wang' });
    const res = await api.call('POST', '/v1/proposals', { token: member, body: nightMarket });
    expect(res.status).toBe(201);
    expect(res.body.number).toMatch(/^\d{4}-\d{3}$/);
    expect(res.body.status).toBe('submitted');
    await api.settle();

    const got = await api.call('GET', `/v1/proposals/${res.body.id}`, { token: member });
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('assigned');
    expect(got.body.lead).toBe('commerce');
    // Why these units (the keywords) is the office's to see, not the member's (docs/access.md).
    expect(got.body.matchedKeywords).toEqual([]);
    const asOffice = await api.call('GET', `/v1/proposals/${res.body.id}`, { token: await api.token('office') });
    expect(asOffice.body.matchedKeywords[0]).toMatchObject({ unit: 'commerce' });
    expect(asOffice.body.matchedKeywords[0].keywords).toContain('夜市');
    expect(got.body.deadlines.acknowledge).toBeDefined();

    const mails = (await api.emails()).filter((m) => m.subject.includes(res.body.number));
    const units = [got.body.lead, ...got.body.co];
    expect(mails).toHaveLength(units.length);
    const lead = mails.find((m) => m.to.includes('swj@example.gov.cn'));
    expect(lead?.subject).toContain('交办通知');
    expect(lead?.text).toContain('主办');
    expect(lead?.html).toContain('<');
  });

  it('sends a proposal nobody matches to triage and tells the office', async () => {
    const office = await api.token('office');
    const res = await api.call('POST', '/v1/proposals', {
      token: office,
      body: { title: '一点想法', body: '希望多关心。', proposers: byId(sampleProposers) },
    });
    await api.settle();
    const got = await api.call('GET', `/v1/proposals/${res.body.id}`, { token: office });
    expect(got.body.status).toBe('triage');
    const mails = (await api.emails()).filter((m) => m.subject.includes(res.body.number));
    expect(mails.map((m) => m.to)).toEqual([['zhengfuban@example.gov.cn']]);
    expect(mails[0]?.subject).toContain('待人工交办');
  });
});

describe('bad input changes nothing', () => {
  async function countAll() {
    const office = await api.token('office');
    const list = await api.call('GET', '/v1/proposals?limit=100', { token: office });
    return { proposals: list.body.items.length as number, emails: (await api.emails()).length };
  }

  it('answers every kind of bad request with 4xx problem+json naming the fields', async () => {
    const member = await api.token('member', { memberId: 'm-wang' });
    const before = await countAll();

    const invalidJson = await api.call('POST', '/v1/proposals', {
      token: member,
      raw: '{"title": 标题',
      headers: { 'content-type': 'application/json' },
    });
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.headers.get('content-type')).toContain('application/problem+json');
    expect(invalidJson.body.errors[0].path).toBe('(body)');

    const missing = await api.call('POST', '/v1/proposals', { token: member, body: { title: '' } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body', 'proposers', 'title']);

    const wrong = await api.call('POST', '/v1/proposals', {
      token: member,
      body: { title: 5, body: '内容', proposers: [{ memberId: 'm-wang', name: '王丽', email: 'not-an-email' }], key: 'yes', extra: 1 },
    });
    expect(wrong.status).toBe(400);
    const paths = wrong.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['title', 'proposers[0].email', 'key']));
    expect(wrong.body.errors.find((e: { path: string }) => e.path === 'proposers[0].email').message).toContain('委员名册');

    const huge = await api.call('POST', '/v1/proposals', { token: member, body: { ...nightMarket, body: '长'.repeat(400_000) } });
    expect(huge.status).toBe(413);

    const noToken = await api.call('POST', '/v1/proposals', { body: nightMarket });
    expect(noToken.status).toBe(401);

    const unit = await api.token('unit', { unit: 'commerce' });
    const wrongRole = await api.call('POST', '/v1/proposals', { token: unit, body: nightMarket });
    expect(wrongRole.status).toBe(403);

    const notMine = await api.call('POST', '/v1/proposals', {
      token: member,
      body: { ...nightMarket, proposers: [{ memberId: 'm-other' }] },
    });
    expect(notMine.status).toBe(400);

    const badId = await api.call('GET', '/v1/proposals/not-an-id', { token: member });
    expect(badId.status).toBe(400);
    const unknownPath = await api.call('GET', '/v1/nothing', { token: member });
    expect(unknownPath.status).toBe(404);

    await api.settle();
    expect(await countAll()).toEqual(before);
  });

  it('publishes the OpenAPI document generated from the schemas', async () => {
    const res = await api.call('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const post = res.body.paths['/v1/proposals'].post;
    expect(post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['title', 'body', 'proposers']));
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/proposals/{id}/replies/{n}/approve', '/v1/feedback']));
  });
});
