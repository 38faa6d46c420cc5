import { describe, expect, it } from 'vitest';
import { replyOrdinal } from './reply-ordinal';

describe('replyOrdinal (第k次答复)', () => {
  it("counts each unit's replies on their own (分办)", () => {
    const replies = [
      { n: 1, unit: 'commerce' },
      { n: 2, unit: 'transport' },
      { n: 3, unit: 'commerce' },
      { n: 4, unit: 'transport' },
    ];
    expect(replies.map((r) => replyOrdinal(replies, r.n))).toEqual([1, 1, 2, 2]);
  });

  it('is the number itself with one lead unit, and for a number it does not know', () => {
    const replies = [
      { n: 1, unit: 'education' },
      { n: 2, unit: 'education' },
    ];
    expect([1, 2, 7].map((n) => replyOrdinal(replies, n))).toEqual([1, 2, 7]);
  });
});
