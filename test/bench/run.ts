/**
 * `npm run bench`: runs every benchmark and prints one table. Numbers, not pass/fail: the machine is
 * noisy, so ratios measured within one run are what count. `npm run bench -- matcher` runs one.
 */
// The handlers' JSON logs would drown the table: errors only unless LOG_LEVEL says otherwise.
process.env.LOG_LEVEL ??= 'error';

import { runMatcherBench } from './matcher.bench.ts';
import { runPipelineBench } from './pipeline.bench.ts';
import { runThroughputBench } from './throughput.bench.ts';
import { runCostBench } from './cost.bench.ts';
import { runSweepBench } from './sweep.bench.ts';
import { runColdStartBench } from './coldstart.bench.ts';
import { runConsoleBench } from './console.bench.ts';
import { meets, type BenchRow } from './rows.ts';

const benches: Record<string, () => Promise<BenchRow[]>> = {
  matcher: runMatcherBench,
  pipeline: () => runPipelineBench(100),
  throughput: () => runThroughputBench(),
  cost: () => runCostBench(),
  sweep: runSweepBench,
  coldstart: runColdStartBench,
  console: runConsoleBench,
};

const only = process.argv.slice(2);
const rows: (BenchRow & { bench: string })[] = [];
for (const [name, run] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  const t0 = performance.now();
  console.error(`running ${name}…`);
  for (const row of await run()) rows.push({ bench: name, ...row });
  console.error(`  ${name} took ${Math.round((performance.now() - t0) / 1000)} s`);
}
console.table(
  rows.map((r) => ({
    bench: r.bench,
    measure: r.name,
    value: r.value,
    unit: r.unit,
    target: r.target ?? '',
    met: meets(r) === undefined ? '' : meets(r) ? 'ok' : 'MISSED',
  })),
);
