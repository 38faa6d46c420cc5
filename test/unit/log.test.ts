import { describe, expect, it, vi } from 'vitest';

/** The JSON lines a fresh copy of shared/log.ts writes while `run` runs. */
async function linesOf(run: (log: (typeof import('#shared/log.ts'))['log']) => void): Promise<Record<string, unknown>[]> {
  vi.resetModules();
  const { log } = await import('#shared/log.ts');
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => lines.push(String(chunk)) > 0;
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
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

  it('writes nothing below the level', async () => {
    expect(await linesOf((log) => log.debug('hidden'))).toEqual([]);
  });
});
