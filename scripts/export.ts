/**
 * 导出提案台账: `npm run export -- --year 2026 --format csv --out proposals-2026.csv [--api URL --token JWT] [--city infra/cities/alar.yaml]`
 *
 * Reads the year's proposals through the public HTTP API (GET /v1/proposals, all pages, as the
 * office) and writes one row per proposal with its outcome (see proposal-table.ts for the columns).
 * Unit names and the time zone of the dates come from the city config. The file imports back with
 * `npm run import`. Without --api it uses the local stack (`npm start`, PORT or 3000).
 */
import { unitNames } from '#domain/city-config.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { proposalView } from '#functions/api/schemas.ts';
import { ApiClient, clientFromFlags, parseArgs, runMain } from './api-client.ts';
import { writeXlsx } from './xlsx.ts';
import { stringifyCsv } from './csv.ts';
import { toTable, type View } from './proposal-table.ts';

const page = z.object({ items: z.array(proposalView), cursor: z.string().optional() });

/** Every proposal of the year, oldest case number first. */
export async function fetchYear(client: ApiClient, year: number): Promise<View[]> {
  const token = await client.token('office');
  const all: View[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({ year: String(year), limit: '100', ...(cursor ? { cursor } : {}) });
    const res = await client.call('GET', `/v1/proposals?${q.toString()}`, { token });
    if (res.status !== 200) throw new Error(`GET /v1/proposals 返回 HTTP ${res.status}：${res.text.slice(0, 300)}`);
    const p = page.parse(res.body);
    all.push(...p.items);
    cursor = p.cursor;
  } while (cursor);
  return all;
}

export function exportCsv(proposals: readonly View[], opts: { timeZone: string; unitName(id: string): string }): string {
  return stringifyCsv(toTable(proposals, opts));
}

async function main(): Promise<number> {
  const { flags } = parseArgs(process.argv.slice(2));
  const year = Number(flags.get('year') ?? new Date().getFullYear());
  const format = flags.get('format') ?? 'csv';
  if (!Number.isInteger(year) || !['csv', 'xlsx'].includes(format)) {
    console.error('用法：npm run export -- --year 2026 --format csv|xlsx --out 文件 [--api URL] [--token JWT] [--city 城市配置.yaml]');
    return 2;
  }
  const city = loadCityConfigFile(flags.get('city') ?? process.env.CITY_CONFIG ?? 'infra/cities/alar.yaml');
  const out = flags.get('out') ?? `tmp/proposals-${year}.${format}`;
  const client = clientFromFlags(flags);
  const proposals = await fetchYear(client, year);
  mkdirSync(dirname(out), { recursive: true });
  const opts = { timeZone: city.timeZone, unitName: unitNames(city) };
  if (format === 'xlsx') await writeXlsx(toTable(proposals, opts), out);
  else writeFileSync(out, exportCsv(proposals, opts));
  console.log(`已导出 ${year} 年提案 ${proposals.length} 件 -> ${out}`);
  return 0;
}

runMain(import.meta, '导出', main);
