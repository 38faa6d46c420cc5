/**
 * The city config as the functions read it: city.json in every bundle (a temp file locally), holding
 * the config already checked by the schema where it was read from YAML (cdk synth, the local
 * runtime; city-config-loader.ts), defaults filled in, durations parsed. So the functions neither
 * parse YAML nor build the schema on a cold start. Also the one way to write that file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CityConfig } from '#domain/city-config.ts';

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

/** Marks a file written by writeCityConfigJson (a checked config), and the shape it has. */
const FORMAT = 'proposals/checked-city-config/1';

export function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const reason = e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'no such file' : `cannot read (${String(e)})`;
    throw new CityConfigError(file, [{ path: '(file)', message: reason }]);
  }
}

/** Reads a config written by writeCityConfigJson. Any other file is refused with the reason. */
export function loadCityConfigJson(file: string): CityConfig {
  let data: unknown;
  try {
    data = JSON.parse(readConfigText(file));
  } catch (e) {
    if (e instanceof CityConfigError) throw e;
    throw new CityConfigError(file, [{ path: '(file)', message: `not JSON: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  const { format, config } = (typeof data === 'object' && data !== null ? data : {}) as { format?: unknown; config?: unknown };
  if (format !== FORMAT || typeof config !== 'object' || config === null) {
    const message = `not a checked city config (format "${FORMAT}"): write it from the YAML with writeCityConfigJson, as cdk synth and the local runtime do`;
    throw new CityConfigError(file, [{ path: '(file)', message }]);
  }
  return config as CityConfig;
}

/** Writes the checked config to `<dir>/city-<id>.json` and returns its absolute path. */
export function writeCityConfigJson(config: CityConfig, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.resolve(dir, `city-${config.id}.json`);
  writeFileSync(file, JSON.stringify({ format: FORMAT, config }, null, 2));
  return file;
}
