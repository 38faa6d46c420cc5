/**
 * Each function on fakes of our ports, fed the sample event of its trigger (test/events/) as AWS
 * would deliver it: every handler accepts the real shape, logs with the invocation's request id, and
 * flushes what it counted once the invocation ends.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { keys } from '#adapters/keys.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { createHandler as createApi } from '#functions/api/handler.ts';
import { createHandler as createReactor } from '#functions/reactor/handler.ts';
import { createHandler as createMailer } from '#functions/mailer/handler.ts';
import { createHandler as createSweep } from '#functions/sweep/handler.ts';
import { createHandler as createBounces } from '#functions/bounces/handler.ts';
import { fakeState } from '../fakes/index.ts';
import { lambdaContext, samples, streamBatch } from '../events/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const at = new Date('2026-03-02T09:00:00+08:00');
const proposers = [{ memberId: 'm-001', name: '王丽', email: 'wangli@example.com' }];

/** The JSON log lines written while `run` runs (LOG_LEVEL info). */
async function logged<T>(run: () => Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => lines.push(String(chunk)) > 0;
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  vi.stubEnv('LOG_LEVEL', 'info');
  try {
    return {
      result: await run(),
      lines: lines.flatMap((l) => l.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as Record<string, unknown>),
    };
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the sample event of each trigger, through its function', () => {
  it('api: the HTTP API sample (GET /v1/proposals?year=2026 by the office) is answered 200', async () => {
    const f = fakeState(config, at);
    const res = await createApi(f.state)(samples.apiGatewayHttp(), lambdaContext('api'));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '')).toEqual({ items: [] });
  });

  it('reactor: the stream sample, carrying the event item of a submitted proposal, registers and assigns it', async () => {
    const f = fakeState(config, at);
    const p = await submitProposal(
      f.state,
      { title: '关于发展夜市经济促进消费的建议', body: '建议规范夜市管理，完善夜市周边停车场和公交线路。', proposers },
      { role: 'member', sub: 'm-001' },
    );
    const submitted = f.proposals.eventLog[0]!;
    const out = await createReactor(f.state)(streamBatch([{ ...keys.event(p.id, submitted.seq), ...submitted }]), lambdaContext('reactor'));
    expect(out.batchItemFailures).toEqual([]);
    expect((await f.proposals.get(p.id))?.status).toBe('assigned');
    expect(f.metrics.flushed.map((m) => m.get('EventsHandled'))).toEqual([1]);
  });

  it('reactor: the stream sample as it is (a proposal this table does not hold) is taken, changing nothing', async () => {
    const f = fakeState(config, at);
    const out = await createReactor(f.state)(samples.dynamodbStreamBatch(), lambdaContext('reactor'));
    expect(out.batchItemFailures).toEqual([]);
    expect(f.proposals.proposals.size).toBe(0);
    expect(f.notices.sent).toEqual([]);
  });

  it('mailer: the SQS sample (an assignment notice to 商务局) is sent, with the request id on its log line', async () => {
    const f = fakeState(config, at);
    const { result, lines } = await logged(() => createMailer(f.state)(samples.sqsBatch(), lambdaContext('mailer', 'mailer-request-1')));
    expect(result.batchItemFailures).toEqual([]);
    expect(f.mail.outbox).toHaveLength(1);
    expect(f.mail.outbox[0]?.subject).toContain('交办通知');
    expect(lines.find((l) => l.message === 'mailer: notice handled')).toMatchObject({ requestId: 'mailer-request-1', result: 'sent' });
    expect(f.metrics.flushed.map((m) => Object.fromEntries(m))).toEqual([{ NoticesSent: 1 }]);
  });

  it('bounces: the SNS sample (an SES permanent bounce) suppresses the address', async () => {
    const f = fakeState(config, at);
    await createBounces(f.state)(samples.snsSesBounce(), lambdaContext('bounces'));
    expect([...f.suppression.entries.keys()]).toEqual(['gone@example.cn']);
    expect(f.metrics.flushed.map((m) => Object.fromEntries(m))).toEqual([{ AddressesSuppressed: 1 }]);
  });

  it('sweep: the schedule sample fires what is due (nothing on an empty table) and says so', async () => {
    const f = fakeState(config, at);
    const result = await createSweep(f.state)(samples.schedule(), lambdaContext('sweep'));
    expect(result).toMatchObject({ fired: 0, deferred: 0 });
    expect(f.metrics.counts.size).toBe(0);
  });
});
