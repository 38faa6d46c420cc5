/**
 * Stands in for `mnemonist/lru-cache` inside the Lambda bundles (an esbuild alias, infra/bundle.ts).
 * The DynamoDB client builds one for endpoint discovery (`@aws-sdk/endpoint-cache`), which it never
 * turns on unless asked; mnemonist's cache with its typed-array helpers weighs ~7 KB of bundle, this
 * one the few lines below. Same behaviour for what EndpointCache calls: get and set make a key the
 * most recent, peek and has do not, a set at capacity evicts the least recent key.
 */
export default class LRUCache<K, V> {
  private readonly items = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!(capacity > 0)) throw new Error('LRUCache: capacity must be a positive number');
  }

  get size(): number {
    return this.items.size;
  }

  has(key: K): boolean {
    return this.items.has(key);
  }

  peek(key: K): V | undefined {
    return this.items.get(key);
  }

  get(key: K): V | undefined {
    if (!this.items.has(key)) return undefined;
    const value = this.items.get(key) as V;
    this.items.delete(key);
    this.items.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    if (this.items.has(key)) this.items.delete(key);
    else if (this.items.size >= this.capacity) this.items.delete(this.items.keys().next().value as K);
    this.items.set(key, value);
    return this;
  }

  clear(): void {
    this.items.clear();
  }
}
