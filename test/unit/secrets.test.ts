/**
 * The functions' secrets (shared/adapters/secrets.ts, read by the Lambda entry): the feedback keys
 * from the secret's current and previous versions, a new key that verifies before it signs, the SES
 * keys; the Secrets Manager adapter against a stand-in that checks its signatures; the entry that
 * reads them at cold start, keeps them, and builds its state anew when a rotation changes them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from '#shared/wiring.ts';
import { createFeedbackToken, feedbackKey, verifyFeedbackToken, type FeedbackClaim } from '#app/feedback-token.ts';
import {
  feedbackKeySettleMs,
  readFeedbackKeys,
  readSesCredentials,
  secretsManager,
  secretsManagerEndpoint,
  secretsRefreshMs,
  sesKeysPlaceholder,
} from '#adapters/secrets.ts';
import { apiState, type AwsSettings } from '#adapters/aws-state.ts';
import { lazyHandlerOf, settingsEnv } from '#adapters/lambda-entry.ts';
import { writeCityConfigJson } from '#adapters/city-config-json.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { FakeSecrets, startSecretsManagerStandIn, type SecretsManagerStandIn } from '../fakes/secrets-manager.ts';

const ARN = 'arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:proposals-alar/feedback-AbCdEf';
const t0 = new Date('2026-06-01T00:00:00Z');
const minutes = (n: number) => n * 60_000;
const at = (ms: number) => new Date(t0.getTime() + ms);
/** What our entries read of Lambda's context: nothing. */
const lambdaContext: any = {};
const claim: FeedbackClaim = { proposalId: 'p-1', memberId: 'm-1', n: 1, expiresAt: new Date('2026-12-31T00:00:00Z') };

describe('the feedback keys from the secret', () => {
  it('signs with the current version and verifies with the previous one too', async () => {
    const secrets = new FakeSecrets();
    secrets.put(ARN, 'k1', at(-minutes(60 * 24)));
    expect(await readFeedbackKeys(secrets, ARN, t0)).toEqual({ current: feedbackKey('k1') });
    secrets.put(ARN, 'k2', at(-minutes(60)));
    expect(await readFeedbackKeys(secrets, ARN, t0)).toEqual({ current: feedbackKey('k2'), previous: feedbackKey('k1') });
  });

  it('a new key only verifies until it has settled, so no link carries a key a warm function has not read yet', async () => {
    const secrets = new FakeSecrets();
    secrets.put(ARN, 'k1', at(-minutes(60 * 24)));
    const before = await readFeedbackKeys(secrets, ARN, t0); // a warm function's keys, read before the rotation
    secrets.put(ARN, 'k2', t0);
    const settling = await readFeedbackKeys(secrets, ARN, at(secretsRefreshMs));
    expect(settling).toEqual({ current: feedbackKey('k1'), previous: feedbackKey('k2') });
    expect(verifyFeedbackToken(before, createFeedbackToken(settling, claim), at(secretsRefreshMs)).ok).toBe(true);
    const settled = await readFeedbackKeys(secrets, ARN, at(feedbackKeySettleMs));
    expect(settled).toEqual({ current: feedbackKey('k2'), previous: feedbackKey('k1') });
    // Every function has read the secret again since k2 was put; links signed before or after verify.
    const reread = await readFeedbackKeys(secrets, ARN, at(feedbackKeySettleMs - secretsRefreshMs));
    for (const keys of [settling, settled]) expect(verifyFeedbackToken(reread, createFeedbackToken(keys, claim), t0).ok).toBe(true);
  });

  it('fails when the secret has no current version', async () => {
    await expect(readFeedbackKeys(new FakeSecrets(), ARN, t0)).rejects.toThrow(`the secret ${ARN} has no current version`);
  });
});

