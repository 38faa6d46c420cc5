/** One row of the benchmark table `npm run bench` prints. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The goal, e.g. ">= 10"; checked and shown as ok / MISSED. */
  target?: string;
}

export function meets(row: BenchRow): boolean | undefined {
  const m = /^(>=|<=)\s*([\d.]+)/.exec(row.target ?? '');
  if (!m) return undefined;
  return m[1] === '>=' ? row.value >= Number(m[2]) : row.value <= Number(m[2]);
}

/** The median (upper middle of an even count) of a list of measurements; NaN for none. */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
