/**
 * Each function's bundle holds the SDK clients of its own ports and no others: what the function may
 * do (its access in infra/wiring.ts) and what its entry wires (lazyHandler's outbound ports) agree,
 * and the api, which sends nothing, carries DynamoDB only (a smaller, faster cold start).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { env, functions, type FunctionName } from '#infra/wiring.ts';
import { lambdaBundle, projectRoot } from '#infra/constructs/proposal-function.ts';
import { writeCityConfigJson } from '#adapters/city-config-json.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';

/** The packages with code in the bundle (files tree-shaken to nothing do not count). */
async function packagesIn(entry: string): Promise<Set<string>> {
  const result = await build({
    ...lambdaBundle, mainFields: [...lambdaBundle.mainFields],
    entryPoints: [entry], absWorkingDir: projectRoot, write: false, outfile: 'out.mjs', metafile: true, logLevel: 'error',
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

describe('the bundles as Lambda runs them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cityFile = writeCityConfigJson(loadCityConfigFile(fileURLToPath(new URL('../../infra/cities/alar.yaml', import.meta.url))), dir);

  /** Bundles like the CDK construct (ESM, minified, SDK inside), then calls `handler` in a fresh node with no AWS reachable. */
  async function invokeBundled(name: FunctionName, event: unknown): Promise<unknown> {
    const outfile = join(dir, `${name}.mjs`);
    await build({
      ...lambdaBundle, mainFields: [...lambdaBundle.mainFields],
      entryPoints: [functions[name].entry], absWorkingDir: projectRoot, outfile, logLevel: 'error',
    });
    const code = `const { handler } = await import(${JSON.stringify(pathToFileURL(outfile).href)}); const out = await handler(JSON.parse(process.env.EVENT), {}); process.stdout.write('\\n' + JSON.stringify(out ?? null));`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH, EVENT: JSON.stringify(event), LOG_LEVEL: 'silent', POWERTOOLS_METRICS_DISABLED: 'true', AWS_REGION: 'cn-northwest-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        [env.cityConfigFile]: cityFile, [env.tableName]: 'proposals', [env.feedbackSecret]: 'secret', [env.noticesQueueUrl]: 'http://127.0.0.1:1/000000000000/notices',
      },
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
  }

  it('api: serves the OpenAPI document', async () => {
    const event = {
      version: '2.0', routeKey: '$default', rawPath: '/v1/openapi.json', rawQueryString: '', headers: {}, isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/v1/openapi.json', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' }, requestId: 'r', routeKey: '$default', stage: '$default', accountId: '0', apiId: 'a', domainName: 'd', domainPrefix: 'd', time: '', timeEpoch: 0 },
    };
    const out = await invokeBundled('api', event) as { statusCode: number; body: string };
    expect(out.statusCode).toBe(200);
    expect(JSON.parse(out.body).openapi).toBe('3.1.0');
  });

  it('reactor and mailer: an empty batch has no failures; bounces: a message that is not SES is dropped', async () => {
    expect(await invokeBundled('reactor', { Records: [] })).toEqual({ batchItemFailures: [] });
    expect(await invokeBundled('mailer', { Records: [] })).toEqual({ batchItemFailures: [] });
    expect(await invokeBundled('bounces', { Records: [{ Sns: { MessageId: 'm', Message: 'not json' } }] })).toBeNull();
  });
});
