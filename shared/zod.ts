/**
 * The project's zod: `zod/mini`, the tree-shakable build (functions instead of methods), which keeps
 * the Lambda bundles small and their cold start short. Unlike `zod`, it loads no locale: the English
 * messages are configured here, once, before any schema parses. Use `import * as z from
 * '#shared/zod.ts'` (a namespace import, so that the bundler keeps only what is used).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
