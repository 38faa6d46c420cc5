import { describe, expect, it } from 'vitest';
import { resolveRecipients } from '#domain/recipients.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';

const directory = {
  units: [
    { id: 'commerce', email: ['swj@example.gov.cn', 'SWJ2@example.gov.cn'], head: ['swj-head@example.gov.cn'] },
    { id: 'urban', email: ['cgj@example.gov.cn'], head: [] },
  ],
  email: {
    office: ['zhengfuban@example.gov.cn', 'Swj@Example.gov.cn'],
    leaders: [{ name: '分管副市长', email: 'leader@example.gov.cn' }],
  },
};

describe('resolveRecipients', () => {
  it('resolves every kind of recipient from the city config', () => {
    expect(resolveRecipients(directory, [{ kind: 'unit', unit: 'urban' }])).toEqual(['cgj@example.gov.cn']);
    expect(resolveRecipients(directory, [{ kind: 'unitHead', unit: 'commerce' }])).toEqual(['swj-head@example.gov.cn']);
    expect(resolveRecipients(directory, [{ kind: 'leaders' }])).toEqual(['leader@example.gov.cn']);
    expect(resolveRecipients(directory, [{ kind: 'address', email: 'wang@example.com', name: '王丽' }])).toEqual(['wang@example.com']);
  });

  it('leaders of a unit (分管领导): those in charge of it, and those with no units (in charge of every unit)', () => {
    const leaders = [
      { name: '分管商务的副市长', email: 'a@example.gov.cn', units: ['commerce'] },
      { name: '分管城管的副市长', email: 'b@example.gov.cn', units: ['urban'] },
      { name: '秘书长', email: 'c@example.gov.cn' },
    ];
    const d = { ...directory, email: { ...directory.email, leaders } };
    expect(resolveRecipients(d, [{ kind: 'leaders', unit: 'commerce' }])).toEqual(['a@example.gov.cn', 'c@example.gov.cn']);
    expect(resolveRecipients(d, [{ kind: 'leaders', unit: 'urban' }])).toEqual(['b@example.gov.cn', 'c@example.gov.cn']);
    expect(resolveRecipients(d, [{ kind: 'leaders' }])).toEqual(['a@example.gov.cn', 'b@example.gov.cn', 'c@example.gov.cn']);
  });

  it('de-duplicates case-insensitively, lower-cased, in first-seen order', () => {
    const to = resolveRecipients(directory, [
      { kind: 'unit', unit: 'commerce' },
      { kind: 'office' },
      { kind: 'address', email: 'SWJ@example.gov.cn' },
      { kind: 'unit', unit: 'commerce' },
    ]);
    expect(to).toEqual(['swj@example.gov.cn', 'swj2@example.gov.cn', 'zhengfuban@example.gov.cn']);
  });

  it('yields nothing for an unknown unit or a unit without a head', () => {
    expect(
      resolveRecipients(directory, [
        { kind: 'unit', unit: 'nobody' },
        { kind: 'unitHead', unit: 'urban' },
      ]),
    ).toEqual([]);
  });

  it('works on a real city config', () => {
    const config = loadCityConfigFile('infra/cities/alar.yaml');
    const to = resolveRecipients(config, [{ kind: 'unit', unit: 'commerce' }, { kind: 'office' }, { kind: 'leaders' }]);
    expect(to).toContain('zhengfuban@example.gov.cn');
    expect(to).toContain('leader@example.gov.cn');
    expect(new Set(to).size).toBe(to.length);
  });
});
