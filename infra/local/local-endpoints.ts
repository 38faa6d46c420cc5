/**
 * The local-only endpoints (never deployed): dev tokens, captured emails, the clock, the sweep, health,
 * and a bounce (puts an address on the suppression list, as SES bounce notifications do in AWS); the
 * console's sign-in (/_local/login, /_local/session, /_local/logout) and files (console.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from '#shared/zod.ts';
import { CLOCK_RANGE, ClockOutOfRange, parseClockTime, parseIsoDuration, type SettableClock } from '#shared/clock.ts';
import { signToken } from './jwt.ts';
import { problem, readBody, sendJson } from './http-io.ts';
import type { LocalEmail } from './ses.ts';
import { consoleConfig, consoleFile, identityFromQuery, login, logout, session, type ConsoleCity } from './console.ts';

export interface LocalControls {
  secret: string;
  clock: SettableClock;
  ready(): boolean;
  /** The components (emulators) that do not answer now; empty when all do. */
  down(): Promise<string[]>;
  emails(): Promise<LocalEmail[]>;
  sweep(): Promise<unknown>;
  sesUrl(): string;
  /** Puts the address on the suppression list (a local stand-in for an SES bounce notification). */
  bounce(email: string): Promise<void>;
  /** The console: its built files and the city its /config.json names. */
  console: { dir: string; city: ConsoleCity; units: readonly { id: string; name: string }[]; leaders?: readonly string[] };
}

function token(c: LocalControls, res: ServerResponse, q: URLSearchParams): void {
  const who = identityFromQuery(q);
  if (typeof who === 'string') return problem(res, 400, who);
  sendJson(res, 200, { token: signToken(who, c.secret) });
}

async function clock(c: LocalControls, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET') return sendJson(res, 200, { now: c.clock.now().toISOString() });
  const raw = await readBody(req, 64 * 1024);
  let input: unknown;
  try {
    input = JSON.parse(raw?.toString('utf8') ?? '');
  } catch {
    input = undefined;
  }
  const field = (k: string): unknown =>
    typeof input === 'object' && input !== null && Object.hasOwn(input, k) ? Reflect.get(input, k) : undefined;
  const advance = field('advance');
  const set = field('set');
  const by = typeof advance === 'string' ? parseIsoDuration(advance) : undefined;
  const at = typeof set === 'string' ? parseClockTime(set, c.clock.timeZone) : undefined;
  try {
    if (by) c.clock.advance(by);
    else if (at) c.clock.set(at);
    else
      return problem(
        res,
        400,
        '请求体应为 {"advance":"P3D"}（或 P1Y、P2M、PT12H、P1Y2M3DT4H）或 {"set":"2026-03-01T09:00:00+08:00"}（或日期 "2026-12-10"，即当天 09:00）',
      );
  } catch (err) {
    if (!(err instanceof ClockOutOfRange)) throw err;
    const [from, to] = [CLOCK_RANGE.from, CLOCK_RANGE.until - 1].map((t) => new Date(t).getUTCFullYear());
    return problem(res, 400, `时钟只能在 ${from} 年至 ${to} 年之间，此次调整超出范围，时钟未改变（现在 ${c.clock.now().toISOString()}）`);
  }
  sendJson(res, 200, { now: c.clock.now().toISOString() });
}

/** 200 when every component answers; 503 naming those that do not (or while starting). */
async function health(c: LocalControls, res: ServerResponse): Promise<void> {
  if (!c.ready()) return sendJson(res, 503, { ok: false, down: [], detail: '本地运行环境正在启动，请稍候' });
  const down = await c.down();
  if (down.length === 0) return sendJson(res, 200, { ok: true });
  sendJson(res, 503, { ok: false, down, detail: `以下组件无响应：${down.join('、')}` });
}

const bounceBody = z.object({ email: z.email() });

async function bounce(c: LocalControls, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = (await readBody(req, 64 * 1024))?.toString('utf8') ?? '';
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch {
    input = undefined;
  }
  const parsed = bounceBody.safeParse(input);
  if (!parsed.success) return problem(res, 400, '请求体应为 {"email":"someone@example.com"}');
  await c.bounce(parsed.data.email);
  sendJson(res, 200, { suppressed: parsed.data.email.trim().toLowerCase() });
}

