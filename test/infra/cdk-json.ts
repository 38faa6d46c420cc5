/**
 * The context of cdk.json (the recommended feature flags), which the CDK CLI hands to infra/app.ts:
 * the tests build their Apps with it, so they synthesize what a deploy does.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { projectRoot } from '#infra/bundle.ts';

export const cdkJsonContext: Record<string, unknown> = z
  .object({ context: z.record(z.string(), z.unknown()) })
  .parse(JSON.parse(readFileSync(`${projectRoot}/cdk.json`, 'utf8'))).context;
