/**
 * Import, export and the report endpoints on the real local stack, through the HTTP API only:
 * import with bad rows (each reported with row, field path and reason; the good rows land), a repeated
 * import creating nothing twice, export round-tripping through import, summary and annual report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../scripts/api-client.ts';
import { parseCsv, stringifyCsv } from '../../scripts/csv.ts';
import { importRecords, errorReport, readTable } from '../../scripts/import.ts';
import { writeXlsx } from '../../scripts/xlsx.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { exportCsv, fetchYear } from '../../scripts/export.ts';
import { toRow, toTable } from '../../scripts/proposal-table.ts';
import { startApi, type Api } from './support.ts';

let api: Api;
let client: ApiClient;
let firstImport: Awaited<ReturnType<typeof importRecords>>;
beforeAll(async () => {
  api = await startApi();
  client = new ApiClient(api.stack.urls.api);
});
afterAll(async () => {
  await api?.stack.stop();
});

const header = ['标题', '正文', '提案人', '类别', '重点提案', '备注'];
const sheet = [
  header,
  ['关于发展夜市经济的建议', '发展夜市，繁荣夜间消费。', '王丽(m-wang)<wangli@example.com>', '经济发展', '是', ''],
  ['关于充电桩建设的建议', '小区充电桩不足。', '李建国(m-nobody)<lijianguo@example.com>', '', '', ''],
  ['', '没有标题的正文。', '赵敏(m-zhao)<zhaomin@example.com>', '', '', ''],
  ['关于法律援助的建议', '扩大法律援助。', '张三 zhangsan@example.com', '', '', ''],
  ['', '', '', '', '', ''],
  [
    '关于养老服务的建议',
    '居家养老，"社区养老"服务，\n第二行：养老补贴。',
    '赵敏(m-zhao)<zhaomin@example.com>；孙强（m-sun）<sunqiang@example.com>',
    '社会民生',
    '否',
    '附注,含逗号',
  ],
  ['关于托育服务的建议', '婴幼儿托育。', 'm-wang；赵敏（m-zhao）', '', '也许', ''],
];
const csv = stringifyCsv(sheet);
const unitNames = { timeZone: 'Asia/Shanghai', unitName: (id: string) => id };

describe('import', () => {
  it('imports the good rows and reports each bad one with its row, field path and reason', async () => {
    const lines: string[] = [];
    const result = await importRecords(parseCsv(csv), client, { batchId: 'test-1', log: (l) => lines.push(l) });
    firstImport = result;
    expect(result.rows).toBe(6); // the blank row is skipped
    // Proposers by 委员编号 only (names and addresses from the directory); 重点提案 is not imported.
    expect(result.created.map((c) => c.row)).toEqual([2, 7, 8]);
    expect(result.errors).toEqual([
      { row: 3, field: 'proposers[0].memberId', reason: expect.stringContaining('委员名册中没有编号为 m-nobody') },
      { row: 4, field: 'title', reason: '不能为空' },
      { row: 5, field: '提案人[0]', reason: expect.stringContaining('姓名(委员编号) 或 委员编号') },
    ]);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^✓ \[1\/6\] 第2行：\d{4}-\d{3} 关于发展夜市经济的建议$/);
    expect(parseCsv(errorReport(result.errors))[1]).toEqual(['3', 'proposers[0].memberId', expect.stringContaining('m-nobody')]);

    const office = await client.token('office');
    const got = await client.call('GET', `/v1/proposals/${result.created[1]!.id}`, { token: office });
    expect(got.body).toMatchObject({
      title: '关于养老服务的建议',
      body: '居家养老，"社区养老"服务，\n第二行：养老补贴。',
      category: '社会民生',
      key: false,
      proposers: [
        { memberId: 'm-zhao', name: '赵敏', email: 'zhaomin@example.com' },
        { memberId: 'm-sun', name: '孙强', email: 'sunqiang@example.com' },
      ],
    });
  });

  it('importing the same file again creates nothing twice', async () => {
    const office = await client.token('office');
    const count = async () =>
      ((await client.call('GET', '/v1/proposals?limit=100', { token: office })).body as { items: unknown[] }).items.length;
    const before = await count();
    const again = await importRecords(parseCsv(csv), client, { batchId: 'test-1' });
    expect(again.created).toEqual(firstImport.created);
    expect(await count()).toBe(before);
  });

  it('stops at a header without the needed columns, naming them', async () => {
    const result = await importRecords(
      [
        ['标题', '内容'],
        ['x', 'y'],
      ],
      client,
      { batchId: 'test-2' },
    );
    expect(result.created).toEqual([]);
    expect(result.errors).toEqual([
      { row: 1, field: '正文', reason: '表头缺少此列' },
      { row: 1, field: '提案人', reason: '表头缺少此列' },
    ]);
  });
});

describe('export', () => {
  it('round-trips through import: the same submissions, assigned to the same units', async () => {
    await api.settle();
    const year = Number((await client.call('GET', '/_local/clock')).text.match(/"now":"(\d{4})/)?.[1]);
    const before = await fetchYear(client, year);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const exported = exportCsv(before, unitNames);
    expect(
      exported.startsWith(
        '\uFEFF案号,标题,正文,类别,重点提案,提案人,主办单位,协办单位,状态,答复类别,满意度,提交日期,答复日期,办结日期\r\n',
      ),
    ).toBe(true);

    const result = await importRecords(parseCsv(exported), client, { batchId: 'roundtrip' });
    expect(result.errors).toEqual([]);
    expect(result.created).toHaveLength(before.length);
    await api.settle();
    const after = await fetchYear(client, year);
    const copies = after.filter((p) => result.created.some((c) => c.id === p.id));
    const submitted = (p: (typeof before)[number]) => {
      const { 标题, 正文, 类别, 重点提案, 提案人, 主办单位, 协办单位 } = toRow(p, unitNames);
      return { 标题, 正文, 类别, 重点提案, 提案人, 主办单位, 协办单位 };
    };
    expect(copies.map(submitted)).toEqual(before.map(submitted));
  });

  it('writes XLSX that reads back to the same table', async () => {
    const year = Number((await client.call('GET', '/_local/clock')).text.match(/"now":"(\d{4})/)?.[1]);
    const table = toTable(await fetchYear(client, year), unitNames);
    const file = join(mkdtempSync(join(tmpdir(), 'xlsx-')), 'proposals.xlsx');
    try {
      await writeXlsx(table, file);
      expect(await readTable(file)).toEqual(table);
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });
});

describe('report endpoints', () => {
  it('summary: the year in figures for the office and leaders only; the year is validated', async () => {
    const office = await client.token('office');
    const year = Number((await client.call('GET', '/_local/clock')).text.match(/"now":"(\d{4})/)?.[1]);
    const all = await fetchYear(client, year);
    const res = await client.call('GET', `/v1/reports/summary?year=${year}`, { token: office });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      year,
      total: all.length,
      registered: all.length,
      closed: 0,
      answered: 0,
      completionRate: 0,
      replyRate: 0,
      classes: { A: 0, B: 0, C: 0, D: 0 },
      replyClasses: [
        expect.objectContaining({ code: 'A' }),
        expect.objectContaining({ code: 'B', followUp: true }),
        expect.anything(),
        expect.anything(),
      ],
    });
    // ../shared/API.md: the fixed names, onTimeRate as the alias of onTimeReplyRate; the assessment per unit.
    const body = res.body as Record<string, unknown> & { assessment: { unit: string; unitName: string; sources: unknown }[] };
    for (const k of [
      'onTimeReplyRate',
      'feedbackRate',
      'contactRate',
      'satisfactionRate',
      'faceToFaceRate',
      'officeReview',
      'bySector',
      'byTheme',
    ])
      expect(body).toHaveProperty(k);
    expect(body.onTimeRate).toBe(body.onTimeReplyRate);
    expect(body.assessment.find((a) => a.unit === 'commerce')).toMatchObject({
      unitName: '商务局',
      sources: { replyOnTime: { met: [], missed: [] } },
    });
    const byUnit = (res.body as { byUnit: { unit: string; unitName: string; assigned: number }[] }).byUnit;
    expect(byUnit.reduce((n, r) => n + r.assigned, 0)).toBe(all.filter((p) => p.lead).length);
    expect(byUnit.find((r) => r.unit === 'commerce')?.unitName).toBe('商务局');

    expect((await client.call('GET', `/v1/reports/summary?year=${year}`, { token: await client.token('leader') })).status).toBe(200);
    expect(
      (await client.call('GET', `/v1/reports/summary?year=${year}`, { token: await client.token('unit', { unit: 'commerce' }) })).status,
    ).toBe(403);
    const bad = await client.call('GET', '/v1/reports/summary?year=abc', { token: office });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ path: 'year' }] });
  });

  it('annual report as Markdown and as HTML', async () => {
    const office = await client.token('office');
    const md = await client.call('GET', '/v1/reports/annual?format=md', { token: office });
    expect(md.status).toBe(200);
    expect(md.contentType).toBe('text/markdown; charset=utf-8');
    expect(md.text).toContain('## 一、基本情况');
    expect(md.text).toContain('关于养老服务的建议');
    const html = await client.call('GET', '/v1/reports/annual?format=html', { token: office });
    expect(html.contentType).toBe('text/html; charset=utf-8');
    expect(html.text).toContain('<svg');
    expect((await client.call('GET', '/v1/reports/annual?format=pdf', { token: office })).status).toBe(400);
  });
});
