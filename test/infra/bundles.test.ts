/**
 * Each function's bundle holds the SDK clients of its own ports and no others: what the function may
 * do (its access in shared/wiring.ts) and what its entry wires (lazyHandler's outbound ports) agree,
 * and the api, which sends nothing, carries DynamoDB only (a smaller, faster cold start). The SDK's
 * credentials come from Lambda's environment variables alone, and the city config arrives checked,
 * so no bundle carries the SDK's default credential chain or the city config schema. The SDK's
 * schemas keep only the operations a function calls (infra/bundle.ts inlines their computed keys).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { env, functions, type FunctionDecl, type FunctionName } from '#shared/wiring.ts';
import { besideBundle, bundleFunction, charsetOf, inlineSchemaKeys } from '#infra/bundle.ts';
import { ProposalFunction } from '#infra/constructs/proposal-function.ts';
import { writeCityConfigJson } from '#adapters/city-config-json.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { createFeedbackToken, feedbackKeys } from '#app/feedback-token.ts';
import { startSecretsManagerStandIn } from '../fakes/secrets-manager.ts';

const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files with code in the bundle (files tree-shaken to nothing do not count). */
async function filesIn(entry: string): Promise<string[]> {
  const out = join(dir, 'last');
  const meta = await bundleFunction(entry, out, { logLevel: 'error' });
  const inputs = meta.outputs['index.mjs']?.inputs ?? {};
  return Object.entries(inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([path]) => path);
}

