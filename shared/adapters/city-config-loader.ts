/**
 * Loads a city config (城市配置) file: YAML (or JSON) -> validated CityConfig.
 * Every mistake becomes one line `<file>: <path>: <reason>` in a CityConfigError, never a stack trace.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { cityConfigSchema, formatPath, keywordTerm, type CityConfig } from '#domain/city-config.ts';

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
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) throw new CityConfigError(file, [{ path: '(root)', message: 'empty file' }]);
  const result = cityConfigSchema.safeParse(data, {
    error: (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? 'required' : undefined),
  });
  if (!result.success) throw new CityConfigError(file, result.error.issues.flatMap(toProblems));
  return result.data;
}

export function loadCityConfigFile(file: string): CityConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'no such file' : `cannot read (${String(e)})`;
    throw new CityConfigError(file, [{ path: '(file)', message: reason }]);
  }
  return parseCityConfig(text, file);
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

/** One problem per zod issue; an unknown-keys issue becomes one problem per key. */
function toProblems(issue: z.core.$ZodIssue): CityConfigProblem[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ path: formatPath([...issue.path, k]), message: 'unknown field' }));
  return [{ path: formatPath(issue.path), message: issue.message }];
}
