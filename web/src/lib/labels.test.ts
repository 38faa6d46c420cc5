import { describe, expect, it } from 'vitest';
import { identityLine } from './labels';

describe('identityLine (the top bar)', () => {
  it('names the person and the role', () => {
    expect(identityLine('商务局', 'unit')).toBe('商务局 · 承办单位');
    expect(identityLine('政府办公室', 'office')).toBe('政府办公室 · 政府办');
    expect(identityLine('委员 m-001', 'member')).toBe('委员 m-001 · 委员');
  });

  it('says the role once when the name is the role', () => {
    expect(identityLine('分管领导', 'leader')).toBe('分管领导');
    expect(identityLine('', 'leader')).toBe('分管领导');
  });
});
