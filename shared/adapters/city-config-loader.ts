/**
 * Loads a city config (城市配置) file: YAML (or JSON) -> validated CityConfig. For ops, CDK, the local
 * runtime and tests; the Lambda functions read the checked JSON form this produces
 * (city-config-json.ts) and never load YAML or the schema.
 * Every mistake becomes one line `<file>: <path>: <reason>` in a CityConfigError, never a stack trace.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath, keywordTerm, type CityConfig } from '#domain/city-config.ts';
import { cityConfigSchema } from '#domain/city-config-schema.ts';
import { CityConfigError, readConfigText, type CityConfigProblem } from '#adapters/city-config-json.ts';

export { CityConfigError, type CityConfigProblem } from '#adapters/city-config-json.ts';

/** Validates parsed config data; every problem becomes a line of the CityConfigError. */
export function validateCityConfig(data: unknown, file: string): CityConfig {
  if (data === null || data === undefined) throw new CityConfigError(file, [{ path: '(root)', message: 'empty file' }]);
  const result = cityConfigSchema.safeParse(data, {
    error: (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? 'required' : undefined),
  });
  if (!result.success) throw new CityConfigError(file, result.error.issues.flatMap(toProblems));
  return result.data;
}

/** One problem per zod issue; an unknown-keys issue becomes one problem per key. */
function toProblems(issue: z.core.$ZodIssue): CityConfigProblem[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ path: formatPath([...issue.path, k]), message: 'unknown field' }));
  return [{ path: formatPath(issue.path), message: issue.message }];
}

export function parseCityConfig(text: string, file: string): CityConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new CityConfigError(
      file,
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return { path: `line ${line}:${col}`, message: `YAML: ${e.message.split('\n')[0] ?? e.code}` };
      }),
    );
  }
  return validateCityConfig(doc.toJS(), file);
}

export function loadCityConfigFile(file: string): CityConfig {
  return parseCityConfig(readConfigText(file), file);
}

/** The city files: `<dir>/*.yaml` (default infra/cities), sorted. */
export function listCityFiles(dir = relative(process.cwd(), fileURLToPath(new URL('../../infra/cities/', import.meta.url)))): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

/** Things that are legal but probably a mistake: keywords shared by several units, units with no keywords. */
export function cityConfigWarnings(cfg: CityConfig): string[] {
  const owners = new Map<string, string[]>();
  for (const u of cfg.units) for (const k of u.keywords) owners.set(keywordTerm(k), [...(owners.get(keywordTerm(k)) ?? []), u.id]);
  return [
    ...[...owners].filter(([, ids]) => ids.length > 1).map(([term, ids]) => `keyword "${term}" is shared by ${ids.join(', ')}`),
    ...cfg.units.flatMap((u, i) => (u.keywords.length === 0 ? [`units[${i}] (${u.id}) has no keywords: it is never assigned automatically`] : [])),
  ];
}
