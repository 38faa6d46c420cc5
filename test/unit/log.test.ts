import { describe, expect, it, vi } from 'vitest';

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

  it('writes nothing below the level', async () => {
    expect(await linesOf((log) => log.debug('hidden'))).toEqual([]);
  });
});