const esc = (t: string) => t.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The developers' page: a sign-in link per role for the console, and the local endpoints. */
function landing(c: LocalControls, res: ServerResponse): void {
  const ses = c.sesUrl();
  const link = (q: string, label: string) => `<li><a href="/_local/login?${esc(q)}">${esc(label)}</a></li>`;
  const units = c.console.units
    .map(
      (u) =>
        link(`role=unit&unit=${u.id}`, `${u.name}（承办单位）`) +
        link(`role=unit&unit=${u.id}&unitHead=true&name=${encodeURIComponent(`${u.name}负责人`)}`, `${u.name}负责人（签发答复）`),
    )
    .join('');
  const leaders = (c.console.leaders ?? [])
    .map((name) => link(`role=leader&leader=${encodeURIComponent(name)}`, `${name}（领导，可领办重点提案）`))
    .join('');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>提案办理系统 · 本地运行环境</title>
<h1>${esc(c.console.city.name)}提案办理系统 · 本地运行环境</h1>
<h2>登录工作台</h2>
<ul>${link('role=office', '政府办公室（督查室）')}${link('role=committee', '政协提案委员会')}${link('role=leader', '分管领导')}${leaders}${link('role=member&memberId=m-001', '委员 m-001')}${units}</ul>
<h2>开发者接口</h2>
<ul>
<li>工作台：<a href="/">/</a>；登录：<code>/_local/login?role=&amp;unit=&amp;memberId=&amp;leader=&amp;next=/路径</code></li>
<li>接口：<code>/v1/…</code>（接口文档 <a href="/v1/openapi.json">/v1/openapi.json</a>）</li>
<li>开发令牌：<a href="/_local/token?role=office">/_local/token?role=office</a>（role = office | committee | leader | unit | member；unit=…；memberId=…；leader=领导姓名）</li>
<li>已发送的邮件：<a href="/_local/emails">/_local/emails</a>，邮件模拟器界面：<a href="${esc(ses)}">${esc(ses)}</a></li>
<li>时钟：<a href="/_local/clock">/_local/clock</a>（POST {"advance":"P3D"}，也可 P1Y、P2M、PT12H；或 {"set":"2026-03-01T09:00:00+08:00"}，只写日期 "2026-12-10" 即当天 09:00）</li>
<li>立即运行定时检查：POST /_local/sweep</li>
<li>模拟退信（加入屏蔽名单）：POST /_local/bounce {"email":"…"}</li>
<li>健康检查：<a href="/_local/health">/_local/health</a></li>
</ul>`);
}

/** A page of another site can POST a form or a "simple" fetch here, but not application/json (that needs a CORS preflight we never grant). */
const isJson = (req: IncomingMessage) => (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';

export async function localEndpoint(c: LocalControls, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const q = new URL(req.url ?? '/', 'http://local').searchParams;
  const route = `${req.method} ${path}`;
  if (req.method === 'POST' && path.startsWith('/_local/') && !isJson(req)) {
    return problem(res, 415, '本地接口的 POST 请求须带 Content-Type: application/json（防止其他网站跨站触发）');
  }
  if (route === 'GET /_local/' || route === 'GET /_local') return landing(c, res);
  if (route === 'GET /_local/login') return login(c.secret, res, q);
  if (route === 'GET /_local/session') return session(c.secret, req, res);
  if (route === 'POST /_local/logout') return logout(res);
  if (route === 'GET /config.json') return consoleConfig(res, c.console.city);
  if (route === 'GET /_local/health') return health(c, res);
  if (route === 'GET /_local/token') return token(c, res, q);
  if (route === 'GET /_local/clock' || route === 'POST /_local/clock') return clock(c, req, res);
  if (!c.ready() && path.startsWith('/_local/')) return problem(res, 503, '本地运行环境正在启动，请稍候');
  if (route === 'GET /_local/emails') return sendJson(res, 200, await c.emails());
  if (route === 'POST /_local/bounce') return bounce(c, req, res);
  if (route === 'POST /_local/sweep') return sendJson(res, 200, { ok: true, result: (await c.sweep()) ?? null });
  if ((req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/_local/')) return consoleFile(c.console.dir, res, path);
  problem(res, 404, `没有 ${route}`);
}
