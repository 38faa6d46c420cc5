/**
 * The Lambda bundles, as deployed (infra/bundle.ts: minified, the SDK inside with its unreachable
 * parts replaced), driven by the local stack against the real emulators: a proposal is submitted
 * through the bundled api, registered and assigned by the bundled reactor, mailed by the bundled
 * mailer through the SES emulator; a bounce through the bundled bounces function makes the next
 * assignment fail, and the office is told. The source handlers are tested everywhere else; this
 * proves the trimmed SDK still signs, marshals, sends and reports errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { LocalHandlers } from '#infra/local/stack.ts';
import { functions, type FunctionDecl, type FunctionName } from '#shared/wiring.ts';
import { besideBundle, bundleFunction } from '#infra/bundle.ts';
import { writeCityConfigJson } from '#adapters/city-config-json.ts';
import { settingsEnv } from '#adapters/lambda-entry.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { ALAR, byId, sampleProposers, startApi, type Api } from './support.ts';

type LambdaModule = { handler: (event: unknown, context: Context) => Promise<unknown> };

const dir = mkdtempSync(join(tmpdir(), 'bundled-'));
let api: Api;
const savedEnv = { ...process.env };

async function bundled(name: FunctionName): Promise<(event: never) => Promise<unknown>> {
  const out = join(dir, name);
  const decl: FunctionDecl = functions[name];
  await bundleFunction(decl.entry, out, { logLevel: 'error', sourcemap: false }); // the map only names sources vitest cannot find
  for (const [file, from] of Object.entries(besideBundle(decl))) copyFileSync(from, join(out, file));
  const { handler } = (await import(/* @vite-ignore */ pathToFileURL(join(out, 'index.mjs')).href)) as LambdaModule;
  // What our handlers and middy read of the context.
  const context: Partial<Context> = { functionName: name, awsRequestId: 'bundled', getRemainingTimeInMillis: () => 30_000 };
  return (event) => handler(event, context as Context);
}

beforeAll(async () => {
  const handlers = {
    api: await bundled('api'),
    reports: await bundled('reports'),
    reactor: await bundled('reactor'),
    mailer: await bundled('mailer'),
    sweep: await bundled('sweep'),
    bounces: await bundled('bounces'),
  } as unknown as LocalHandlers;
  api = await startApi({ handlers });
  // The bundles read their settings from the environment, as in Lambda: the stack's, with our city (they build their state on first use).
  const config = loadCityConfigFile(ALAR);
  const cityConfigFile = writeCityConfigJson({ ...config, email: { ...config.email, linkBase: api.stack.urls.api } }, dir);
  Object.assign(process.env, settingsEnv({ ...api.stack.settings, cityConfigFile }));
}, 120_000);

afterAll(async () => {
  await api?.stack.stop();
  process.env = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

/** The support client, with this file's short argument order. */
const call = (method: string, path: string, token?: string, body?: unknown) =>
  api.call(method, path, { ...(token ? { token } : {}), ...(body ? { body } : {}) });
const emails = () => api.emails();
const nightMarket = {
  title: '关于发展夜市经济促进消费的建议',
  body: '建议规范夜市管理，完善夜市周边停车场和公交线路。',
  proposers: byId(sampleProposers),
};

describe('the bundles on the local emulators', () => {
  it('api -> reactor -> mailer: the proposal is assigned by keyword and the unit gets its email', async () => {
    const member = await api.token('member', { memberId: 'm-wang' });
    const res = await call('POST', '/v1/proposals', member, nightMarket);
    expect(res.status).toBe(201);
    await api.settle();
    const got = await call('GET', `/v1/proposals/${res.body.id}`, member);
    expect(got.body).toMatchObject({ status: 'assigned', lead: 'commerce' });
    const mail = (await emails()).filter((m) => m.subject.includes(res.body.number));
    expect(mail.find((m) => m.to.includes('swj@example.gov.cn'))?.subject).toContain('交办通知');
  });

  it('reports: the statistics of the year, through the reports bundle', async () => {
    const leader = await api.token('leader');
    const res = await call('GET', '/v1/reports/summary?year=2026', leader);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2026 });
    expect(res.body.total).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/v1/reports/summary?year=1999', leader)).status).toBe(400);
  });

  it('sweep: the bundled sweep builds its own state (shared/adapters/aws-state.ts: sweepState) and runs without a failure', async () => {
    const res = await call('POST', '/_local/sweep');
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ failed: 0 });
    expect(res.body.result.fired).toBeTypeOf('number');
  });

  it('answers bad input 400 naming the field, and serves the OpenAPI file beside the bundle', async () => {
    const bad = await call('POST', '/v1/proposals', await api.token('member', { memberId: 'm-wang' }), { ...nightMarket, title: 7 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('title');
    expect((await call('GET', '/v1/openapi.json')).body.openapi).toBe('3.1.0');
  });

  it('bounces -> suppression list; the mailer then skips the address and the office is told', async () => {
    expect((await call('POST', '/_local/bounce', undefined, { email: 'swj@example.gov.cn' })).status).toBe(200);
    const office = await api.token('office');
    const res = await call('POST', '/v1/proposals', office, nightMarket);
    await api.settle();
    const mail = (await emails()).filter((m) => m.subject.includes(res.body.number));
    expect(mail.filter((m) => m.to.includes('swj@example.gov.cn'))).toEqual([]);
    const told = mail.filter((m) => m.to.includes('zhengfuban@example.gov.cn') && m.subject.includes('通知发送失败'));
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain('swj@example.gov.cn');
  });
});
