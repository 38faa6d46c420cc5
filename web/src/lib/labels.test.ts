import { describe, expect, it } from 'vitest';
import { identityLine, replyClassLabel, replyClassList, replyClassName } from './labels';

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

describe('reply classes', () => {
  const city = [
    { code: 'A', name: '已解决' },
    { code: 'S', name: '列入规划' },
  ];

  it('names a class by the city’s classes, else the national four, else its code', () => {
    expect(replyClassName('S', city)).toBe('列入规划');
    expect(replyClassName('B', city)).toBe('所提问题正在解决或已列入计划逐步解决');
    expect(replyClassName('B')).toBe('所提问题正在解决或已列入计划逐步解决');
    expect(replyClassName('X')).toBe('X');
    expect(replyClassLabel('S', city)).toBe('S类：列入规划');
  });

  it('lists the city’s classes to choose from, the national four without them', () => {
    expect(replyClassList(city).map((c) => c.code)).toEqual(['A', 'S']);
    expect(replyClassList([]).map((c) => c.code)).toEqual(['A', 'B', 'C', 'D']);
    expect(replyClassList().map((c) => c.code)).toEqual(['A', 'B', 'C', 'D']);
  });
});
