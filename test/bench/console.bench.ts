/**
 * The console's numbers (issue 17): (a) the JavaScript the first screen (`/`, 我的待办) loads, gzip:
 * from the built web/dist (index.html's module script and its modulepreload links) and as Chromium
 * actually fetches it, signed in, until the network is idle; target <= 300 KB. (b) 提案列表's filter
 * and sort (web/src/lib/filter-proposals.ts, bundled for the page by esbuild) on 1,000 proposals in
 * Chromium, median of the runs of the slowest of three typical requests; target < 100 ms.
 * Run alone: npx tsx test/bench/run.ts console
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { DIST, ROOT, ensureConsoleBuilt, launchChromium, newContext, signIn, startConsoleStack } from '../e2e/support.ts';
import type { BenchRow } from './rows.ts';

const PROPOSALS = 1_000;
const RUNS = 15;
const REPEAT = 10;
const KB = 1024;
const gz = (buf: Buffer | string) => gzipSync(buf).length; // zlib's default level (6), what a web server sends

/** The entry script and the modulepreload links of web/dist/index.html, gzip each, summed. */
export function entryJsGzip(): { bytes: number; files: string[] } {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const srcs = [
    ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
  ];
  const files = [...new Set(srcs)];
  return { files, bytes: files.reduce((sum, f) => sum + gz(readFileSync(join(DIST, f.replace(/^\//, '')))), 0) };
}

/** The JS Chromium loads for `/` signed in as `role`, until the network is idle: gzip of each response body, summed. */
async function firstScreenJsGzip(
  browser: Browser,
  base: string,
  who: Parameters<typeof signIn>[2],
): Promise<{ bytes: number; files: number }> {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    const bodies = new Map<string, Promise<Buffer>>();
    page.on('response', (res) => {
      if (res.request().resourceType() === 'script' && res.ok()) bodies.set(res.url(), res.body());
    });
    await signIn(page, base, who, '/');
    await page.waitForLoadState('networkidle');
    await page
      .getByRole('heading', { name: '我的待办', exact: true })
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => undefined);
    const all = await Promise.all(bodies.values());
    return { bytes: all.reduce((s, b) => s + gz(b), 0), files: all.length };
  } finally {
    await ctx.close();
  }
}

// Deterministic sample data in the shape of the list's items.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const TOPICS = [
  '夜市经济',
  '养老服务',
  '校园安全',
  '供水管网',
  '农村公路',
  '法律援助',
  '托育服务',
  '充电桩建设',
  '生态环境',
  '招商引资',
  '职业技能培训',
  '社区治理',
  '文旅融合',
  '农田水利',
  '食品安全',
];
const UNITS = [
  'commerce',
  'civil-affairs',
  'education',
  'housing',
  'transport',
  'justice',
  'health',
  'ecology',
  'hrss',
  'culture-tourism',
  'water',
  'market',
];
const STATUSES = ['assigned', 'in_progress', 'reply_review', 'replied', 'rehandling', 'closed'];
const NAMES = ['王丽', '李建国', '赵敏', '孙强', '周华', '吴芳', '郑伟', '陈静', '刘洋', '杨帆'];
const LIGHTS = ['green', 'yellow', 'red'] as const;

export function sampleProposals(n = PROPOSALS) {
  const r = rng(17);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const topic = pick(TOPICS);
    const lead = pick(UNITS);
    const day = 1 + Math.floor(r() * 28);
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      number: `2026-${String(i + 1).padStart(3, '0')}`,
      title: `关于进一步加强${topic}工作的建议`,
      body: `建议围绕${topic}，${'完善制度机制，加大投入力度，强化部门协同，提升服务质量，回应群众关切。'.repeat(8)}`,
      status: pick(STATUSES),
      key: r() < 0.1,
      lead,
      co: r() < 0.4 ? [pick(UNITS.filter((u) => u !== lead))] : [],
      proposers: Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({ name: pick(NAMES) })),
      deadlines: { reply: `2026-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}T09:00:00+08:00` },
      trafficLight: pick(LIGHTS),
      updatedAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 300 * 86_400_000)).toISOString(),
    };
  });
}

