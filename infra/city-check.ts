/**
 * `npm run city:check -- [<file>...]`: validates city config files (default: every infra/cities/*.yaml,
 * *.yml, *.json). A file whose name is not its id is only warned about here (a file may be checked
 * anywhere); synth stops on it, since `-c city=<id>` finds the file by its name.
 * Prints `✓ <file>: <name> (<n> units, <k> keywords)` or every problem; exits 1 if any file fails.
 * Warnings (shared keywords, units without keywords, escalations to nobody, a loopback email.linkBase)
 * are printed but do not fail.
 */
import { basename, extname } from 'node:path';
import { CityConfigError, cityConfigWarnings, listCityFiles, loadCityConfigFile } from '#adapters/city-config-loader.ts';

function check(file: string): boolean {
  try {
    const cfg = loadCityConfigFile(file);
    const keywords = cfg.units.reduce((n, u) => n + u.keywords.length, 0);
    console.log(`✓ ${file}: ${cfg.name} (${cfg.units.length} units, ${keywords} keywords)`);
    const warnings = cityConfigWarnings(cfg);
    if (basename(file, extname(file)) !== cfg.id)
      warnings.push(
        `id "${cfg.id}" differs from the file name: name the file ${cfg.id}${extname(file)} before deploying (synth stops on it)`,
      );
    for (const w of warnings) console.log(`  ⚠ ${file}: ${w}`);
    return true;
  } catch (e) {
    console.error(e instanceof CityConfigError ? `✗ ${e.message.replaceAll('\n', '\n✗ ')}` : `✗ ${file}: ${String(e)}`);
    return false;
  }
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const files = args.length > 0 ? args : listCityFiles();
if (files.length === 0) console.error('✗ no city files (infra/cities/*.yaml, *.yml, *.json)');
const results = files.map(check);
process.exitCode = files.length > 0 && results.every(Boolean) ? 0 : 1;
