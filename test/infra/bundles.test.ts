/**
 * Each function's bundle holds the SDK clients of its own ports and no others: what the function may
 * do (its access in infra/wiring.ts) and what its entry wires (lazyHandler's outbound ports) agree,
 * and the api, which sends nothing, carries DynamoDB only (a smaller, faster cold start).
 */
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { functions, type FunctionName } from '#infra/wiring.ts';
import { projectRoot } from '#infra/constructs/proposal-function.ts';

/** The packages with code in the bundle (files tree-shaken to nothing do not count). */
async function packagesIn(entry: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [entry], absWorkingDir: projectRoot, bundle: true, write: false, outfile: 'out.mjs',
    platform: 'node', format: 'esm', target: 'node22', mainFields: ['module', 'main'], minify: true, metafile: true, logLevel: 'error',
  });
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  return new Set(Object.entries(inputs).filter(([, v]) => v.bytesInOutput > 0).flatMap(([path]) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? []));
}

describe('function bundles', () => {
  for (const name of Object.keys(functions) as FunctionName[]) {
    const { entry, access } = functions[name];
    it(`${name}: SQS client iff it sends to a queue, SES client iff it sends mail`, async () => {
      const pkgs = await packagesIn(entry);
      expect(pkgs.has('@aws-sdk/client-dynamodb')).toBe(true);
      expect(pkgs.has('@aws-sdk/client-sqs')).toBe(access.sendsTo.length > 0);
      expect(pkgs.has('@aws-sdk/client-sesv2')).toBe(access.sendsMail);
      expect(pkgs.has('zod')).toBe(true);
      expect(pkgs.has('chinese-days')).toBe(false); // compacted into shared/domain/national-days.ts
    });
  }
});
