/**
 * The console (工作台) on the local runtime: the built files of web/dist with the SPA fallback and
 * the security headers CloudFront adds in AWS, its /config.json, and the local sign-in that stands
 * in for OIDC (docs/console.md): /_local/login sets an HttpOnly cookie with a dev token and redirects,
 * /_local/session gives the console that token, /_local/logout clears it.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { roles, signToken, verifyToken, type Identity, type Role } from './jwt.ts';
import { problem, sendJson } from './http-io.ts';
import { consoleCsp } from '../console-headers.ts';

export const defaultConsoleDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const COOKIE = 'local_session';

export interface ConsoleCity {
  id: string;
  name: string;
  timeZone: string;
}

/** The headers the CloudFront distribution sets (infra/constructs): the console must work under them. */
export const consoleSecurityHeaders = {
  'content-security-policy': consoleCsp(),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

const isRole = (r: string | null): r is Role => roles.some((x) => x === r);

/** The identity named by the query (role, unit, unitHead, memberId, leader, name, sub), or a Chinese reason why not. */
export function identityFromQuery(q: URLSearchParams): Identity | string {
  const role = q.get('role');
  const unit = q.get('unit') || undefined;
  const memberId = q.get('memberId') || undefined;
  const leader = q.get('leader') || undefined;
  const unitHead = q.get('unitHead') === 'true' || q.get('unitHead') === '1';
  const name = q.get('name') || undefined;
  if (!isRole(role)) return `role 必须是 ${roles.join(' | ')} 之一`;
  if (role === 'unit' && !unit) return 'role=unit 需要 unit 参数';
  if (role === 'member' && !memberId) return 'role=member 需要 memberId 参数';
  const sub = q.get('sub') || `local-${role}-${unit ?? memberId ?? leader ?? 'user'}`;
  return {
    sub,
    role,
    ...(role === 'unit' ? { unit, ...(unitHead ? { unitHead: true } : {}) } : {}),
    ...(role === 'member' ? { memberId } : {}),
    ...(role === 'leader' && leader ? { leader } : {}),
    ...(name ? { name } : {}),
  };
}

/** `next` only within this site (a path), never another origin. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function login(secret: string, res: ServerResponse, q: URLSearchParams): void {
  const who = identityFromQuery(q);
  if (typeof who === 'string') return problem(res, 400, who);
  const token = signToken(who, secret);
  res.writeHead(302, {
    location: safeNext(q.get('next')),
    'set-cookie': `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`,
    'cache-control': 'no-store',
  });
  res.end();
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function session(secret: string, req: IncomingMessage, res: ServerResponse): void {
  const token = cookie(req, COOKIE);
  const claims = token ? verifyToken(token, secret) : undefined;
  if (!token || !claims) return problem(res, 401, '未登录：请从 /_local/ 选择身份登录');
  const { iat: _iat, exp: _exp, ...identity } = claims;
  res.setHeader('cache-control', 'no-store');
  sendJson(res, 200, { token, identity });
}

export function logout(res: ServerResponse): void {
  res.writeHead(204, { 'set-cookie': `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` });
  res.end();
}

export function consoleConfig(res: ServerResponse, city: ConsoleCity): void {
  res.setHeader('cache-control', 'no-cache');
  sendJson(res, 200, { city, apiBase: '', auth: { mode: 'local' } });
}

/** A file of the built console; any other path without an extension is the app (index.html). */
export async function consoleFile(dir: string, res: ServerResponse, path: string): Promise<void> {
  const wanted = normalize(join(dir, decodeURIComponent(path)));
  const inside = wanted.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  const file =
    inside && (await stat(wanted).catch(() => undefined))?.isFile() ? wanted : extname(path) ? undefined : join(dir, 'index.html');
  const body = file ? await readFile(file).catch(() => undefined) : undefined;
  if (!file || !body) {
    if (!extname(path)) return noConsole(res);
    return problem(res, 404, `没有 ${path}`);
  }
  res.writeHead(200, {
    'content-type': types[extname(file)] ?? 'application/octet-stream',
    'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...consoleSecurityHeaders,
  });
  res.end(body);
}

function noConsole(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>工作台尚未构建</title>
<p>工作台尚未构建：请运行 <code>npm run build:web</code>（<code>npm start</code> 会自动构建）。开发者页面见 <a href="/_local/">/_local/</a>。</p>`);
}