/** filter-proposals.ts as a script for the page: window.__filterProposals = { filterAndSort, ... }. */
async function bundledFilterModule(): Promise<string> {
  const out = await build({
    entryPoints: [join(ROOT, 'web/src/lib/filter-proposals.ts')],
    bundle: true,
    format: 'iife',
    globalName: '__filterProposals',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

interface FilterTimes {
  scenario: string;
  medianMs: number;
  maxMs: number;
  firstMs: number;
  results: number;
}

async function filterSortTimes(browser: Browser): Promise<FilterTimes[]> {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await page.setContent('<!doctype html><html lang="zh-CN"><body></body></html>');
    // tsx compiles the evaluated function below with esbuild's keepNames, which calls __name().
    await page.addScriptTag({ content: 'window.__name = (f) => f;' });
    await page.addScriptTag({ content: await bundledFilterModule() });
    return await page.evaluate(
      ({ items, runs, repeat }) => {
        type Lib = {
          filterAndSort: (
            items: unknown[],
            c: Record<string, unknown>,
            sort?: { key: string; order: string },
            unitName?: (id: string) => string,
          ) => unknown[];
        };
        const lib = (globalThis as unknown as { __filterProposals: Lib }).__filterProposals;
        const names: Record<string, string> = {
          commerce: '商务局',
          'civil-affairs': '民政局',
          education: '教育局',
          housing: '住房和城乡建设局',
          transport: '交通运输局',
          justice: '司法局',
          health: '卫生健康委员会',
          ecology: '生态环境局',
          hrss: '人力资源和社会保障局',
          'culture-tourism': '文化体育广电和旅游局',
          water: '水利局',
          market: '市场监督管理局',
        };
        const unitName = (id: string) => names[id] ?? id;
        // Three things a clerk does: sort everything by title (collation), search text and sort by
        // deadline, filter by unit + overdue and sort by the lead unit's name.
        const scenarios: [string, Record<string, unknown>, { key: string; order: string }][] = [
          ['sort all by title', {}, { key: 'title', order: 'ascending' }],
          ['text "养老" + sort by deadline desc', { q: '养老' }, { key: 'deadline', order: 'descending' }],
          [
            'unit + overdue + key=false, sort by lead',
            { unit: 'commerce', overdue: true, key: false },
            { key: 'lead', order: 'ascending' },
          ],
        ];
        return scenarios.map(([scenario, criteria, sort]) => {
          // The page's clock ticks in 0.1 ms steps: the first (cold) call alone, then each run times
          // REPEAT calls and counts their mean.
          let t0 = performance.now();
          let results = lib.filterAndSort(items, criteria, sort, unitName).length;
          const firstMs = performance.now() - t0;
          const times: number[] = [];
          for (let i = 0; i < runs; i++) {
            t0 = performance.now();
            for (let k = 0; k < repeat; k++) results = lib.filterAndSort(items, criteria, sort, unitName).length;
            times.push((performance.now() - t0) / repeat);
          }
          const sorted = [...times].sort((a, b) => a - b);
          return { scenario, medianMs: sorted[Math.floor(sorted.length / 2)]!, maxMs: sorted.at(-1)!, firstMs, results };
        });
      },
      { items: sampleProposals(), runs: RUNS, repeat: REPEAT },
    );
  } finally {
    await ctx.close();
  }
}

export async function runConsoleBench(): Promise<BenchRow[]> {
  ensureConsoleBuilt((l) => console.error(`  ${l}`));
  const entry = entryJsGzip();
  const browser = await launchChromium();
  try {
    const stack = await startConsoleStack();
    let loaded: { office: { bytes: number; files: number }; member: { bytes: number; files: number } };
    try {
      loaded = {
        office: await firstScreenJsGzip(browser, stack.base, { role: 'office' }),
        member: await firstScreenJsGzip(browser, stack.base, { role: 'member', memberId: 'm-001' }),
      };
    } finally {
      await stack.stop();
    }
    const times = await filterSortTimes(browser);
    for (const t of times)
      console.error(
        `  filter/sort ${PROPOSALS}: ${t.scenario}: median ${t.medianMs.toFixed(2)} ms, max ${t.maxMs.toFixed(2)} ms, first ${t.firstMs.toFixed(2)} ms (${t.results} results)`,
      );
    const worst = times.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
    const firstWorst = Math.max(...times.map((t) => t.firstMs));
    const kb = (b: number) => Math.round((b / KB) * 10) / 10;
    const ms = (x: number) => Math.round(x * 100) / 100;
    return [
      {
        name: `console first screen JS, gzip: index.html entry + modulepreload (${entry.files.length} files)`,
        value: kb(entry.bytes),
        unit: 'KB',
        target: '<= 300',
      },
      {
        name: `console first screen JS, gzip: loaded by Chromium at / as office (${loaded.office.files} files)`,
        value: kb(loaded.office.bytes),
        unit: 'KB',
        target: '<= 300',
      },
      {
        name: `console first screen JS, gzip: loaded by Chromium at / as member (${loaded.member.files} files)`,
        value: kb(loaded.member.bytes),
        unit: 'KB',
        target: '<= 300',
      },
      {
        name: `filter + sort ${PROPOSALS} proposals in Chromium, slowest case, median of ${RUNS} runs (${worst.scenario})`,
        value: ms(worst.medianMs),
        unit: 'ms',
        target: '<= 100',
      },
      {
        name: `filter + sort ${PROPOSALS} proposals in Chromium, slowest first (cold) run`,
        value: ms(firstWorst),
        unit: 'ms',
        target: '<= 100',
      },
    ];
  } finally {
    await browser.close();
  }
}
