/**
 * The member directory (委员名册) on the local stack (DynamoDB Local): the sample city's file seeded at
 * start (m-001 signs in), `npm run import:members` through the API with its per-row error report, the
 * directory's list and filters, a member made inactive locked out at once, and a submission whose
 * proposers' names and addresses come from the directory (a co-proposer asked to confirm by email).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../scripts/api-client.ts';
import { stringifyCsv, parseCsv } from '../../scripts/csv.ts';
import { importMemberRecords } from '../../scripts/import-members.ts';
import { errorReport } from '../../scripts/import.ts';
import { startApi, type Api } from './support.ts';

let api: Api;
let client: ApiClient;
beforeAll(async () => {
  api = await startApi();
  client = new ApiClient(api.stack.urls.api);
});
afterAll(async () => {
  await api?.stack.stop();
});

describe('委员名册 on DynamoDB Local', () => {
  it('holds the sample city’s directory from infra/cities/alar-members.csv: m-001 signs in by name', async () => {
    const me = await api.call('GET', '/v1/me', { token: await api.token('member', { memberId: 'm-001' }) });
    expect(me.status).toBe(200);
    expect(me.body.displayName).toBe('王丽');
    const office = await api.token('office');
    const list = await api.call('GET', '/v1/members?active=false', { token: office });
    expect(list.body.items.map((m: { memberId: string }) => m.memberId)).toEqual(['m-021']);
    expect(list.body.sectors).toEqual(expect.arrayContaining(['经济界', '少数民族界']));
  });

  it('imports a spreadsheet through the API, reporting each bad row; a re-import changes nothing', async () => {
    const sheet = [
      ['委员编号', '姓名', '界别', '党派', '手机', '电子邮箱', '届次', '在任'],
      ['m-500', '钱学明', '科学技术界', '九三学社', '13900000500', 'qian@example.com', '第十五届', '是'],
      ['m-501', '', '经济界', '', '', 'x@example.com', '', '是'],
      ['m-502', '冯晓', '教育界', '', '123', 'not-an-email', '', '否'],
      ['m-500', '钱学明', '科学技术界', '', '', '', '', ''],
      ['m 503', '卫东', '经济界', '', '', '', '', '也许'],
      ['', '', '', '', '', '', '', ''],
      ['m-504', '蒋华', '文化艺术界', '', '', 'jiang@example.com', '', '否'],
    ];
    const lines: string[] = [];
    const result = await importMemberRecords(parseCsv(stringifyCsv(sheet)), client, { log: (l) => lines.push(l) });
    expect(result.rows).toBe(6);
    expect(result.written).toEqual([
      { row: 2, memberId: 'm-500', created: true },
      { row: 8, memberId: 'm-504', created: true },
    ]);
    expect(result.errors).toEqual([
      { row: 3, field: '姓名', reason: '姓名不能为空' },
      { row: 4, field: '手机', reason: expect.stringContaining('手机号码') },
      { row: 4, field: '电子邮箱', reason: expect.stringContaining('电子邮箱') },
      { row: 5, field: '委员编号', reason: expect.stringContaining('与第2行') },
      { row: 6, field: '在任', reason: '“也许”应为 是 或 否' },
    ]);
    expect(lines[0]).toBe('✓ [1/6] 第2行：m-500 钱学明（新增）');
    expect(parseCsv(errorReport(result.errors))[1]).toEqual(['3', '姓名', '姓名不能为空']);

    const again = await importMemberRecords(parseCsv(stringifyCsv(sheet.slice(0, 2))), client);
    expect(again.written).toEqual([{ row: 2, memberId: 'm-500', created: false }]);
    const office = await api.token('office');
    const found = await api.call('GET', `/v1/members?q=${encodeURIComponent('钱')}`, { token: office });
    expect(found.body.items).toEqual([
      expect.objectContaining({ memberId: 'm-500', name: '钱学明', sector: '科学技术界', party: '九三学社', active: true }),
    ]);
  });

  it('a member made inactive is refused at once (403, Chinese); submissions take contact data from the directory', async () => {
    const office = await api.token('office');
    const m = await api.token('member', { memberId: 'm-500' });
    const body = {
      title: '关于科普进社区的建议',
      body: '科普活动进社区，提升科学素养。',
      proposers: [{ memberId: 'm-500' }, { memberId: 'm-001' }],
    };
    const res = await api.call('POST', '/v1/proposals', { token: m, body });
    expect(res.status).toBe(201);
    const p = await api.call('GET', `/v1/proposals/${res.body.id}`, { token: office });
    expect(p.body.proposers).toEqual([
      expect.objectContaining({ memberId: 'm-500', name: '钱学明', email: 'qian@example.com' }),
      expect.objectContaining({ memberId: 'm-001', name: '王丽', email: 'wangli@example.com', cosign: 'pending' }),
    ]);
    await api.settle();
    const asked = (await api.emails()).filter((e) => e.subject.includes('联名确认'));
    expect(asked.map((e) => e.to)).toEqual([['wangli@example.com']]);
    expect(asked[0]!.text).toContain(`/proposals/${res.body.id}`);

    const put = await api.call('PUT', '/v1/members/m-500', {
      token: office,
      body: { name: '钱学明', sector: '科学技术界', email: 'qian@example.com', active: false },
    });
    expect(put.status).toBe(200);
    const refused = await api.call('GET', '/v1/proposals', { token: m });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('已不在任');
  });
});