/** The packages those files belong to. */
const packagesOf = (files: string[]) => new Set(files.flatMap((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? []));

describe('function bundles', () => {
  for (const name of Object.keys(functions) as FunctionName[]) {
    const { entry, access } = functions[name];
    it(`${name}: SQS client iff it sends to a queue, SES client iff it sends mail`, async () => {
      const pkgs = packagesOf(await filesIn(entry));
      expect(pkgs.has('@aws-sdk/client-dynamodb')).toBe(true);
      expect(pkgs.has('@aws-sdk/client-sqs')).toBe(access.sendsTo.length > 0);
      expect(pkgs.has('@aws-sdk/client-sesv2')).toBe(access.sendsMail);
      expect(pkgs.has('zod')).toBe(true);
      expect(pkgs.has('chinese-days')).toBe(false); // compacted into shared/domain/national-days.ts
    });

    it(`${name}: credentials from the environment only; no YAML, no city config schema`, async () => {
      const files = await filesIn(entry);
      const pkgs = packagesOf(files);
      expect(pkgs.has('@aws-sdk/credential-provider-env')).toBe(true);
      for (const chain of [
        '@aws-sdk/credential-provider-node',
        '@aws-sdk/credential-provider-ini',
        '@aws-sdk/credential-provider-sso',
        '@aws-sdk/nested-clients',
      ])
        expect(pkgs.has(chain)).toBe(false);
      expect(pkgs.has('yaml')).toBe(false);
      expect(files).not.toContain('shared/domain/city-config-schema.ts');
    });
  }

  it("no bundle carries the SDK's unreachable parts (and each is in its charset): the event-stream codec, the pure-JS SHA-256, mnemonist, the shared config files, the instance metadata region, a client's whole package.json", async () => {
    for (const name of Object.keys(functions) as FunctionName[]) {
      const files = await filesIn(functions[name].entry);
      expect(
        files.filter((f) =>
          /event-streams[\\/]|Sha256Js\.js$|node_modules[\\/]mnemonist[\\/]|shared-ini-file-loader[\\/](loadSharedConfigFiles|parseIni|readFile)\.js$|getInstanceMetadataRegion\.js$/.test(
            f,
          ),
        ),
      ).toEqual([]);
      expect(files).toContain('infra/sdk-stand-ins/no-event-streams.ts');
      const code = readFileSync(join(dir, 'last', 'index.mjs'), 'utf8');
      // ASCII only (Chinese text escaped) but where the bundler writes UTF-8 (charsetOf; docs/performance.md).
      const nonAscii = [...code].filter((c) => c.charCodeAt(0) > 0x7f);
      if (charsetOf(functions[name].entry) === 'ascii') expect(nonAscii).toEqual([]);
      else expect(nonAscii.length).toBeGreaterThan(1000);
      expect(code).not.toMatch(/devDependencies:/);
      expect(code).toMatch(/"@aws-sdk\/client-dynamodb",version:"3\.\d+\.\d+"|name:"@aws-sdk\/client-dynamodb",version:"3\./);
    }
  });

  it('the mailer carries its ledger and the suppression list and none of the proposal workflow (it writes no proposal); the api no delivery records', async () => {
    const mailer = await filesIn(functions.mailer.entry);
    expect(mailer).toEqual(
      expect.arrayContaining([
        'shared/adapters/dynamo-notice-ledger.ts',
        'shared/adapters/dynamo-suppression-list.ts',
        'shared/render/emails.ts',
      ]),
    );
    for (const f of [
      'shared/domain/calendar.ts',
      'shared/domain/matcher.ts',
      'shared/adapters/dynamo-store.ts',
      'shared/app/run-command.ts',
      'events/domain-events.ts',
    ])
      expect(mailer).not.toContain(f);
    const api = await filesIn(functions.api.entry);
    for (const f of ['shared/adapters/dynamo-notice-ledger.ts', 'shared/adapters/dynamo-suppression-list.ts']) expect(api).not.toContain(f);
  });

  it('the reactor carries the workflow it drives and none of what it never uses (its own state: reactorState)', async () => {
    const files = await filesIn(functions.reactor.entry);
    expect(files).toEqual(
      expect.arrayContaining(['shared/adapters/dynamo-store.ts', 'shared/domain/matcher.ts', 'shared/adapters/secrets.ts']),
    );
    for (const f of [
      'shared/adapters/dynamo-idempotency.ts',
      'shared/adapters/dynamo-member-directory.ts',
      'shared/adapters/dynamo-timer-store.ts',
      'shared/adapters/dynamo-notice-ledger.ts',
      'shared/adapters/dynamo-suppression-list.ts',
    ])
      expect(files).not.toContain(f);
  });

  it('bounces carries the suppression list and none of the proposal workflow (its own state)', async () => {
    const files = await filesIn(functions.bounces.entry);
    expect(files).toContain('shared/adapters/dynamo-suppression-list.ts');
    for (const f of ['shared/domain/calendar.ts', 'shared/domain/matcher.ts', 'shared/adapters/dynamo-store.ts', 'events/domain-events.ts'])
      expect(files).not.toContain(f);
  });

  it('the api carries neither the OpenAPI text nor its generator (a file beside the bundle, read on demand)', async () => {
    const files = await filesIn(functions.api.entry);
    expect(files.filter((f) => /openapi/.test(f))).toEqual([]);
  });

  it('the SDK in a bundle signs with the credentials Lambda puts in the environment, and names what is missing without them', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"TableNames":[]}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await bundleFunction(
        {
          contents: `import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
        try { await new DynamoDBClient({ endpoint: ${JSON.stringify(endpoint)} }).send(new ListTablesCommand({})); console.log('ok'); } catch (e) { console.log(e.message); }`,
        },
        join(dir, 'list'),
        { logLevel: 'error' },
      );
      const outfile = join(dir, 'list', 'index.mjs');
      const run = (creds: Record<string, string>) =>
        new Promise<string>((resolve, reject) => {
          const home = mkdtempSync(join(dir, 'home-')); // no ~/.aws to fall back on
          execFile(
            process.execPath,
            [outfile],
            {
              env: {
                PATH: process.env.PATH,
                HOME: home,
                AWS_REGION: 'cn-northwest-1',
                AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
                ...creds,
              },
            },
            (err, stdout) => (err ? reject(new Error(err.message)) : resolve(stdout.trim())),
          );
        });
      expect(await run({ AWS_ACCESS_KEY_ID: 'AKIDLAMBDAROLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' })).toBe('ok');
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain('Credential=AKIDLAMBDAROLE/');
      expect(await run({})).toMatch(/environment variable credentials/);
      expect(seen).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});

describe("the SDK's schemas in the bundles", () => {
  it('inlines the computed keys whose string constant the file declares, and nothing else', () => {
    const src =
      'const _h = "http";\nconst _e = "error";\nexport var A$ = [9, n0, _A, { [_h]: ["POST", "/v2/x", 200], [_x]: 1 }, () => B$];\nexport var B$ = [-3, n0, _B, { [_e]: "client" }, [], []];\nconst y = c ? d[_h]: 1;';
    expect(inlineSchemaKeys(src)).toBe(src.replace('{ [_h]:', '{ "http":').replace('{ [_e]:', '{ "error":'));
  });

  it("mailer: keeps SendEmail's schema and drops the SESv2 operations it never calls", async () => {
    const meta = await bundleFunction(functions.mailer.entry, join(dir, 'mailer-schemas'), { logLevel: 'error' });
    expect(Object.keys(meta.outputs['index.mjs']?.inputs ?? {})).toContainEqual(
      expect.stringMatching(/client-sesv2\/dist-es\/schemas\/schemas_0\.js$/),
    );
    const code = readFileSync(join(dir, 'mailer-schemas', 'index.mjs'), 'utf8');
    expect(code).toContain('SendEmailRequest');
    expect(code).toContain('/v2/email/outbound-emails');
    for (const unused of ['PutAccountDetails', '/v2/email/account/details', 'CreateContactList']) expect(code).not.toContain(unused);
  });

  it.each(['client-dynamodb', 'client-sqs', 'client-sesv2'])(
    '%s: the schema file exports the same values with its keys inlined',
    async (client) => {
      const require = createRequire(import.meta.url);
      const schemas = join(dirname(require.resolve(`@aws-sdk/${client}`)), '../dist-es/schemas/schemas_0.js');
      const dump = async (name: string, plugins?: []) => {
        await bundleFunction({ contents: `export * from ${JSON.stringify(schemas)};` }, join(dir, name), {
          logLevel: 'error',
          minify: false,
          ...(plugins ? { plugins } : {}),
        });
        const code = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, name, 'index.mjs')).href)}); process.stdout.write(JSON.stringify(m, (k, v) => (typeof v === 'function' ? \`fn \${v.name}\` : v)));`;
        return execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
      };
      const [stock, inlined] = [await dump(`${client}-stock`, []), await dump(`${client}-inlined`)];
      expect(stock.length).toBeGreaterThan(1000);
      expect(inlined).toBe(stock);
    },
  );
});

