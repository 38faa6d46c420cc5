import { describe, expect, it } from 'vitest';
import LRUCache from '#infra/sdk-stand-ins/lru-cache.ts';
import { EventStreamSerde, eventStreamSerdeProvider } from '#infra/sdk-stand-ins/no-event-streams.ts';
import { Sha256Js } from '#infra/sdk-stand-ins/no-sha256-js.ts';

describe('the LRU cache that stands in for mnemonist/lru-cache in the bundles', () => {
  it('evicts the least recently used key at capacity; get and set make a key recent, peek and has do not', () => {
    const c = new LRUCache<string, number>(2);
    c.set('a', 1).set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3); // evicts b
    expect([c.has('a'), c.has('b'), c.has('c')]).toEqual([true, false, true]);
    expect(c.peek('a')).toBe(1); // does not refresh a
    c.set('c', 30); // refreshes c; a is the least recent
    c.set('d', 4); // evicts a
    expect([c.has('a'), c.get('c'), c.get('d'), c.size]).toEqual([false, 30, 4, 2]);
    expect(c.get('zzz')).toBeUndefined();
    c.clear();
    expect(c.size).toBe(0);
  });

  it('refuses a capacity that is not positive', () => {
    expect(() => new LRUCache(0)).toThrow(/capacity/);
  });
});

describe('the SDK parts left out of the bundles fail loudly, naming why, if ever reached', () => {
  it('event streams and the pure-JS SHA-256', () => {
    expect(() => new EventStreamSerde()).toThrow(/event streams are not in this Lambda bundle/);
    expect(() => eventStreamSerdeProvider()).toThrow(/event streams are not in this Lambda bundle/);
    expect(() => new Sha256Js()).toThrow(/pure-JS SHA-256 is not in this Lambda bundle/);
  });
});

describe('the environment-only SDK settings in the bundles', () => {
  it('no shared config files and no instance metadata region, as in Lambda; a config file named in the environment is refused by name', async () => {
    const { loadSharedConfigFiles, getInstanceMetadataRegion } = await import('#infra/sdk-stand-ins/env-only-config.ts');
    const saved = process.env.AWS_CONFIG_FILE;
    delete process.env.AWS_CONFIG_FILE;
    try {
      await expect(loadSharedConfigFiles()).resolves.toEqual({ configFile: {}, credentialsFile: {} });
      process.env.AWS_CONFIG_FILE = '/etc/aws/config';
      await expect(loadSharedConfigFiles()).rejects.toThrow(
        /AWS_CONFIG_FILE is set, but a Lambda bundle reads its AWS settings from the environment only/,
      );
    } finally {
      if (saved === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = saved;
    }
    await expect(getInstanceMetadataRegion()).resolves.toBeUndefined();
  });
});
