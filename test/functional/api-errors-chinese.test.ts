/**
 * Every error a user of the API (or the console) reads is Chinese: representative bad requests walked
 * through the api and reports handlers (fakes), each answer's `detail` and every `errors[].message`
 * holding Chinese and no English word. What the API echoes is allowed: field paths, ids, the values
 * sent, enum values, numbers and times, paths and methods, and the names JSON, Idempotency-Key and KB.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { react } from '#app/react.ts';
import { VersionConflict } from '#app/ports.ts';
import { createHandler } from '#functions/api/handler.ts';
import { createHandler as createReports } from '#functions/reports/handler.ts';
import { httpFunctionFor } from '#shared/wiring.ts';
import { log } from '#shared/log.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext, type HttpOptions } from '../events/index.ts';

const config = { ...loadCityConfigFile('infra/cities/alar.yaml'), cosign: { confirm: false } };
const office = { sub: 'office-1', role: 'office' };
const member = { sub: 'm-1', role: 'member', memberId: 'm-1' };
const unit = (u: string) => ({ sub: `u-${u}`, role: 'unit', unit: u });
const proposers = [{ memberId: 'm-1' }, { memberId: 'm-2' }];

/** Words the API may echo besides what the request sent: roles, statuses and other enum values, names of formats and headers. */
const allowed = new Set([
  ...['office', 'leader', 'unit', 'member', 'committee', 'role', 'sub'],
  ...['submitted', 'registered', 'rejected', 'merged', 'triage', 'assigned', 'in_progress', 'reply_review', 'replied', 'rehandling'],
  ...['closed', 'withdrawn', 'satisfied', 'basically_satisfied', 'dissatisfied', 'register', 'reject', 'merge'],
  ...['face_to_face', 'phone', 'visit', 'letter', 'online', 'true', 'false'],
  ...['GET', 'POST', 'PUT', 'DELETE', 'JSON', 'Idempotency', 'Key', 'KB'],
]);

/** The English words of a text, leaving out what it may echo: the request's own values and paths, ids, times, URL paths. */
function englishWords(text: string, echoed: ReadonlySet<string>): string[] {
  const stripped = text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ' ')
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?/g, ' ')
    .replace(/\/[\w/:{}.%-]*/g, ' ');
  return (stripped.match(/[A-Za-z][A-Za-z_]*[A-Za-z]/g) ?? []).filter((w) => !allowed.has(w) && !echoed.has(w));
}

/** Every string in a value (the request's body, query, path), split into words. */
function wordsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[^A-Za-z_]+/).filter(Boolean);
  if (Array.isArray(value)) return value.flatMap(wordsOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...wordsOf(v)]);
  return [];
}

let f: ReturnType<typeof fakeState>;
let send: (method: string, path: string, opts?: HttpOptions) => Promise<{ status: number; body: any }>;
let p: { id: string; lead: string; co: string[] };
const seen: { status: number; request: string; detail: string; messages: string[] }[] = [];

/** Sends a request that must fail with `status`, and checks its problem's texts. */
async function bad(status: number, method: string, path: string, opts: HttpOptions = {}) {
  const res = await send(method, path, opts);
  const request = `${method} ${path} ${JSON.stringify(opts.body ?? opts.rawBody ?? '').slice(0, 80)}`;
  expect(res.status, `${request}: ${JSON.stringify(res.body)}`).toBe(status);
  const problem = res.body as { detail: string; errors?: { path: string; message: string }[] };
  const echoed = new Set([
    ...wordsOf(opts.body),
    ...wordsOf(opts.query),
    ...wordsOf(opts.claims),
    ...wordsOf(opts.rawBody ?? ''),
    ...wordsOf(path),
    ...wordsOf((problem.errors ?? []).map((e) => e.path)),
  ]);
  const texts = [problem.detail, ...(problem.errors ?? []).map((e) => e.message)];
  for (const t of texts) {
    expect(t, `${request}: ${t}`).toMatch(/[\u4e00-\u9fff]/);
    expect(englishWords(t, echoed), `${request}: ${t}`).toEqual([]);
  }
  seen.push({ status, request, detail: problem.detail, messages: texts.slice(1) });
  return problem;
}

beforeAll(async () => {
  f = fakeState(config);
  const [api, reports] = [createHandler(f.state), createReports(f.state)];
  send = async (method, path, opts) => {
    const res = await (httpFunctionFor(method, path) === 'reports' ? reports : api)(httpEvent(method, path, opts), lambdaContext('api'));
    return { status: res.statusCode ?? 0, body: JSON.parse(res.body ?? '{}') };
  };
  const res = await send('POST', '/v1/proposals', {
    claims: member,
    body: { title: '关于发展夜市经济促进消费和就业的建议', body: '夜市管理，夜市停车场，食品安全，促进消费，扩大就业。', proposers },
  });
  for (let i = 0; i < f.proposals.eventLog.length; i++) await react(f.state, f.proposals.eventLog[i]!);
  const stored = (await f.proposals.get(res.body.id))!;
  expect(stored.status).toBe('assigned');
  p = { id: stored.id, lead: stored.lead!, co: stored.co };
});
afterEach(() => vi.restoreAllMocks());

