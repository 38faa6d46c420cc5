/**
 * The console's API types are generated from docs/openapi.json (npm run gen:web-api), never written by
 * hand: a change to the API that is not regenerated fails here, and one that breaks the console then
 * fails the type check (vue-tsc in npm run typecheck).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('web/src/api/schema.d.ts is what openapi-typescript makes of docs/openapi.json (run npm run gen:web-api)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'web-api-'));
  try {
    const out = join(dir, 'schema.d.ts');
    execFileSync('node_modules/.bin/openapi-typescript', ['docs/openapi.json', '-o', out], { stdio: 'pipe' });
    expect(readFileSync('web/src/api/schema.d.ts', 'utf8')).toBe(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
