import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compact, render } from '../../scripts/gen-national-days.ts';

describe('national-days.ts (generated from chinese-days)', () => {
  it('is what the installed chinese-days generates (run npm run gen:national-days after a bump)', () => {
    const committed = readFileSync(fileURLToPath(new URL('../../shared/domain/national-days.ts', import.meta.url)), 'utf8');
    expect(committed).toBe(render());
  });

  it('keeps every day of the package, grouped by year, in order', () => {
    const table = { '2026-10-08': 'x', '2026-01-01': 'x', '2025-12-31': 'x' };
    expect(compact(table)).toEqual({ 2025: '1231', 2026: '0101 1008' });
  });
});
