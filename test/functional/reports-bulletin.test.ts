/**
 * GET /v1/reports/bulletin (通报 in the console) on the fakes: routed to the reports function, the
 * same rows as the monthly email's bulletinVars, the month defaulting to the one just ended, roles,
 * and bad query values named by field.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { react } from '#app/react.ts';
import { allOfYear } from '#app/ports.ts';
import { bulletinVars, periodRange } from '#domain/bulletin.ts';
import { createHandler } from '#functions/api/handler.ts';
import { createHandler as createReports } from '#functions/reports/handler.ts';
import { bulletinView } from '#functions/reports/bulletin.ts';
import { httpFunctionFor } from '#shared/wiring.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext } from '../events/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const ctx = lambdaContext('reports');
const office = { sub: 'office-1', role: 'office' };
const leader = { sub: 'leader-1', role: 'leader' };
const member = { sub: 'm-1', role: 'member', memberId: 'm-1' };

let f: ReturnType<typeof fakeState>;
let call: (
  method: string,
  path: string,
  claims: Record<string, string>,
  opts?: { body?: unknown; query?: Record<string, string> },
) => Promise<{ status: number; body: any }>;

beforeEach(() => {
  f = fakeState(config, new Date('2026-03-02T09:00:00+08:00'));
  const [api, reports] = [createHandler(f.state), createReports(f.state)];
  call = async (method, path, claims, opts = {}) => {
    const res = await (httpFunctionFor(method, path) === 'reports' ? reports : api)(httpEvent(method, path, { claims, ...opts }), ctx);
    return { status: res.statusCode ?? 0, body: JSON.parse(res.body ?? 'null') };
  };
});

async function submitAssigned(title: string, body: string) {
  const res = await call('POST', '/v1/proposals', member, {
    body: { title, body, proposers: [{ memberId: 'm-1' }] },
  });
  expect(res.status).toBe(201);
  for (let i = 0; i < f.proposals.eventLog.length; i++) await react(f.state, f.proposals.eventLog[i]!);
  return res.body.id as string;
}

describe('GET /v1/reports/bulletin', () => {
  it('is served by the reports function', () => {
    expect(httpFunctionFor('GET', '/v1/reports/bulletin')).toBe('reports');
  });

  it("gives the email bulletin's rows for a month, as of now, in its response schema", async () => {
    await submitAssigned('关于发展夜市经济促进消费的建议', '建议规范夜市管理，繁荣步行街商圈，促进夜间消费。');
    await submitAssigned('关于加强校园安全的建议', '建议加强中小学校园安全，完善学校周边管理。');
    // Past the acknowledgement deadline (5 working days): both leads owe a 签收, now overdue.
    f.clock.set(new Date('2026-03-20T09:00:00+08:00'));
    const res = await call('GET', '/v1/reports/bulletin', office, { query: { year: '2026', month: '2' } });
    expect(res.status).toBe(200);
    expect(bulletinView.safeParse(res.body).error).toBeUndefined();
    expect(res.body).toMatchObject({ year: 2026, month: 2, period: '2026年2月', asOf: '2026-03-20T01:00:00.000Z' });
    const feb = { label: '2026年2月', year: 2026, ...periodRange('monthly', '2026-02-01', config.timeZone) };
    const expected = bulletinVars(feb, await allOfYear(f.state.index, 2026), f.clock.now(), config.units);
    expect(res.body.rows).toEqual(expected.rows);
    expect(res.body.best).toEqual(expected.best);
    expect(res.body.criticized).toEqual(expected.criticized);
    const owing = {
      open: 1,
      followUp: 0,
      overdue: 1,
      periodAnswered: 0,
      periodOnTime: 0,
      assigned: 1,
      answered: 0,
      replyRate: 0,
      onTimeReplyRate: null,
    };
    expect(res.body.rows).toEqual(
      expect.arrayContaining([
        { unit: 'commerce', unitName: '商务局', ...owing },
        { unit: 'education', unitName: '教育局', ...owing },
      ]),
    );
  });

  it('defaults to the month just ended (the one the email reports on); December for a past year', async () => {
    expect((await call('GET', '/v1/reports/bulletin', leader)).body).toMatchObject({
      year: 2026,
      month: 2,
      period: '2026年2月',
      rows: [],
      best: [],
      criticized: [],
    });
    expect((await call('GET', '/v1/reports/bulletin', office, { query: { year: '2025' } })).body).toMatchObject({ year: 2025, month: 12 });
    f.clock.set(new Date('2027-01-05T09:00:00+08:00'));
    expect((await call('GET', '/v1/reports/bulletin', office)).body).toMatchObject({ year: 2026, month: 12 });
  });

  it('is for the office and the leaders; bad values are named by field', async () => {
    expect((await call('GET', '/v1/reports/bulletin', member)).status).toBe(403);
    expect((await call('GET', '/v1/reports/bulletin', { sub: 'u', role: 'unit', unit: 'commerce' })).status).toBe(403);
    const bad = await call('GET', '/v1/reports/bulletin', office, { query: { year: '20x6', month: '13' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'year' }),
        expect.objectContaining({ path: 'month', message: '应为 1 到 12 之间的月份' }),
      ]),
    );
  });
});
