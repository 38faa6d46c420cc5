/**
 * Cold start: each function of the wiring bundled as the CDK construct bundles it (esbuild, ESM,
 * node22, minified, AWS SDK bundled; infra/constructs/proposal-function.ts), its size, and the time
 * a fresh `node` process takes to import it (median of RUNS), against a bundle of only the AWS SDK
 * clients that function uses, built the same way, measured in the same run. Where valgrind is
 * installed, the same ratio in instructions (callgrind: repeatable whatever else the machine does;
 * the instructions of importing an empty module are taken off both). When a bundle is over budget,
 * its largest inputs (esbuild metafile) are printed. Run: npx tsx test/bench/coldstart.bench.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { functions, type FunctionName } from '#infra/wiring.ts';
import { lambdaBundle, projectRoot } from '#infra/constructs/proposal-function.ts';
import type { BenchRow } from './rows.ts';

const RUNS = Number(process.env.COLDSTART_RUNS ?? 7);
const BUDGET_KB = 300;

/** The SDK client packages and the class each exports, as the functions use them. */
const SDK_CLIENTS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/lib-dynamodb': 'DynamoDBDocumentClient',
  '@aws-sdk/client-sqs': 'SQSClient',
  '@aws-sdk/client-sesv2': 'SESv2Client',
  '@aws-sdk/client-dynamodb-streams': 'DynamoDBStreamsClient',
};

/** Bundles a file of the project, or `{ contents }` as if it were one (resolved from the project root). */
async function bundle(entry: string | { contents: string }, outfile: string, opts: { stockSdk?: boolean } = {}): Promise<Metafile> {
  const result = await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.contents, resolveDir: projectRoot, loader: 'ts' } }),
    outfile,
    absWorkingDir: projectRoot,
    ...lambdaBundle,
    // stockSdk: as the SDK is published, with its default credential chain (not aliased to fromEnv).
    ...(opts.stockSdk ? { alias: {} } : {}),
    mainFields: [...lambdaBundle.mainFields],
    metafile: true,
    logLevel: 'error',
  });
  return result.metafile;
}

/** Milliseconds a fresh node process spends importing the file (measured inside it). */
function importMs(file: string): number {
  const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } }).trim());
}

/** Instructions a fresh node process executes to start and import the file (valgrind's callgrind). */
function importInstructions(file: string): number {
  const code = `await import(${JSON.stringify(pathToFileURL(file).href)});`;
  const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  const n = /Collected : (\d+)/.exec(r.stderr ?? '')?.[1];
  if (r.status !== 0 || !n) throw new Error(`callgrind failed: ${r.stderr?.slice(-500)}`);
  return Number(n);
}

const hasValgrind = () => spawnSync('valgrind', ['--version']).status === 0;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** The largest inputs of a bundle, grouped by package (or first folders of our own code). */
function biggest(meta: Metafile, top = 8): string {
  const out = Object.values(meta.outputs)[0];
  const by = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(out?.inputs ?? {})) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1]! : path.split('/').slice(0, 2).join('/');
    by.set(key, (by.get(key) ?? 0) + bytesInOutput);
  }
  return [...by].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${k} ${Math.round(v / 1024)} KB`).join(', ');
}

export async function runColdStartBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'coldstart-'));
  const rows: BenchRow[] = [];
  const empty = join(dir, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const emptyInstructions = hasValgrind() ? importInstructions(empty) : undefined;
  try {
    for (const name of Object.keys(functions) as FunctionName[]) {
      const out = join(dir, `${name}.mjs`);
      const meta = await bundle(functions[name].entry, out);
      // What is in the output (the metafile's inputs also list files tree-shaken to nothing).
      const kept = Object.entries(Object.values(meta.outputs)[0]?.inputs ?? {}).filter(([, v]) => v.bytesInOutput > 0).map(([path]) => path);
      const clients = Object.keys(SDK_CLIENTS).filter((pkg) => kept.some((i) => i.includes(`node_modules/${pkg}/`)));
      const baseOut = join(dir, `${name}-sdk.mjs`);
      const sdkOnly = { contents: clients.map((pkg, i) => `export { ${SDK_CLIENTS[pkg]} as c${i} } from '${pkg}';`).join('\n') };
      await bundle(sdkOnly, baseOut);
      const stockOut = join(dir, `${name}-stock-sdk.mjs`);
      await bundle(sdkOnly, stockOut, { stockSdk: true });
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
        { name: `${name}: SDK-only bundle (${clients.map((c) => c.replace('@aws-sdk/', '')).join(', ')})`, value: Math.round(baseKb), unit: 'KB' },
        { name: `${name}: import`, value: r1(median(fn)), unit: 'ms' },
        { name: `${name}: SDK-only import`, value: r1(median(base)), unit: 'ms' },
        { name: `${name}: import / SDK-only`, value: Math.round(ratio * 100) / 100, unit: 'x', target: '<= 1.5' },
        // For comparison: the same clients as published (default credential chain), which the bundles no longer carry.
        { name: `${name}: stock SDK-only bundle`, value: Math.round(statSync(stockOut).size / 1024), unit: 'KB' },
        { name: `${name}: stock SDK-only import`, value: r1(median(stock)), unit: 'ms' },
        { name: `${name}: import / stock SDK-only`, value: Math.round((median(fn) / median(stock)) * 100) / 100, unit: 'x' },
      );
      if (emptyInstructions !== undefined) {
        const [own, sdk] = [importInstructions(out) - emptyInstructions, importInstructions(baseOut) - emptyInstructions];
        rows.push({ name: `${name}: import instructions / SDK-only (callgrind; ${Math.round(own / 1e6)}M vs ${Math.round(sdk / 1e6)}M)`, value: Math.round((own / sdk) * 100) / 100, unit: 'x', target: '<= 1.5' });
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