const execFileAsync = promisify(execFile);

/** POST /v1/feedback as API Gateway hands it to the api. */
function feedbackPost(token: string): unknown {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/v1/feedback',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    body: JSON.stringify({ token, satisfaction: 'satisfied' }),
    requestContext: {
      http: { method: 'POST', path: '/v1/feedback', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r',
      routeKey: '$default',
      stage: '$default',
      accountId: '0',
      apiId: 'a',
      domainName: 'd',
      domainPrefix: 'd',
      time: '',
      timeEpoch: 0,
    },
  };
}

describe('the bundles as Lambda runs them', () => {
  const cityFile = writeCityConfigJson(loadCityConfigFile(fileURLToPath(new URL('../../infra/cities/alar.yaml', import.meta.url))), dir);

  /**
   * Bundles like the CDK construct (ESM, minified, SDK inside, its `files` beside), then calls `handler` in a fresh node with no AWS
   * reachable (but what `extraEnv` points it at).
   */
  async function invokeBundled(name: FunctionName, event: unknown, extraEnv: Record<string, string> = {}): Promise<unknown> {
    const decl: FunctionDecl = functions[name];
    await bundleFunction(decl.entry, join(dir, name), { logLevel: 'error' });
    for (const [file, from] of Object.entries(besideBundle(decl))) copyFileSync(from, join(dir, name, file));
    const outfile = join(dir, name, 'index.mjs');
    const code = `const { handler } = await import(${JSON.stringify(pathToFileURL(outfile).href)}); const out = await handler(JSON.parse(process.env.EVENT), {}); process.stdout.write('\\n' + JSON.stringify(out ?? null));`;
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        EVENT: JSON.stringify(event),
        LOG_LEVEL: 'silent',
        [env.metricsDisabled]: 'true',
        AWS_REGION: 'cn-northwest-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        [env.cityConfigFile]: cityFile,
        [env.tableName]: 'proposals',
        [env.noticesQueueUrl]: 'http://127.0.0.1:1/000000000000/notices',
        [env.streamPoisonQueueUrl]: 'http://127.0.0.1:1/000000000000/stream-poison',
        ...extraEnv,
      },
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
  }

  it('api: serves the OpenAPI document', async () => {
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/openapi.json',
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', path: '/v1/openapi.json', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
        requestId: 'r',
        routeKey: '$default',
        stage: '$default',
        accountId: '0',
        apiId: 'a',
        domainName: 'd',
        domainPrefix: 'd',
        time: '',
        timeEpoch: 0,
      },
    };
    const out = (await invokeBundled('api', event)) as { statusCode: number; body: string };
    expect(out.statusCode).toBe(200);
    expect(JSON.parse(out.body).openapi).toBe('3.1.0');
  });

  it("api: no zod locale is bundled (shared/zod.ts words every issue itself), not even the English one of the city config's problems", async () => {
    const files = await filesIn(functions.api.entry);
    expect(files.filter((f) => f.includes('zod/v4/locales/'))).toEqual([]);
  });

  it('api: a bad body is answered with the Chinese zod messages (shared/zod.ts configures them: a side effect the bundle keeps)', async () => {
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/feedback',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      isBase64Encoded: false,
      body: JSON.stringify({ token: 1, satisfaction: 'satisfied' }),
      requestContext: {
        http: { method: 'POST', path: '/v1/feedback', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
        requestId: 'r',
        routeKey: '$default',
        stage: '$default',
        accountId: '0',
        apiId: 'a',
        domainName: 'd',
        domainPrefix: 'd',
        time: '',
        timeEpoch: 0,
      },
    };
    const out = (await invokeBundled('api', event)) as { statusCode: number; body: string };
    expect(out.statusCode).toBe(400);
    expect(out.body).toContain('token');
    expect(out.body).toContain('应为文字，收到的是数字');
  });

  it('api: reads the feedback keys from Secrets Manager at cold start (signed requests), and checks links against both', async () => {
    const keys = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      sessionToken: 'lambda-session',
    };
    const arn = 'arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:proposals-alar/feedback-AbCdEf';
    const day = 24 * 3600_000;
    const standIn = await startSecretsManagerStandIn({
      region: 'cn-northwest-1',
      keys,
      versions: {
        [arn]: [
          { value: 'k2', createdAt: new Date(Date.now() - day), stages: ['AWSCURRENT'] },
          { value: 'k1', createdAt: new Date(Date.now() - 30 * day), stages: ['AWSPREVIOUS'] },
        ],
      },
    });
    // As Lambda sets them: the role's credentials, and the secret's ARN (not its value) from the stack.
    const lambdaEnv = {
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      AWS_SESSION_TOKEN: keys.sessionToken,
      [env.feedbackSecretArn]: arn,
      [env.secretsManagerEndpoint]: standIn.endpoint,
    };
    const rate = (token: string) => invokeBundled('api', feedbackPost(token), lambdaEnv) as Promise<{ statusCode: number; body: string }>;
    // Expired links, so that nothing is written: the reason says which check they got to.
    const claim = { proposalId: 'p-1', memberId: 'm-1', n: 1, expiresAt: new Date('2020-01-01T00:00:00Z') };
    try {
      const byPrevious = await rate(createFeedbackToken(feedbackKeys('k1'), claim));
      expect([byPrevious.statusCode, byPrevious.body]).toEqual([400, expect.stringContaining('链接已过期')]); // the signature held
      const byRetired = await rate(createFeedbackToken(feedbackKeys('k0'), claim));
      expect([byRetired.statusCode, byRetired.body]).toEqual([400, expect.stringContaining('链接的签名密钥已停用')]);
      expect(standIn.requests).toEqual(
        ['AWSCURRENT', 'AWSPREVIOUS', 'AWSCURRENT', 'AWSPREVIOUS'].map((stage) => ({ secretId: arn, stage, signed: true })),
      );
    } finally {
      await standIn.close();
    }
  });

  it('reactor and mailer: an empty batch has no failures; bounces: a message that is not SES is dropped', async () => {
    expect(await invokeBundled('reactor', { Records: [] })).toEqual({ batchItemFailures: [] });
    expect(await invokeBundled('mailer', { Records: [] })).toEqual({ batchItemFailures: [] });
    expect(await invokeBundled('bounces', { Records: [{ Sns: { MessageId: 'm', Message: 'not json' } }] })).toBeNull();
  });
});

