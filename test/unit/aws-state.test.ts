import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from '#shared/wiring.ts';
import type { AppState } from '#app/state.ts';
import type { Commit } from '#domain/commit.ts';
import {
  apiState,
  appState,
  mailerState,
  reactorState,
  reportsState,
  suppressionState,
  sweepState,
  type AwsSettings,
} from '#adapters/aws-state.ts';
import { lazyHandlerOf, settingsEnv, settingsFromEnv } from '#adapters/lambda-entry.ts';
import { allOutbound, sqsNotices, sqsPoison } from '#adapters/aws-outbound.ts';
import { writeCityConfigJson } from '#adapters/city-config-json.ts';
import { feedbackKeys } from '#app/feedback-token.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import middy from '@middy/core';
import { flushMetrics } from '#functions/middlewares.ts';

const dir = mkdtempSync(join(tmpdir(), 'state-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings: AwsSettings = {
  tableName: 'proposals',
  cityConfigFile: writeCityConfigJson(loadCityConfigFile(fileURLToPath(new URL('../../infra/cities/alar.yaml', import.meta.url))), dir),
  feedbackSecret: feedbackKeys('test-secret'),
  noticesQueueUrl: 'http://127.0.0.1:1/000000000000/notices',
  streamPoisonQueueUrl: 'http://127.0.0.1:1/000000000000/stream-poison',
  region: 'us-east-1',
};

describe('the AWS-backed state, built from settings', () => {
  it('names the port a function did not wire instead of failing somewhere inside the SDK', async () => {
    const state = appState(settings); // the api's wiring: DynamoDB only
    await expect(state.notices.send([])).rejects.toThrow('the notices queue port is not wired into this function');
    await expect(state.mail.send({ from: 'a@b.cn', to: ['c@d.cn'], subject: 's', text: 't', html: 'h' })).rejects.toThrow(
      'the mail port is not wired',
    );
  });

  it('builds the outbound ports it is given', () => {
    const state = appState(settings, { outbound: allOutbound });
    expect(state.notices.constructor.name).toBe('SqsNoticeQueue');
    expect(state.poison.constructor.name).toBe('SqsPoisonQueue');
    expect(state.mail.constructor.name).toBe('SesMailer');
  });

  it('builds the bounces state with the suppression list and none of the proposal parts', () => {
    const state = suppressionState(settings);
    expect(Object.keys(state).sort()).toEqual(['clock', 'config', 'metrics', 'suppression']);
    expect(state.config.id).toBe('alar');
    expect(state.suppression.constructor.name).toBe('DynamoSuppressionList');
  });

  it('builds the api state with the workflow and none of the delivery parts, and the mailer state with only those', () => {
    const api = apiState(settings);
    expect(Object.keys(api).sort()).toEqual([
      'calendar',
      'clock',
      'config',
      'feedbackSecret',
      'idempotency',
      'index',
      'matcher',
      'members',
      'metrics',
      'proposals',
      'schedule',
      'similar',
      'timers',
    ]);
    expect(api.proposals.constructor.name).toBe('DynamoProposalStore');
    const mailer = mailerState({ tableName: settings.tableName, cityConfigFile: settings.cityConfigFile }); // no feedback secret, no queue: it needs neither
    expect(Object.keys(mailer).sort()).toEqual(['clock', 'config', 'ledger', 'metrics', 'suppression']);
    expect(mailer.ledger.constructor.name).toBe('DynamoNoticeLedger');
  });

  it('builds the reports state without the keyword matcher, the similar corpus, idempotency, timers or proposal writes: using one names it', async () => {
    const reports = reportsState(settings);
    expect(reports.proposals.constructor.name).toBe('DynamoProposalReader');
    const commit = (): Commit => {
      throw new Error('not built');
    };
    await expect(reports.proposals.create(2026, commit)).rejects.toThrow(/only reads/);
    await expect(reports.proposals.save(JSON.parse('{}'))).rejects.toThrow(/only reads/);
    expect(() => Reflect.get(reports.timers, 'due')).toThrow(/timer store/);
    expect(reports.schedule.constructor.name).toBe('TimerSchedule');
    expect(() => reports.matcher.assign('标题', '正文', reports.config.assignment)).toThrow(
      /keyword matcher is not built in this function/,
    );
    expect(() => Reflect.get(reports.similar, 'note')).toThrow(/similar-proposals corpus/);
    expect(() => Reflect.get(reports.idempotency, 'begin')).toThrow(/idempotency store/);
  });

  it('builds the reactor state with the workflow, its queues and its keys; a part it does not use names itself when used', async () => {
    const reactor = reactorState(settings, { notices: sqsNotices, poison: sqsPoison });
    expect(reactor.proposals.constructor.name).toBe('DynamoProposalStore');
    expect(reactor.index.constructor.name).toBe('DynamoProposalIndex');
    expect(reactor.notices.constructor.name).toBe('SqsNoticeQueue');
    expect(reactor.poison.constructor.name).toBe('SqsPoisonQueue');
    expect(reactor.matcher.assign('支持中小企业解决融资难', '', reactor.config.assignment).lead).toBeDefined();
    expect(reactor.feedbackSecret.current).toBeDefined();
    for (const [part, name] of [
      ['timers', 'timer store'],
      ['idempotency', 'idempotency store'],
      ['members', 'member directory'],
      ['ledger', 'notice ledger'],
      ['suppression', 'suppression list'],
      ['mail', 'mail port'],
    ] as const)
      expect(() => Reflect.get(reactor[part], 'get')).toThrow(
        `the ${name} is not built in this function (shared/adapters/aws-state.ts: reactorState)`,
      );
    expect(() => reactorState({ ...settings, streamPoisonQueueUrl: undefined }, { notices: sqsNotices, poison: sqsPoison })).toThrow(
      `setting streamPoisonQueueUrl is not set (environment variable ${env.streamPoisonQueueUrl})`,
    );
  });

  it('builds the sweep state with the timers, the proposals, the index and the notices queue; nothing else', () => {
    const sweep = sweepState(settings, { notices: sqsNotices });
    expect(sweep.timers.constructor.name).toBe('DynamoTimerStore');
    expect(sweep.proposals.constructor.name).toBe('DynamoProposalStore');
    expect(sweep.index.constructor.name).toBe('DynamoProposalIndex');
    expect(sweep.notices.constructor.name).toBe('SqsNoticeQueue');
    expect(sweep.schedule.constructor.name).toBe('TimerSchedule');
    for (const [part, name] of [
      ['matcher', 'keyword matcher'],
      ['similar', 'similar-proposals corpus'],
      ['idempotency', 'idempotency store'],
      ['members', 'member directory'],
      ['ledger', 'notice ledger'],
      ['suppression', 'suppression list'],
      ['mail', 'mail port'],
      ['poison', 'stream-poison queue'],
    ] as const)
      expect(() => Reflect.get(sweep[part], 'get')).toThrow(
        `the ${name} is not built in this function (shared/adapters/aws-state.ts: sweepState)`,
      );
  });

  it('names a missing setting and its environment variable, and the feedback keys a function is not given', () => {
    // The sweep shares the api's state but not its keys: built without them, failing only if used.
    const reports = apiState({ ...settings, feedbackSecret: undefined });
    expect(() => reports.feedbackSecret.current).toThrow(
      'the feedback keys are not given to this function (shared/wiring.ts: access.feedbackKey)',
    );
    expect(() => appState({ ...settings, noticesQueueUrl: undefined }, { outbound: allOutbound })).toThrow(
      `setting noticesQueueUrl is not set (environment variable ${env.noticesQueueUrl})`,
    );
  });
});

describe('a Lambda entry: the settings from the environment, the state on first use', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads back from the environment the settings it is given (as the CDK stack sets them)', () => {
    const all: AwsSettings = {
      ...settings,
      sesRegion: 'eu-west-1',
      feedbackSecretArn: 'arn:feedback',
      sesCredentialsSecretArn: 'arn:ses',
      metricsDisabled: true,
      endpoints: { dynamodb: 'http://d', sqs: 'http://q', ses: 'http://s', secretsManager: 'http://sm' },
    };
    process.env = { ...saved, ...settingsEnv(all) };
    // The region is the SDK's to read; the secrets' values are never in the environment (the entry reads them).
    const { region, feedbackSecret: _keys, ...fromEnv } = all;
    expect(Object.values(settingsEnv(all)).join(' ')).not.toContain('test-secret');
    expect(settingsFromEnv()).toEqual(fromEnv);
    expect(process.env.AWS_REGION).toBe(region);
  });

  it('names a missing environment variable', () => {
    process.env = { ...saved, ...settingsEnv(settings) };
    delete process.env[env.tableName];
    expect(() => settingsFromEnv()).toThrow(`environment variable ${env.tableName} is not set`);
  });

  it('builds the state once; its metrics, flushed by the middleware, are one EMF line with the city as a dimension', async () => {
    process.env = { ...saved, ...settingsEnv(settings) };
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    const context: any = {};
    try {
      const handler = lazyHandlerOf(
        (state: AppState) =>
          middy(async (n: number) => {
            state.metrics.count('NoticesSent', n);
            return n;
          }).use(flushMetrics(state.metrics)),
        (s) => appState(s),
      );
      await handler(2, context);
      await handler(0, context); // nothing counted: nothing written
    } finally {
      spy.mockRestore();
    }
    const emf = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => '_aws' in l);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      city: 'alar',
      service: 'proposals',
      NoticesSent: 2,
      _aws: { CloudWatchMetrics: [{ Namespace: 'Proposals', Dimensions: [expect.arrayContaining(['city'])] }] },
    });

    let built = 0;
    const metrics = suppressionState(settings).metrics;
    const own = lazyHandlerOf(
      (s: { metrics: typeof metrics; n: number }) => async (x: number) => s.n + x,
      () => ({ metrics, n: ++built * 10 }),
    );
    expect([await own(1, context), await own(2, context)]).toEqual([11, 12]); // built once
  });

  it('writes no metric lines with METRICS_DISABLED=true', async () => {
    process.env = { ...saved, ...settingsEnv({ ...settings, metricsDisabled: true }) };
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    try {
      await lazyHandlerOf(
        (state: AppState) => middy(async () => state.metrics.count('ProposalsSubmitted')).use(flushMetrics(state.metrics)),
        (s) => appState(s),
      )(undefined, {} as any);
    } finally {
      spy.mockRestore();
    }
    expect(lines.filter((l) => l.includes('_aws'))).toEqual([]);
  });
});
