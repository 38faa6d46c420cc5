/**
 * Drives proposals through their lifecycle over the HTTP API of a local stack, as outside clients
 * do: submit -> (auto) assignment -> every unit acknowledges (签收) -> co-unit opinions (会签) ->
 * contact (面商) -> reply (class A) -> office approves -> every proposer rates it with the token
 * from their email -> closed. Used by the cost benchmark and the fault suite.
 *
 * With `retry`, a call is repeated on a 5xx or a network error (what a client does when a Lambda
 * crashed); with `idempotent` too, every POST carries an Idempotency-Key, so a repeat after a call
 * that completed replays its answer instead of doing it twice.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** Texts that the alar city's keywords assign automatically (a lead and co-units). */
export const THEMES = [
  ['关于发展夜市经济促进消费的建议', '建议规范夜市管理，完善夜市周边停车场，加强食品安全。'],
  ['关于加强婴幼儿托育服务的建议', '托育机构不足，婴幼儿照护难，建议增加普惠托育。'],
  ['关于老旧小区供热管网改造的建议', '供热管网老化，供水管网漏损，建议改造。'],
  ['关于扩大法律援助覆盖面的建议', '法律援助进社区，完善公共法律服务。'],
  ['关于支持中小企业融资的建议', '中小企业融资难，建议完善担保和专精特新扶持。'],
] as const;

export interface Reply {
  status: number;
  body: any;
}

export interface Email {
  to: string[];
  subject: string;
  text: string;
}

export class LifecycleClient {
  private readonly tokens = new Map<string, Promise<string>>();
  /** Calls repeated after a 429, a 5xx or a network error. */
  retries = 0;

  constructor(
    readonly base: string,
    private readonly opts: { retry?: boolean; idempotent?: boolean } = {},
  ) {}

  token(role: string, extra: Record<string, string> = {}): Promise<string> {
    const q = new URLSearchParams({ role, ...extra }).toString();
    let t = this.tokens.get(q);
    if (!t) {
      t = fetch(`${this.base}/_local/token?${q}`).then(async (r) => ((await r.json()) as { token: string }).token);
      this.tokens.set(q, t);
    }
    return t;
  }

  async call(method: string, path: string, token?: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST' && this.opts.idempotent) headers['idempotency-key'] = randomUUID();
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${this.base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
        const text = await res.text();
        const reply = { status: res.status, body: text ? JSON.parse(text) : undefined };
        // 409 "正在处理" (still being processed): the first attempt of this key has not finished yet.
        // 429 (case-number contention) comes with Retry-After: a client waits that long and tries again.
        const again = res.status >= 500 || res.status === 429 || (res.status === 409 && reply.body?.detail?.includes?.('正在处理'));
        if (!this.opts.retry || !again || attempt >= 20) return reply;
        const after = Number(res.headers.get('retry-after'));
        if (after > 0) {
          this.retries += 1;
          await sleep(after * 1000 * (0.5 + Math.random()));
          continue;
        }
      } catch (err) {
        if (!this.opts.retry || attempt >= 20) throw err;
      }
      this.retries += 1;
      await sleep(20 * (attempt + 1));
    }
  }

  async emails(): Promise<Email[]> {
    return (await (await fetch(`${this.base}/_local/emails`)).json()) as Email[];
  }
}

async function ok(p: Promise<Reply>, what: string, status = 200): Promise<any> {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Proposal i's proposer, by id (names and addresses come from the directory). */
export const proposerOf = (i: number) => ({ memberId: `m-${i}` });
/** The directory the benchmarks and the fault suite start with: members m-0 … m-(n-1). */
export const benchMembers = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    memberId: `m-${i}`,
    name: `委员${i}`,
    sector: '经济界',
    email: `member${i}@example.com`,
    active: true,
  }));
export const tokenFromEmail = (text: string) => /token=([\w.-]+)/.exec(text)?.[1];

/** Submits proposal i (one proposer); answers its id and case number. */
export async function submit(c: LifecycleClient, i: number): Promise<{ id: string; number: string }> {
  const [title, body] = THEMES[i % THEMES.length]!;
  const who = proposerOf(i);
  const member = await c.token('member', { memberId: who.memberId });
  return ok(c.call('POST', '/v1/proposals', member, { title, body, proposers: [who] }), `submit ${i}`, 201);
}

/** Waits until the proposal is assigned (the reactor did its work); answers the view. */
export async function assigned(c: LifecycleClient, id: string, timeoutMs = 120_000): Promise<any> {
  const office = await c.token('office');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await ok(c.call('GET', `/v1/proposals/${id}`, office), `get ${id}`);
    if (p.status !== 'submitted') return p;
    if (Date.now() > deadline) throw new Error(`proposal ${id} not assigned after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Every unit acknowledges, co-units give their opinion, the lead records a contact and replies; the office approves. */
export async function handle(c: LifecycleClient, p: { id: string; lead: string; co: string[] }): Promise<void> {
  const office = await c.token('office');
  const unit = (u: string) => c.token('unit', { unit: u });
  for (const u of [p.lead, ...p.co])
    await ok(c.call('POST', `/v1/proposals/${p.id}/units/${u}/acknowledge`, await unit(u)), `acknowledge ${u}`);
  for (const u of p.co)
    await ok(
      c.call('POST', `/v1/proposals/${p.id}/units/${u}/opinion`, await unit(u), { text: `${u} 同意主办单位意见。` }),
      `opinion ${u}`,
    );
  const lead = await unit(p.lead);
  await ok(
    c.call('POST', `/v1/proposals/${p.id}/contacts`, lead, {
      unit: p.lead,
      mode: 'phone',
      at: '2026-03-10T10:00:00+08:00',
      note: '电话沟通。',
    }),
    'contact',
  );
  const replied = await ok(c.call('POST', `/v1/proposals/${p.id}/replies`, lead, { class: 'A', text: '已解决。' }), 'reply');
  const n = replied.replies.at(-1).n as number;
  await ok(c.call('POST', `/v1/proposals/${p.id}/replies/${n}/approve`, office), 'approve');
}

/** Rates the reply with the token from the proposer's email; answers the new status. */
export async function rate(c: LifecycleClient, token: string): Promise<string> {
  const r = await ok(c.call('POST', '/v1/feedback', undefined, { token, satisfaction: 'satisfied' }), 'feedback');
  return r.status as string;
}

/** Waits for the emails `want` selects, polling the SES emulator. */
export async function waitForEmails(c: LifecycleClient, want: (all: Email[]) => boolean, timeoutMs: number): Promise<Email[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await c.emails();
    if (want(all)) return all;
    if (Date.now() > deadline) throw new Error(`emails not there after ${timeoutMs} ms (${all.length} captured)`);
    await sleep(200);
  }
}

/** Runs `work` over items with at most `n` at a time. */
export async function pool<T, R>(items: readonly T[], n: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i]!, i);
    }),
  );
  return out;
}