describe('error texts are Chinese', () => {
  it('400: invalid bodies, queries and path parameters, each field named', async () => {
    const submit = await bad(400, 'POST', '/v1/proposals', {
      claims: member,
      body: { title: '', body: 'x'.repeat(20_001), proposers: [], extra: 1 },
    });
    expect(submit.errors?.map((e) => e.path).sort()).toEqual(['body', 'extra', 'proposers', 'title']);
    await bad(400, 'POST', '/v1/proposals', { claims: member, body: { title: 1, proposers: [{ memberId: 'm-1' }, { memberId: 'm-1' }] } });
    await bad(400, 'POST', '/v1/proposals', { claims: member, rawBody: '{"title": ' });
    await bad(400, 'POST', '/v1/proposals', { claims: member, rawBody: '{"title": x}' });
    await bad(400, 'POST', '/v1/proposals', { claims: member });
    await bad(400, 'POST', '/v1/proposals', {
      claims: member,
      body: { title: '题目', body: '正文', proposers: [{ memberId: 'm-nobody' }] },
    });
    await bad(400, 'GET', '/v1/proposals', { claims: office, query: { year: 'soon', limit: '500', status: 'bogus' } });
    await bad(400, 'GET', '/v1/proposals/not-an-id', { claims: office });
    await bad(400, 'GET', '/v1/proposals/%zz', { claims: office });
    await bad(400, 'POST', `/v1/proposals/${p.id}/replies/0/approve`, { claims: office });
    await bad(400, 'POST', `/v1/proposals/${p.id}/review`, { claims: office, body: { decision: 'merge' } });
    await bad(400, 'POST', `/v1/proposals/${p.id}/review`, { claims: office, body: { decision: 'postpone' } });
    await bad(400, 'POST', `/v1/proposals/${p.id}/assignment`, { claims: office, body: { lead: 'nope', co: ['Not_A_Unit'] } });
    await bad(400, 'POST', `/v1/proposals/${p.id}/assignment`, { claims: office, body: { lead: 'nope', co: ['ghost'] } });
    await bad(400, 'POST', `/v1/proposals/${p.id}/contacts`, {
      claims: unit(p.lead),
      body: { unit: p.lead, mode: 'carrier_pigeon', at: 'yesterday', note: '' },
    });
    await bad(400, 'POST', `/v1/proposals/${p.id}/extension`, { claims: office, body: { until: 'someday' } });
    await bad(400, 'POST', '/v1/feedback', { body: { token: 'forged.token', satisfaction: 'satisfied' } });
    await bad(400, 'POST', '/v1/feedback', { body: { token: '', satisfaction: 'great', comment: 3 } });
    await bad(400, 'GET', '/v1/reports/summary', { claims: office, query: { year: 'soon' } });
    await bad(400, 'POST', '/v1/proposals', { claims: member, headers: { 'idempotency-key': '键' }, body: {} });
  });

  it('401, 403, 404, 405 and 413', async () => {
    await bad(401, 'GET', '/v1/proposals');
    await bad(403, 'POST', `/v1/proposals/${p.id}/review`, { claims: unit(p.lead), body: { decision: 'reject' } });
    await bad(403, 'POST', `/v1/proposals/${p.id}/units/${p.co[0]}/acknowledge`, { claims: unit(p.lead) });
    await bad(403, 'GET', '/v1/proposals', { claims: { sub: 'm-9', role: 'member', memberId: 'm-nobody' } });
    await bad(404, 'GET', '/v1/proposals/0b9c6a52-3f1e-4f43-9a57-2f0c2d1d4a11', { claims: office });
    await bad(404, 'GET', '/v1/nothing-here', { claims: office });
    await bad(405, 'DELETE', '/v1/proposals', { claims: office });
    await bad(413, 'POST', '/v1/proposals', { claims: member, rawBody: JSON.stringify({ title: 'x'.repeat(300_000) }) });
  });

  it('409: steps the workflow does not allow now, and a stale version', async () => {
    await bad(409, 'POST', `/v1/proposals/${p.id}/review`, { claims: office, body: { decision: 'register' } });
    await bad(409, 'POST', `/v1/proposals/${p.id}/replies/1/approve`, { claims: office });
    await bad(409, 'POST', `/v1/proposals/${p.id}/progress`, { claims: unit(p.lead), body: { text: '进展', resolved: true } });
    await bad(409, 'POST', `/v1/proposals/${p.id}/extension`, { claims: office, body: { until: '2099-12-31' } });
    vi.spyOn(f.proposals, 'save').mockRejectedValue(new VersionConflict(p.id)); // every retry of the command too
    await bad(409, 'POST', `/v1/proposals/${p.id}/units/${p.co[0]}/acknowledge`, { claims: unit(p.co[0]!) });
  });

  it('422 (an Idempotency-Key reused with another body) and 500', async () => {
    const headers = { 'idempotency-key': 'k-zh' };
    const first = await send('POST', `/v1/proposals/${p.id}/units/${p.lead}/objection`, {
      claims: unit(p.lead),
      headers,
      body: { reason: '不属于本单位职责' },
    });
    expect(first.status).toBe(200);
    await bad(422, 'POST', `/v1/proposals/${p.id}/units/${p.lead}/objection`, {
      claims: unit(p.lead),
      headers,
      body: { reason: '另一个理由' },
    });
    vi.spyOn(log, 'error').mockImplementation(() => undefined);
    vi.spyOn(f.proposals, 'get').mockRejectedValueOnce(new TypeError('cannot read x of undefined'));
    await bad(500, 'GET', `/v1/proposals/${p.id}`, { claims: office });
  });

  it('walked every status', () => {
    expect([...new Set(seen.map((s) => s.status))].sort()).toEqual([400, 401, 403, 404, 405, 409, 413, 422, 500]);
  });
});
