import { describe, expect, it } from 'vitest';
import { percent, percentValue } from './report-format';

describe('report figures', () => {
  it('shows rates as percentages, a null rate as —', () => {
    expect(percent(0.8537)).toBe('85.4%');
    expect(percent(1)).toBe('100%');
    expect(percent(0)).toBe('0%');
    expect(percent(2 / 3)).toBe('66.7%');
    expect(percent(null)).toBe('—');
    expect(percent(undefined)).toBe('—');
    expect(percent(Number.NaN)).toBe('—');
  });

  it('gives chart values in percent, null for no bar', () => {
    expect(percentValue(0.8537)).toBe(85.4);
    expect(percentValue(null)).toBeNull();
  });
});
