/**
 * `npm run city:check -- [<file>...]`: validates city config files (default: every infra/cities/*.yaml).
 * Prints `✓ <file>: <name> (<n> units, <k> keywords)` or every problem; exits 1 if any file fails.
 * Warnings (shared keywords, units without keywords) are printed but do not fail.
 */
import { basename, extname } from 'node:path';
import { CityConfigError, cityConfigWarnings, listCityFiles, loadCityConfigFile } from '#adapters/city-config-loader.ts';

function check(file: string): boolean {
  try {
    const cfg = loadCityConfigFile(file);
    const keywords = cfg.units.reduce((n, u) => n + u.keywords.length, 0);
    console.log(`✓ ${file}: ${cfg.name} (${cfg.units.length} units, ${keywords} keywords)`);
    const warnings = cityConfigWarnings(cfg);
    if (basename(file, extname(file)) !== cfg.id) warnings.push(`id "${cfg.id}" differs from the file name`);
    for (const w of warnings) console.log(`  ⚠ ${file}: ${w}`);
    return true;
  } catch (e) {
    console.error(e instanceof CityConfigError ? `✗ ${e.message.replaceAll('\n', '\n✗ ')}` : `✗ ${file}: ${String(e)}`);
    return false;
  }
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const files = args.length > 0 ? args : listCityFiles();
if (files.length === 0) console.error('✗ no city files (infra/cities/*.yaml)');
const results = files.map(check);
process.exitCode = files.length > 0 && results.every(Boolean) ? 0 : 1;
