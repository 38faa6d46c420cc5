import { describe, expect, it, vi } from 'vitest';
import { maskPersonalData } from '#shared/log.ts';

/** The JSON lines a fresh copy of shared/log.ts writes while `run` runs. */
async function linesOf(run: (log: (typeof import('#shared/log.ts'))['log']) => void): Promise<Record<string, unknown>[]> {
  vi.resetModules();
  const { log } = await import('#shared/log.ts');
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => lines.push(String(chunk)) > 0;
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  const saved = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'info';
  try {
    run(log);
  } finally {
    for (const spy of spies) spy.mockRestore();
    process.env.LOG_LEVEL = saved;
  }
  return lines.flatMap((l) => l.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('log', () => {
  it('puts the city on every line, whether it was set before the first line or after', async () => {
    const before = await linesOf((log) => {
      log.forCity('alar');
      log.info('one');
    });
    expect(before).toMatchObject([{ level: 'INFO', message: 'one', service: 'proposals', city: 'alar' }]);
    const after = await linesOf((log) => {
      log.info('one');
      log.forCity('alar');
      log.warn('two', { error: new Error('boom') });
    });
    expect(after[0]).not.toHaveProperty('city');
    expect(after[1]).toMatchObject({ level: 'WARN', message: 'two', city: 'alar', error: { name: 'Error', message: 'boom' } });
  });

  it('sends warnings and errors to stderr, the rest to stdout, with the X-Ray trace id when Lambda sets one', async () => {
    const streams: string[] = [];
    const saved = process.env._X_AMZN_TRACE_ID;
    const savedLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'info';
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    vi.resetModules();
    const { log } = await import('#shared/log.ts');
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation((c) => streams.push(`out ${String(c)}`) > 0),
      vi.spyOn(process.stderr, 'write').mockImplementation((c) => streams.push(`err ${String(c)}`) > 0),
    ];
    try {
      log.info('i');
      log.error('e');
    } finally {
      for (const spy of spies) spy.mockRestore();
      process.env.LOG_LEVEL = savedLevel;
      if (saved === undefined) delete process.env._X_AMZN_TRACE_ID;
      else process.env._X_AMZN_TRACE_ID = saved;
    }
    expect(streams.map((s) => s.slice(0, 3))).toEqual(['out', 'err']);
    expect(JSON.parse(streams[0]!.slice(4))).toMatchObject({ message: 'i', xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793' });
  });

  it('writes a field that does not serialise (a cycle, a bigint) as text instead of throwing', async () => {
    const cyclic: Record<string, unknown> = { id: 'p1' };
    cyclic.self = cyclic;
    const [line] = await linesOf((log) => log.info('odd', { cyclic, n: 10n, nested: { error: new TypeError('bad') } }));
    expect(line).toMatchObject({
      message: 'odd',
      cyclic: { id: 'p1', self: '[Circular]' },
      n: '10',
      nested: { error: { name: 'TypeError', message: 'bad' } },
    });
    expect(typeof line?.timestamp).toBe('string');
  });

  it('puts the request id on every line while it is set, and none once cleared', async () => {
    const lines = await linesOf((log) => {
      log.forRequest('req-1');
      log.info('one');
      log.error('two');
      log.forRequest(undefined);
      log.info('three');
    });
    expect(lines.map((l) => [l.message, l.requestId])).toEqual([
      ['one', 'req-1'],
      ['two', 'req-1'],
      ['three', undefined],
    ]);
  });

  it('masks email addresses and phone numbers in every text of a line: message, fields, names, errors', async () => {
    const [line] = await linesOf((log) =>
      log.error('mail to zhangsan@example.gov.cn failed', {
        to: ['li.si+work@mail.example.com', 'ab@x.cn'],
        phone: '13812345678',
        contact: '电话 +86 139-1234-5678，办公室 0571-87654321 或 (010)12345678',
        byAddress: { 'wang@example.com': 1 },
        error: new Error('Email address is not verified: zhao@example.org'),
      }),
    );
    const text = JSON.stringify(line);
    for (const whole of ['zhangsan@', 'li.si+work@', 'ab@x', '13812345678', '1234-5678', '87654321', '12345678', 'wang@', 'zhao@'])
      expect(text).not.toContain(whole);
    expect(line).toMatchObject({
      message: 'mail to zh***@example.gov.cn failed',
      to: ['li***@mail.example.com', 'a***@x.cn'],
      phone: '138****5678',
      contact: '电话 +86 139****5678，办公室 0571-****4321 或 010-****5678',
      byAddress: { 'wa***@example.com': 1 },
      error: { message: 'Email address is not verified: zh***@example.org' },
    });
  });

  it('leaves ids, times, sequence numbers and counts alone', async () => {
    const fields = {
      requestId: 'c0a8d6e2-1381-2345-6789-138123456789',
      trace: '1-5759e988-bd862e3fe1be46a994272793',
      at: '2026-03-02T09:00:00.000+08:00',
      sk: 'EVENT#000000012',
      sequenceNumber: '000000000000000000123',
      noticeId: 'p-1:12/assignment/commerce',
      number: '2026-012',
      count: 13812345678,
    };
    const [line] = await linesOf((log) => log.info('ok', fields));
    expect(line).toMatchObject(fields);
  });

  it('writes nothing below the level', async () => {
    expect(await linesOf((log) => log.debug('hidden'))).toEqual([]);
  });
});

describe('maskPersonalData', () => {
  it.each([
    ['zhangsan@example.gov.cn', 'zh***@example.gov.cn'],
    ['a@b.cn', 'a***@b.cn'],
    ['13812345678', '138****5678'],
    ['+8613812345678', '+86138****5678'],
    ['138 1234 5678', '138****5678'],
    ['0571-87654321', '0571-****4321'],
    ['010 1234567', '010-****4567'],
    ['no personal data', 'no personal data'],
    ['12345', '12345'],
  ])('%s -> %s', (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });
});
