/**
 * Cold start: each function of the wiring bundled as the CDK construct bundles it (bundleFunction of
 * infra/bundle.ts: esbuild, ESM, node22, minified, AWS SDK bundled), its size, and the time
 * a fresh `node` process takes to import it (median of RUNS), against a bundle of only the AWS SDK
 * clients that function uses, built the same way, measured in the same run. Where valgrind is
 * installed, the same ratio in instructions (callgrind: repeatable whatever else the machine does;
 * the instructions of importing an empty module are taken off both). When a bundle is over budget,
 * its largest inputs (esbuild metafile) are printed. Run: npx tsx test/bench/coldstart.bench.ts
 * (COLDSTART_ONLY=reactor COLDSTART_RUNS=1 for one function's instructions, quickly)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { functions, type FunctionName } from '#shared/wiring.ts';
import { bundleFunction } from '#infra/bundle.ts';
import { median, type BenchRow } from './rows.ts';

// 15: with 7, the median of one function moved by ±0.1 in its ratio between runs on this machine.
const RUNS = Number(process.env.COLDSTART_RUNS ?? 15);
const BUDGET_KB = 300;
/** COLDSTART_ONLY=reactor,api: just those functions (while trimming one). */
const ONLY = process.env.COLDSTART_ONLY?.split(',');

/** The SDK client packages and the class each exports, as the functions use them. */
const SDK_CLIENTS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/lib-dynamodb': 'DynamoDBDocumentClient',
  '@aws-sdk/client-sqs': 'SQSClient',
  '@aws-sdk/client-sesv2': 'SESv2Client',
  '@aws-sdk/client-dynamodb-streams': 'DynamoDBStreamsClient',
};

/** Bundles a file of the project, or `{ contents }` as if it were one, into outdir/index.mjs; returns that file. */
async function bundle(
  entry: string | { contents: string },
  outdir: string,
  opts: { stockSdk?: boolean } = {},
): Promise<{ file: string; meta: Metafile }> {
  // stockSdk: as the SDK is published, with its default credential chain (not aliased to fromEnv) and its schemas' keys as they are.
  const meta = await bundleFunction(entry, outdir, { logLevel: 'error', ...(opts.stockSdk ? { alias: {}, plugins: [] } : {}) });
  return { file: join(outdir, 'index.mjs'), meta };
}

/** Milliseconds a fresh node process spends importing the file (measured inside it). */
function importMs(file: string): number {
  const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    }).trim(),
  );
}

/**
 * Callgrind runs per bundle, each with its own fixed V8 random seed (1..CALLGRIND_RUNS). With a
 * random seed (node's default) a process's startup cost moved by up to ~10 million instructions (the
 * hash seed, so the hash tables' collisions, differ per process), and a median of 5 read the
 * reactor's ratio anywhere from 1.43 to 1.49. With the seeds fixed each run repeats to within 0.01%;
 * a seed's startup cost is the same whatever is imported, so a bundle's import cost is its count less
 * the empty module's under the same seed, and the median over five seeds keeps one seed's luck out.
 */
const CALLGRIND_RUNS = Number(process.env.CALLGRIND_RUNS ?? 5);
const seeds = Array.from({ length: CALLGRIND_RUNS }, (_, i) => i + 1);

/** Instructions to import the file beyond importing an empty module (`empty`, per seed): the median over the seeds, by callgrind. */
function importInstructions(file: string, empty: number[]): number {
  return median(seeds.map((seed, i) => importInstructionsOnce(file, seed) - empty[i]!));
}

