/**
 * The project's zod: `zod/mini`, the tree-shakable build (functions instead of methods), which keeps
 * the Lambda bundles small and their cold start short. Unlike `zod`, it loads no locale: the English
 * messages are configured here, once, before any schema parses. Use `import * as z from
 * '#shared/zod.ts'` (a namespace import, so that the bundler keeps only what is used).
 * package.json declares every other module free of import side effects (so unused ones leave the
 * bundles) and lists this one under `sideEffects`: the `config` call below must stay in every bundle
 * (test/infra/bundles.test.ts checks a bundled api's English messages).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
