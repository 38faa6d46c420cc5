import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from '#shared/wiring.ts';
import { apiStateFromEnv, appStateFromEnv, lazyHandler, lazyHandlerOf, mailerStateFromEnv, suppressionStateFromEnv } from '#app/state.ts';
import { allOutbound } from '#adapters/aws-outbound.ts';
import { writeCityConfigJson } from '#adapters/city-config-json.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';

describe('appStateFromEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'state-test-'));
  const saved = { ...process.env };
  beforeAll(() => {
    process.env[env.cityConfigFile] = writeCityConfigJson(loadCityConfigFile(fileURLToPath(new URL('../../infra/cities/alar.yaml', import.meta.url))), dir);
    process.env[env.tableName] = 'proposals';
    process.env[env.feedbackSecret] = 'test-secret';
    process.env[env.noticesQueueUrl] = 'http://127.0.0.1:1/000000000000/notices';
    process.env.AWS_REGION = 'us-east-1';
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the port a function did not wire instead of failing somewhere inside the SDK', async () => {
    const state = appStateFromEnv(); // the api's wiring: DynamoDB only
    await expect(state.notices.send([])).rejects.toThrow('the notices queue port is not wired into this function');
    await expect(state.mail.send({ from: 'a@b.cn', to: ['c@d.cn'], subject: 's', text: 't', html: 'h' })).rejects.toThrow('the mail port is not wired');
  });

  it('builds the outbound ports it is given', () => {
    const state = appStateFromEnv({ outbound: allOutbound });
    expect(state.notices.constructor.name).toBe('SqsNoticeQueue');
    expect(state.mail.constructor.name).toBe('SesMailer');
  });

  it('flushes the metrics counted in an invocation as one EMF line with the city as a dimension', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    const context: any = {};
    try {
      const handler = lazyHandler((state) => async (n: number) => {
        state.metrics.count('NoticesSent', n);
        return n;
      });
      await handler(2, context);
      await handler(0, context); // nothing counted: nothing written
    } finally {
      spy.mockRestore();
    }
    const emf = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => '_aws' in l);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ city: 'alar', service: 'proposals', NoticesSent: 2, _aws: { CloudWatchMetrics: [{ Namespace: 'Proposals', Dimensions: [expect.arrayContaining(['city'])] }] } });
  });

  it('builds the bounces state with the suppression list and none of the proposal parts', async () => {
    const state = suppressionStateFromEnv();
    expect(Object.keys(state).sort()).toEqual(['clock', 'config', 'metrics', 'suppression']);
    expect(state.config.id).toBe('alar');
    expect(state.suppression.constructor.name).toBe('DynamoSuppressionList');
    let built = 0;
    const handler = lazyHandlerOf((s: { metrics: typeof state.metrics; n: number }) => async (x: number) => s.n + x, () => ({ metrics: state.metrics, n: ++built * 10 }));
    expect([await handler(1, {} as any), await handler(2, {} as any)]).toEqual([11, 12]); // built once
  });

  it('builds the api state with the workflow and none of the delivery parts, and the mailer state with only those', () => {
    const api = apiStateFromEnv();
    expect(Object.keys(api).sort()).toEqual(['calendar', 'clock', 'config', 'feedbackSecret', 'idempotency', 'index', 'matcher', 'metrics', 'proposals', 'schedule', 'similar']);
    expect(api.proposals.constructor.name).toBe('DynamoProposalStore');
    const mailer = mailerStateFromEnv();
    expect(Object.keys(mailer).sort()).toEqual(['clock', 'config', 'ledger', 'metrics', 'suppression']);
    expect(mailer.ledger.constructor.name).toBe('DynamoNoticeLedger');
  });

  it('names a missing environment variable', () => {
    delete process.env[env.tableName];
    expect(() => appStateFromEnv()).toThrow(`environment variable ${env.tableName} is not set`);
  });
});
