/**
 * The city config as the functions read it: JSON (city.json in every bundle; a temp file locally),
 * validated again with the schema. No YAML here, so the Lambda bundles do not carry a YAML parser.
 * Also the one way to write that JSON (CDK bundling, local runtime).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { cityConfigSchema, formatPath, type CityConfig } from '#domain/city-config.ts';

export interface CityConfigProblem {
  path: string;
  message: string;
}

export class CityConfigError extends Error {
  override name = 'CityConfigError';
  constructor(
    readonly file: string,
    readonly problems: CityConfigProblem[],
  ) {
    super(problems.map((p) => `${file}: ${p.path}: ${p.message}`).join('\n'));
  }
}

/** Validates parsed config data; every problem becomes a line of the CityConfigError. */
export function validateCityConfig(data: unknown, file: string): CityConfig {
  if (data === null || data === undefined) throw new CityConfigError(file, [{ path: '(root)', message: 'empty file' }]);
  const result = cityConfigSchema.safeParse(data, {
    error: (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? 'required' : undefined),
  });
  if (!result.success) throw new CityConfigError(file, result.error.issues.flatMap(toProblems));
  return result.data;
}

export function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const reason = e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'no such file' : `cannot read (${String(e)})`;
    throw new CityConfigError(file, [{ path: '(file)', message: reason }]);
  }
}

/** Reads the JSON form of a city config. */
export function loadCityConfigJson(file: string): CityConfig {
  let data: unknown;
  try {
    data = JSON.parse(readConfigText(file));
  } catch (e) {
    if (e instanceof CityConfigError) throw e;
    throw new CityConfigError(file, [{ path: '(file)', message: `not JSON: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  return validateCityConfig(data, file);
}

function isDuration(value: unknown): value is { text: string } {
  return typeof value === 'object' && value !== null && 'amount' in value && 'unit' in value && 'text' in value;
}

/** The validated config in the schema's input shape (durations back to "5wd"), every default filled in. */
export function serializeCityConfig(config: CityConfig): string {
  return JSON.stringify(config, (_key, value: unknown) => (isDuration(value) ? value.text : value), 2);
}

/** Writes `<dir>/city-<id>.json` and returns its absolute path. */
export function writeCityConfigJson(config: CityConfig, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.resolve(dir, `city-${config.id}.json`);
  writeFileSync(file, serializeCityConfig(config));
  return file;
}

/** One problem per zod issue; an unknown-keys issue becomes one problem per key. */
function toProblems(issue: z.core.$ZodIssue): CityConfigProblem[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ path: formatPath([...issue.path, k]), message: 'unknown field' }));
  return [{ path: formatPath(issue.path), message: issue.message }];
}
