import { describe, expect, it } from 'vitest';
import { domainEventSchema, domainEventTypes } from '#events/domain-events.ts';

const envelope = { eventId: 'p1:1', proposalId: 'p1', seq: 1, at: '2026-03-01T00:00:00.000Z', actor: { role: 'member', sub: 'm-1' } };

describe('domainEventSchema (each type built on first use)', () => {
  it('parses an event of a type and strips what its schema does not name', () => {
    const e = { ...envelope, type: 'ProposalSubmitted', data: { number: '2026-001', title: '标题', year: 2026, extra: 1 } };
    expect(domainEventSchema.parse(e)).toEqual({
      ...envelope,
      type: 'ProposalSubmitted',
      data: { number: '2026-001', title: '标题', year: 2026 },
    });
  });

  it('checks the data against the schema of the event type, naming the field', () => {
    const r = domainEventSchema.safeParse({ ...envelope, type: 'UnitAcknowledged', data: { unit: 7 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path)).toEqual([['data', 'unit']]);
  });

  it('reports an unknown or missing type at path `type`, listing the known types', () => {
    for (const bad of [
      { ...envelope, type: 'NoSuchEvent', data: {} },
      { ...envelope, data: {} },
      { ...envelope, type: 'toString', data: {} },
    ]) {
      const r = domainEventSchema.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error?.issues).toHaveLength(1);
      expect(r.error?.issues[0]?.path).toEqual(['type']);
      expect(r.error?.issues[0]?.message).toContain('ProposalSubmitted');
    }
    expect(() => domainEventSchema.parse(null)).toThrow();
    expect(domainEventSchema.safeParse('event').success).toBe(false);
  });

  it('knows every type once', () => {
    expect(new Set(domainEventTypes).size).toBe(domainEventTypes.length);
    expect(domainEventTypes).toContain('RecipientSuppressed');
  });
});
