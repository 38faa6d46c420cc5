import { describe, expect, it } from 'vitest';
import { matchesFilter } from '#infra/local/event-filter.ts';
import { keys } from '#adapters/keys.ts';
import { reactorFilterPatterns, redrivenAttribute } from '#shared/wiring.ts';

const [reactorFilterPattern] = reactorFilterPatterns;

const record = (eventName: string, sk: unknown) => ({ eventName, dynamodb: { Keys: { PK: { S: 'P#1' }, SK: sk } } });

describe('matchesFilter', () => {
  it('passes inserted event items to the reactor', () => {
    expect(matchesFilter(reactorFilterPattern, record('INSERT', { S: 'EVENT#2026-01-01#0001' }))).toBe(true);
  });

  it('drops other event names, other keys and non-string keys', () => {
    expect(matchesFilter(reactorFilterPattern, record('MODIFY', { S: 'EVENT#1' }))).toBe(false);
    expect(matchesFilter(reactorFilterPattern, record('REMOVE', { S: 'EVENT#1' }))).toBe(false);
    expect(matchesFilter(reactorFilterPattern, record('INSERT', { S: 'PROPOSAL' }))).toBe(false);
    expect(matchesFilter(reactorFilterPattern, record('INSERT', { S: 'event#1' }))).toBe(false);
    expect(matchesFilter(reactorFilterPattern, record('INSERT', { N: '1' }))).toBe(false);
  });

  it('passes a notice ledger item to the reactor only when it carries a delivery report', () => {
    const { PK, SK } = keys.notice('n1');
    const ledger = (eventName: string, image: Record<string, unknown>) => ({
      eventName,
      dynamodb: { Keys: { PK: { S: PK }, SK: { S: SK } }, NewImage: { PK: { S: PK }, SK: { S: SK }, ...image } },
    });
    const passes = (r: unknown) => reactorFilterPatterns.some((p) => matchesFilter(p, r));
    expect(passes(ledger('MODIFY', { state: { S: 'failed' }, report: { S: 'failed' } }))).toBe(true);
    expect(passes(ledger('MODIFY', { state: { S: 'sent' }, report: { S: 'suppressed' } }))).toBe(true);
    expect(passes(ledger('INSERT', { state: { S: 'failed' }, report: { S: 'failed' } }))).toBe(true);
    expect(passes(ledger('MODIFY', { state: { S: 'sent' } }))).toBe(false); // the usual send: nothing to report
    expect(passes(ledger('INSERT', { state: { S: 'sending' } }))).toBe(false); // a claim
    expect(passes(ledger('REMOVE', { report: { S: 'failed' } }))).toBe(false);
    expect(passes(record('MODIFY', { S: 'PROPOSAL' }))).toBe(false);
  });

  it('passes an event item again when a redrive marks it (stream-poison), and no other change of one', () => {
    const passes = (r: unknown) => reactorFilterPatterns.some((p) => matchesFilter(p, r));
    const modified = (image: Record<string, unknown>) => ({
      eventName: 'MODIFY',
      dynamodb: { Keys: { PK: { S: 'P#1' }, SK: { S: 'EVENT#000000003' } }, NewImage: { type: { S: 'ProposalAssigned' }, ...image } },
    });
    expect(passes(modified({ [redrivenAttribute]: { BOOL: true }, redrives: { N: '1' } }))).toBe(true);
    expect(passes(modified({}))).toBe(false);
    expect(passes(modified({ [redrivenAttribute]: { BOOL: false } }))).toBe(false);
    expect(passes({ ...modified({ [redrivenAttribute]: { BOOL: true } }), eventName: 'REMOVE' })).toBe(false);
  });

  it('fails when a field the pattern names is missing', () => {
    expect(matchesFilter(reactorFilterPattern, { eventName: 'INSERT' })).toBe(false);
    expect(matchesFilter(reactorFilterPattern, { eventName: 'INSERT', dynamodb: 'x' })).toBe(false);
    expect(matchesFilter({ constructor: ['x'] }, {})).toBe(false);
  });

  it('matches exact values of any type, and any element of an array value', () => {
    expect(matchesFilter({ a: [1, true, null] }, { a: 1 })).toBe(true);
    expect(matchesFilter({ a: [1, true, null] }, { a: null })).toBe(true);
    expect(matchesFilter({ a: [1] }, { a: '1' })).toBe(false);
    expect(matchesFilter({ a: ['x'] }, { a: ['y', 'x'] })).toBe(true);
    expect(matchesFilter({ a: [{ prefix: 'ab' }] }, { a: ['zz', 'abc'] })).toBe(true);
  });

  it('an empty pattern matches everything; an empty matcher list nothing', () => {
    expect(matchesFilter({}, { anything: 1 })).toBe(true);
    expect(matchesFilter({ a: [] }, { a: 1 })).toBe(false);
  });

  it('rejects syntax it does not implement instead of guessing', () => {
    const matcher = { prefix: 'x', suffix: 'y' };
    expect(() => matchesFilter({ a: [matcher] }, { a: 'x' })).toThrow(/unsupported/);
  });
});