function importInstructionsOnce(file: string, seed: number): number {
  const code = `await import(${JSON.stringify(pathToFileURL(file).href)});`;
  const r = spawnSync(
    'valgrind',
    ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, `--random-seed=${seed}`, '--input-type=module', '-e', code],
    { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  const n = /Collected : (\d+)/.exec(r.stderr ?? '')?.[1];
  if (r.status !== 0 || !n) throw new Error(`callgrind failed: ${r.stderr?.slice(-500)}`);
  return Number(n);
}

const hasValgrind = () => spawnSync('valgrind', ['--version']).status === 0;

/** The largest inputs of a bundle, grouped by package (or first folders of our own code). */
function biggest(meta: Metafile, top = 8): string {
  const out = meta.outputs['index.mjs'];
  const by = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(out?.inputs ?? {})) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1]! : path.split('/').slice(0, 2).join('/');
    by.set(key, (by.get(key) ?? 0) + bytesInOutput);
  }
  return [...by]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${k} ${Math.round(v / 1024)} KB`)
    .join(', ');
}

export async function runColdStartBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'coldstart-'));
  const rows: BenchRow[] = [];
  const empty = join(dir, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const emptyInstructions = hasValgrind() ? seeds.map((seed) => importInstructionsOnce(empty, seed)) : undefined;
  try {
    for (const name of Object.keys(functions) as FunctionName[]) {
      if (ONLY && !ONLY.includes(name)) continue;
      const { file: out, meta } = await bundle(functions[name].entry, join(dir, name));
      // What is in the output (the metafile's inputs also list files tree-shaken to nothing).
      const kept = Object.entries(meta.outputs['index.mjs']?.inputs ?? {})
        .filter(([, v]) => v.bytesInOutput > 0)
        .map(([path]) => path);
      const clients = Object.keys(SDK_CLIENTS).filter((pkg) => kept.some((i) => i.includes(`node_modules/${pkg}/`)));
      const sdkOnly = { contents: clients.map((pkg, i) => `export { ${SDK_CLIENTS[pkg]} as c${i} } from '${pkg}';`).join('\n') };
      const { file: baseOut } = await bundle(sdkOnly, join(dir, `${name}-sdk`));
      const { file: stockOut } = await bundle(sdkOnly, join(dir, `${name}-stock-sdk`), { stockSdk: true });
      const kb = statSync(out).size / 1024;
      const baseKb = statSync(baseOut).size / 1024;
      // Alternate the two so drift in machine load hits both alike.
      const [fn, base, stock]: [number[], number[], number[]] = [[], [], []];
      for (let r = 0; r < RUNS; r++) {
        fn.push(importMs(out));
        base.push(importMs(baseOut));
        stock.push(importMs(stockOut));
      }
      const ratio = median(fn) / median(base);
      const r1 = (x: number) => Math.round(x * 10) / 10;
      rows.push(
        { name: `${name}: bundle (minified ESM)`, value: Math.round(kb), unit: 'KB', target: `<= ${BUDGET_KB}` },
        {
          name: `${name}: SDK-only bundle (${clients.map((c) => c.replace('@aws-sdk/', '')).join(', ')})`,
          value: Math.round(baseKb),
          unit: 'KB',
        },
        { name: `${name}: import`, value: r1(median(fn)), unit: 'ms' },
        { name: `${name}: SDK-only import`, value: r1(median(base)), unit: 'ms' },
        { name: `${name}: import / SDK-only`, value: Math.round(ratio * 100) / 100, unit: 'x', target: '<= 1.5' },
        // For comparison: the same clients as published (default credential chain, every operation's schema), which the bundles no longer carry.
        { name: `${name}: stock SDK-only bundle`, value: Math.round(statSync(stockOut).size / 1024), unit: 'KB' },
        { name: `${name}: stock SDK-only import`, value: r1(median(stock)), unit: 'ms' },
        { name: `${name}: import / stock SDK-only`, value: Math.round((median(fn) / median(stock)) * 100) / 100, unit: 'x' },
      );
      if (emptyInstructions !== undefined) {
        const [own, sdk] = [importInstructions(out, emptyInstructions), importInstructions(baseOut, emptyInstructions)];
        rows.push({
          name: `${name}: import instructions / SDK-only (callgrind; ${Math.round(own / 1e6)}M vs ${Math.round(sdk / 1e6)}M)`,
          value: Math.round((own / sdk) * 100) / 100,
          unit: 'x',
          target: '<= 1.5',
        });
      }
      if (kb > BUDGET_KB) console.error(`${name}: ${Math.round(kb)} KB, largest inputs: ${biggest(meta)}`);
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await runColdStartBench());
}