describe('ProposalFunction bundling (local, no Docker)', () => {
  it('puts index.mjs, its map, the city config and the api files in the asset, hashed from the output alone', () => {
    const cityConfigJsonFile = writeCityConfigJson(
      loadCityConfigFile(fileURLToPath(new URL('../../infra/cities/alar.yaml', import.meta.url))),
      dir,
    );
    /** The asset folders a synth of the api function writes into outdir (bundled as `cdk synth` does). */
    const assetsIn = (outdir: string) => {
      const app = new App({ outdir: join(dir, outdir) });
      new ProposalFunction(new Stack(app, 'S'), 'Api', { decl: functions.api, functionName: 'api', environment: {}, cityConfigJsonFile });
      app.synth();
      return readdirSync(join(dir, outdir)).filter((f) => f.startsWith('asset.'));
    };
    const [first, second] = [assetsIn('synth-1'), assetsIn('synth-2')];
    expect(first).toHaveLength(1);
    expect(second).toEqual(first);
    expect(readdirSync(join(dir, 'synth-1', first[0]!)).sort()).toEqual(['city.json', 'index.mjs', 'index.mjs.map', 'openapi.json']);
    expect(readFileSync(join(dir, 'synth-1', first[0]!, 'index.mjs.map'), 'utf8')).toContain('"functions/api/handler.ts"');
  });
});
