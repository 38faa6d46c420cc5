/**
 * The subset of Lambda event-filter syntax the wiring uses: a pattern is an object whose leaves are
 * arrays of matchers; a record matches when every key in the pattern matches. A matcher is an exact
 * value or `{ prefix }`. A record value that is an array matches when any element does.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 */
export type FilterMatcher = string | number | boolean | null | { readonly prefix: string };
export interface FilterPattern {
  readonly [key: string]: FilterPattern | readonly FilterMatcher[];
}

function matchesValue(matcher: FilterMatcher, value: unknown): boolean {
  if (matcher !== null && typeof matcher === 'object') {
    if (typeof matcher.prefix !== 'string' || Object.keys(matcher).length !== 1) {
      throw new Error(`unsupported filter matcher ${JSON.stringify(matcher)}`);
    }
    return typeof value === 'string' && value.startsWith(matcher.prefix);
  }
  return value === matcher;
}

function matchesLeaf(matchers: readonly FilterMatcher[], value: unknown): boolean {
  if (value === undefined) return false;
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.some((v) => matchers.some((m) => matchesValue(m, v)));
}

const isLeaf = (v: FilterPattern | readonly FilterMatcher[]): v is readonly FilterMatcher[] => Array.isArray(v);

function field(record: unknown, key: string): unknown {
  if (typeof record !== 'object' || record === null || Array.isArray(record) || !Object.hasOwn(record, key)) return undefined;
  return Reflect.get(record, key);
}

/** True when `record` (a stream record as Lambda shapes it) matches `pattern`. */
export function matchesFilter(pattern: FilterPattern, record: unknown): boolean {
  return Object.entries(pattern).every(([key, sub]) => {
    const value = field(record, key);
    return isLeaf(sub) ? matchesLeaf(sub, value) : matchesFilter(sub, value);
  });
}
