/**
 * Loads a city config (城市配置) file: YAML or JSON -> validated CityConfig. For ops, CDK, the local
 * runtime and tests; the Lambda functions read the checked JSON form this produces
 * (city-config-json.ts) and never load YAML or the schema.
 * Every mistake becomes one line `<file>: <path>: <reason>` in a CityConfigError, never a stack trace.
 */
import { readdirSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import en from 'zod/v4/locales/en.js';
import type { core } from 'zod/mini';

/** zod's English message of an issue: the city config's problems are read by engineers, in a terminal, not by users. */
function englishMessage(issue: core.$ZodRawIssue): string | undefined {
  const message = en().localeError(issue);
  return typeof message === 'string' ? message : message?.message;
}
import { formatPath, isLoopbackUrl, keywordTerm, type CityConfig } from '#domain/city-config.ts';
import { cityConfigSchema } from '#domain/city-config-schema.ts';
import { normalizeText } from '#domain/matcher.ts';
import { CityConfigError, readConfigText, type CityConfigProblem } from '#adapters/city-config-json.ts';

export { CityConfigError, type CityConfigProblem } from '#adapters/city-config-json.ts';

/** Validates parsed config data; every problem becomes a line of the CityConfigError. */
export function validateCityConfig(data: unknown, file: string): CityConfig {
  if (data === null || data === undefined) throw new CityConfigError(file, [{ path: '(root)', message: 'empty file' }]);
  const result = cityConfigSchema.safeParse(data, {
    error: (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? 'required' : englishMessage(iss)),
  });
  if (!result.success) throw new CityConfigError(file, result.error.issues.flatMap(toProblems));
  return result.data;
}

/** One problem per zod issue; an unknown-keys issue becomes one problem per key. */
function toProblems(issue: z.core.$ZodIssue): CityConfigProblem[] {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => ({ path: formatPath([...issue.path, k]), message: 'unknown field' }));
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

/**
 * loadCityConfigFile as a deploy reads the file (cdk synth, city:check): its name must also be the
 * id, since the stack is named after the id and `-c city=<id>` finds the file by its name.
 */
export function loadCityConfigForDeploy(file: string): CityConfig {
  const config = loadCityConfigFile(file);
  const name = basename(file, extname(file));
  if (name !== config.id) {
    throw new CityConfigError(file, [
      { path: 'id', message: `"${config.id}" differs from the file name: name the file ${config.id}${extname(file)} (or set id: ${name})` },
    ]);
  }
  return config;
}

/** The extensions of city files: YAML, or JSON (which the YAML parser reads too). */
export const cityFileExtensions = ['.yaml', '.yml', '.json'];

/** The city files: `<dir>/*.yaml|yml|json` (default infra/cities), sorted. */
export function listCityFiles(dir = relative(process.cwd(), fileURLToPath(new URL('../../infra/cities/', import.meta.url)))): string[] {
  return readdirSync(dir)
    .filter((f) => cityFileExtensions.includes(extname(f)))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Things that are legal but probably a mistake: keywords shared by several units (as the matcher
 * compares them), units with no keywords, escalations to recipients with no address, links in emails
 * to this machine, case numbers without the year.
 */
export function cityConfigWarnings(cfg: CityConfig): string[] {
  const owners = new Map<string, { term: string; ids: string[] }>();
  for (const u of cfg.units) {
    for (const k of u.keywords) {
      const key = normalizeText(keywordTerm(k)),
        entry = owners.get(key);
      if (entry) entry.ids.push(u.id);
      else owners.set(key, { term: keywordTerm(k), ids: [u.id] });
    }
  }
  const headless = cfg.units.filter((u) => u.head.length === 0).map((u) => u.id);
  const { linkBase } = cfg.email;
  return [
    ...[...owners.values()].filter(({ ids }) => ids.length > 1).map(({ term, ids }) => `keyword "${term}" is shared by ${ids.join(', ')}`),
    ...cfg.units.flatMap((u, i) =>
      u.keywords.length === 0 ? [`units[${i}] (${u.id}) has no keywords: it is never assigned automatically`] : [],
    ),
    ...cfg.policy.escalation.flatMap((step, i) => [
      ...(step.to.includes('leaders') && cfg.email.leaders.length === 0
        ? [`policy.escalation[${i}].to: leaders, but email.leaders is empty: level ${step.level} reaches no leader`]
        : []),
      ...(step.to.includes('unitHead') && headless.length > 0
        ? [
            `policy.escalation[${i}].to: unitHead, but ${headless.join(', ')} ${headless.length > 1 ? 'have' : 'has'} no head (units[].head): level ${step.level} reaches no unit head there`,
          ]
        : []),
    ]),
    ...(cfg.replies.signOff && headless.length > 0
      ? [
          `replies.signOff: ${headless.join(', ')} ${headless.length > 1 ? 'have' : 'has'} no head (units[].head): their 答复待签发 emails go to the unit's own addresses`,
        ]
      : []),
    ...(isLoopbackUrl(linkBase)
      ? [
          `email.linkBase is ${linkBase} (this machine), so links in emails will not open: set it to the API's public base URL (stack output ApiUrl…)`,
        ]
      : []),
    ...(cfg.numbering.includes('{year}') ? [] : [`numbering "${cfg.numbering}" has no {year}: case numbers restart every year and repeat`]),
  ];
}