describe('the SES keys from the secret', () => {
  const id = 'proposals-alar/ses-credentials';
  const keysIn = (value: string) => {
    const s = new FakeSecrets();
    s.put(id, value, t0);
    return s;
  };

  it('are the JSON the runbook puts there', async () => {
    expect(await readSesCredentials(keysIn('{"accessKeyId":"AKIA1","secretAccessKey":"s"}'), id)).toEqual({
      accessKeyId: 'AKIA1',
      secretAccessKey: 's',
    });
  });

  it('name the secret when it still holds the placeholder or is not that JSON', async () => {
    await expect(readSesCredentials(keysIn(JSON.stringify({ accessKeyId: sesKeysPlaceholder, secretAccessKey: 'x' })), id)).rejects.toThrow(
      `the secret ${id} still holds the placeholder`,
    );
    for (const bad of ['AKIA1:s', '{"accessKeyId":"AKIA1"}', '{"accessKeyId":"","secretAccessKey":"s"}'])
      await expect(readSesCredentials(keysIn(bad), id), bad).rejects.toThrow(`the secret ${id} is not {"accessKeyId"`);
  });
});

describe('the Secrets Manager adapter (against a stand-in that checks SigV4)', () => {
  const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const region = 'cn-northwest-1';
  let standIn: SecretsManagerStandIn;
  beforeAll(async () => {
    standIn = await startSecretsManagerStandIn({
      region,
      keys,
      versions: {
        [ARN]: [
          { value: 'k2', createdAt: t0, stages: ['AWSCURRENT'] },
          { value: 'k1', createdAt: at(-minutes(60)), stages: ['AWSPREVIOUS'] },
        ],
        only: [{ value: 'k1', createdAt: t0, stages: ['AWSCURRENT'] }],
      },
    });
  });
  afterAll(() => standIn.close());

  it('reads a version by its stage, with its creation time, in a signed request', async () => {
    const reader = secretsManager({ region, endpoint: standIn.endpoint, credentials: keys });
    expect(await reader.read(ARN, 'AWSCURRENT')).toEqual({ value: 'k2', createdAt: t0 });
    expect(await reader.read(ARN, 'AWSPREVIOUS')).toEqual({ value: 'k1', createdAt: at(-minutes(60)) });
    expect(standIn.requests.slice(-2)).toEqual([
      { secretId: ARN, stage: 'AWSCURRENT', signed: true },
      { secretId: ARN, stage: 'AWSPREVIOUS', signed: true },
    ]);
  });

  it('answers no previous version before the first rotation, but fails on a missing secret or a refused signature', async () => {
    const reader = secretsManager({ region, endpoint: standIn.endpoint, credentials: keys });
    expect(await reader.read('only', 'AWSPREVIOUS')).toBeUndefined();
    await expect(reader.read('missing', 'AWSCURRENT')).rejects.toThrow(
      'Secrets Manager GetSecretValue missing (AWSCURRENT) answered 400 ResourceNotFoundException',
    );
    const wrongKeys = secretsManager({ region, endpoint: standIn.endpoint, credentials: { ...keys, secretAccessKey: 'wrong' } });
    await expect(wrongKeys.read(ARN, 'AWSCURRENT')).rejects.toThrow('answered 403 InvalidSignatureException');
    expect(standIn.requests.at(-1)).toMatchObject({ signed: false });
  });

  it("uses the region's endpoint, amazonaws.com.cn in China", () => {
    expect(secretsManagerEndpoint('cn-northwest-1')).toBe('https://secretsmanager.cn-northwest-1.amazonaws.com.cn');
    expect(secretsManagerEndpoint('ap-southeast-1')).toBe('https://secretsmanager.ap-southeast-1.amazonaws.com');
  });
});

