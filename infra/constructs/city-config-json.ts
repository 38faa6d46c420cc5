/**
 * The validated city config as the JSON file that goes into every bundle (city.json).
 * It is written in the input shape of the schema (durations back to their text, e.g. "5wd"), with
 * every default filled in, so the function's loader validates it again and gets the same config.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CityConfig } from '#domain/city-config.ts';

function isDuration(value: unknown): value is { text: string } {
  return typeof value === 'object' && value !== null && 'amount' in value && 'unit' in value && 'text' in value;
}

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
