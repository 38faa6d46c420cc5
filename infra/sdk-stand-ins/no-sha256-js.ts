/**
 * Stands in for the SDK's pure-JS SHA-256 where Sha256Node imports it (infra/bundle.ts): Sha256Node
 * uses node:crypto and falls back to this only when node:crypto has no sha256, which Lambda's Node
 * always has. ~4 KB of bundle; should the fallback ever be taken, signing fails here, naming why.
 */
export class Sha256Js {
  constructor() {
    throw new Error('node:crypto has no sha256 and the pure-JS SHA-256 is not in this Lambda bundle (infra/bundle.ts)');
  }
}