describe('a Lambda entry with secrets: read at cold start, kept, read again every few minutes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-test-'));
  const saved = { ...process.env };
  const settings: AwsSettings = {
    tableName: 'proposals',
    cityConfigFile: writeCityConfigJson(loadCityConfigFile(fileURLToPath(new URL('../../infra/cities/alar.yaml', import.meta.url))), dir),
    feedbackSecretArn: ARN,
    region: 'cn-northwest-1',
  };
  afterEach(() => {
    process.env = { ...saved };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An entry over the api state whose handler answers whether it verifies `token`, counting the states it built. */
  function entry(secrets: FakeSecrets, clock: { ms: number }) {
    process.env = { ...saved, ...settingsEnv(settings) };
    const built: string[] = [];
    const handler = lazyHandlerOf(
      (state: ReturnType<typeof apiState>) => async (token: string) => verifyFeedbackToken(state.feedbackSecret, token, t0).ok,
      (s) => {
        built.push(s.feedbackSecret?.current.kid ?? '');
        return apiState(s);
      },
      { secrets: () => secrets, now: () => clock.ms },
    );
    return { handler: (token: string) => handler(token, lambdaContext), built };
  }

  it('reads the keys once at cold start, and not again within the refresh period', async () => {
    const secrets = new FakeSecrets();
    secrets.put(ARN, 'k1', at(-minutes(60 * 24)));
    const clock = { ms: t0.getTime() };
    const { handler, built } = entry(secrets, clock);
    const token = createFeedbackToken({ current: feedbackKey('k1') }, claim);
    expect(await handler(token)).toBe(true);
    clock.ms += secretsRefreshMs - 1;
    expect(await handler(token)).toBe(true);
    expect(secrets.reads).toEqual([
      { secretId: ARN, stage: 'AWSCURRENT' },
      { secretId: ARN, stage: 'AWSPREVIOUS' },
    ]);
    expect(built).toEqual([feedbackKey('k1').kid]);
    // Read again after it; unchanged, so the state is kept.
    clock.ms += 1;
    expect(await handler(token)).toBe(true);
    expect(secrets.reads).toHaveLength(4);
    expect(built).toHaveLength(1);
  });

  it('learns a rotated key at its next read, and goes on verifying the links of the old one', async () => {
    const secrets = new FakeSecrets();
    secrets.put(ARN, 'k1', at(-minutes(60 * 24)));
    const clock = { ms: t0.getTime() };
    const { handler, built } = entry(secrets, clock);
    const byK1 = createFeedbackToken({ current: feedbackKey('k1') }, claim);
    const byK2 = createFeedbackToken({ current: feedbackKey('k2') }, claim);
    expect(await handler(byK1)).toBe(true);
    secrets.put(ARN, 'k2', at(minutes(1)));
    clock.ms += secretsRefreshMs;
    expect([await handler(byK1), await handler(byK2)]).toEqual([true, true]);
    clock.ms += feedbackKeySettleMs;
    expect([await handler(byK1), await handler(byK2)]).toEqual([true, true]);
    expect(built).toEqual([feedbackKey('k1').kid, feedbackKey('k1').kid, feedbackKey('k2').kid]); // settling, then k2 signs
  });

  it('keeps its keys when a later read fails, but fails a cold start it cannot read them for', async () => {
    const secrets = new FakeSecrets();
    secrets.put(ARN, 'k1', at(-minutes(60 * 24)));
    const clock = { ms: t0.getTime() };
    const { handler } = entry(secrets, clock);
    const token = createFeedbackToken({ current: feedbackKey('k1') }, claim);
    expect(await handler(token)).toBe(true);
    secrets.failing = true;
    clock.ms += secretsRefreshMs;
    expect(await handler(token)).toBe(true);
    const cold = entry(secrets, clock);
    await expect(cold.handler(token)).rejects.toThrow('Secrets Manager is not answering');
  });

  it('reads nothing for a function whose environment names no secret, and its state has no keys', async () => {
    const secrets = new FakeSecrets();
    process.env = { ...saved, ...settingsEnv({ ...settings, feedbackSecretArn: undefined }) };
    expect(process.env[env.feedbackSecretArn]).toBeUndefined();
    const handler = lazyHandlerOf((state: ReturnType<typeof apiState>) => async () => state.feedbackSecret.current, apiState, {
      secrets: () => secrets,
      now: () => t0.getTime(),
    });
    await expect(handler(undefined, lambdaContext)).rejects.toThrow('the feedback keys are not given to this function');
    expect(secrets.reads).toEqual([]);
  });
});
