/**
 * Edges of the API on the real local stack (DynamoDB Local): list cursors (what they carry, and
 * those not from this list), a proposal grown past DynamoDB's 400 KB item limit, the local clock's range, and the local
 * runtime's own problem answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byId, startApi, sampleProposers, type Api } from './support.ts';

let api: Api;
let office: string;
beforeAll(async () => {
  api = await startApi();
  office = await api.token('office');
});
afterAll(async () => {
  await api?.stack.stop();
});

async function submit(title: string, body: string) {
  const member = await api.token('member', { memberId: sampleProposers[0]!.memberId });
  const res = await api.call('POST', '/v1/proposals', { token: member, body: { title, body, proposers: byId(sampleProposers) } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('list cursors', () => {
  it('answers a cursor that is not from this list with 400 naming cursor, never 500', async () => {
    await submit('关于夜市管理的建议', '夜市管理，夜市停车场。');
    await submit('关于托育服务的建议', '托育机构不足。');
    const first = await api.call('GET', '/v1/proposals?limit=1', { token: office });
    expect(first.status).toBe(200);
    const cursor = first.body.cursor as string;
    expect(cursor).toBeDefined();
    const year = first.body.items[0].year as number;
    expect((await api.call('GET', `/v1/proposals?limit=1&cursor=${cursor}`, { token: office })).status).toBe(200);

    const real = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const foreign = [
      'not base64 json',
      cursorOf({ a: 'b' }),
      cursorOf({ ...real, year: year - 1 }),
      cursorOf({ ...real, after: 'x' }),
      cursorOf({ ...real, after: 0 }),
      cursorOf({ ...real, after: 1.5 }),
      cursorOf({ ...real, extra: '1' }),
      cursorOf({ year }),
    ];
    for (const c of foreign) {
      const res = await api.call('GET', `/v1/proposals?cursor=${encodeURIComponent(c)}`, { token: office });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
    }
    // A real cursor used for another year's list.
    const other = await api.call('GET', `/v1/proposals?year=${year - 1}&cursor=${cursor}`, { token: office });
    expect(other.status, JSON.stringify(other.body)).toBe(400);
    expect(other.body.errors[0].path).toBe('cursor');
  });

  it('a cursor carries the year and the last case sequence read, no key or id, and pages over what the caller may not see', async () => {
    // The member's own proposals with another member's in between (hidden from the first member).
    const mine = await submit('关于社区食堂的建议', '社区食堂，老年助餐。');
    const stranger = [{ memberId: 'm-li', name: '李强', email: 'liqiang@example.com' }];
    const others = await api.call('POST', '/v1/proposals', {
      token: await api.token('member', { memberId: 'm-li' }),
      body: { title: '关于停车难的建议', body: '停车位不足。', proposers: byId(stranger) },
    });
    expect(others.status).toBe(201);
    const mine2 = await submit('关于公园照明的建议', '公园夜间照明不足。');
    const member = await api.token('member', { memberId: sampleProposers[0]!.memberId });
    const seen: string[] = [];
    let cursor: string | undefined;
    let after = 0;
    for (let page = 0; page < 50; page++) {
      const res = await api.call('GET', `/v1/proposals?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token: member });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const items = res.body.items as { id: string; year: number }[];
      seen.push(...items.map((p) => p.id));
      cursor = res.body.cursor as string | undefined;
      if (!cursor) break;
      const text = Buffer.from(cursor, 'base64url').toString('utf8');
      expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/); // no proposal id
      const decoded = JSON.parse(text) as { year: number; after: number };
      expect(Object.keys(decoded).sort()).toEqual(['after', 'year']);
      expect(decoded.year).toBe(items[0]!.year);
      expect(decoded.after).toBeGreaterThan(after);
      after = decoded.after;
    }
    expect(seen).toEqual(expect.arrayContaining([mine, mine2]));
    expect(seen).not.toContain(others.body.id);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('a proposal past the 400 KB item limit', () => {
  it('answers 413 with a Chinese message instead of 500, and keeps what was stored', async () => {
    const id = await submit('关于发展夜市经济促进消费和就业的建议', '夜市管理，夜市停车场，食品安全，促进消费，扩大就业。');
    await api.settle();
    const p = (await api.call('GET', `/v1/proposals/${id}`, { token: office })).body;
    expect(p.status).toBe('assigned');
    const lead = await api.token('unit', { unit: p.lead });
    expect((await api.call('POST', `/v1/proposals/${id}/units/${p.lead}/acknowledge`, { token: lead })).status).toBe(200);
    for (const co of p.co as string[]) {
      const res = await api.call('POST', `/v1/proposals/${id}/units/${co}/opinion`, {
        token: await api.token('unit', { unit: co }),
        body: { text: '同意。' },
      });
      expect(res.status).toBe(200);
    }
    const text = '答'.repeat(20_000); // 60 KB in UTF-8: the longest reply allowed
    let res: Awaited<ReturnType<Api['call']>> | undefined;
    for (let n = 1; n <= 10; n++) {
      res = await api.call('POST', `/v1/proposals/${id}/replies`, { token: lead, body: { class: 'A', text } });
      if (res.status !== 200) break;
      expect(
        (await api.call('POST', `/v1/proposals/${id}/replies/${n}/return`, { token: office, body: { reason: '请补充。' } })).status,
      ).toBe(200);
    }
    expect(res?.status, JSON.stringify(res?.body).slice(0, 300)).toBe(413);
    // The size rule (shared/domain/limits.ts) answers before DynamoDB would refuse the item.
    expect(res?.body).toMatchObject({ status: 413, title: '提案记录已达上限' });
    expect(res?.body.detail).toMatch(/400 KB/);
    const after = (await api.call('GET', `/v1/proposals/${id}`, { token: office })).body;
    expect(after.status).toBe('in_progress');
    expect(after.replies.length).toBeGreaterThan(3);
  });
});

describe('the local clock', () => {
  it('refuses a move out of range with 400 in Chinese and keeps running', async () => {
    const before = Date.parse((await api.call('GET', '/_local/clock')).body.now);
    for (const body of [{ advance: 'P100000000D' }, { advance: 'P100000D' }, { set: '1999-12-31T00:00:00+08:00' }]) {
      const res = await api.call('POST', '/_local/clock', { body });
      expect(res.status).toBe(400);
      expect(res.body.title).toBe('请求无效');
      expect(res.body.detail).toMatch(/时钟只能在 2000 年至 2199 年之间/);
    }
    const now = Date.parse((await api.call('GET', '/_local/clock')).body.now);
    expect(now - before).toBeGreaterThanOrEqual(0);
    expect(now - before).toBeLessThan(60_000);
    expect((await api.call('GET', '/v1/proposals', { token: office })).status).toBe(200);
  });
});

describe("the local runtime's own problems", () => {
  it('answers in Chinese with the api problem types', async () => {
    const cases = [
      { res: await api.call('GET', '/v1/proposals'), status: 401, title: '未认证' },
      { res: await api.call('GET', '/_local/token?role=nobody'), status: 400, title: '请求无效' },
      { res: await api.call('GET', '/_local/nothing'), status: 404, title: '未找到' },
      {
        res: await api.call('POST', '/v1/proposals', { token: office, raw: 'x'.repeat(1024 * 1024 + 1) }),
        status: 413,
        title: '请求体过大',
      },
    ];
    for (const { res, status, title } of cases) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: `https://proposals.example/problems/${status}`, title, status });
    }
  });
});
