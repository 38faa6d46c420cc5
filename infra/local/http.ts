/**
 * The local API Gateway: node:http on 127.0.0.1. `/v1/*` checks the Bearer token (except the
 * public routes), builds the HTTP API v2 event and calls the api handler; `/_local/*` are the
 * local-only endpoints; `/` is a landing page.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { publicRoutes } from '#shared/wiring.ts';
import { apiEvent } from './api-event.ts';
import { verifyToken } from './jwt.ts';
import { problem, readBody } from './http-io.ts';
import { localEndpoint, type LocalControls } from './local-endpoints.ts';

/**
 * DNS rebinding: a page of another site whose name is made to resolve to 127.0.0.1 reaches this server
 * with that name in Host (and could mint an office token). Only loopback names are served, on any
 * port (Vite's dev proxy, `npm run dev:web`, forwards its own).
 */
const loopbackHost = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

export type ApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<unknown>;

export interface HttpServerOptions {
  port: number;
  secret: string;
  /** The handler of the function that serves this route (the api, or the reports), or undefined while the stack is starting (503). */
  api: (method: string, path: string) => ApiHandler | undefined;
  controls: LocalControls;
  maxBodyBytes?: number;
}

export interface HttpServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function writeResult(res: ServerResponse, result: unknown): void {
  const get = (k: string): unknown => (typeof result === 'object' && result !== null ? Reflect.get(result, k) : undefined);
  const status = get('statusCode');
  if (typeof status !== 'number') {
    // Payload 2.0 without statusCode: API Gateway answers 200 with the result as JSON.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(typeof result === 'string' ? result : JSON.stringify(result ?? null));
    return;
  }
  const rawHeaders = get('headers');
  const rawCookies = get('cookies');
  const headers = typeof rawHeaders === 'object' && rawHeaders !== null ? Object.entries(rawHeaders).map(([k, v]) => [k, String(v)]) : [];
  const cookies = Array.isArray(rawCookies) ? rawCookies.map(String) : [];
  res.writeHead(status, [...headers, ...cookies.map((c) => ['set-cookie', c])].flat());
  const body = get('body');
  const text = typeof body === 'string' ? body : '';
  res.end(get('isBase64Encoded') === true ? Buffer.from(text, 'base64') : text);
}

async function callApi(opts: HttpServerOptions, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const api = opts.api(req.method ?? 'GET', path);
  if (!api) return problem(res, 503, '本地运行环境正在启动，请稍候');
  const isPublic = (publicRoutes as readonly string[]).includes(`${req.method} ${path}`);
  const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const claims = token && !isPublic ? verifyToken(token, opts.secret) : undefined;
  if (!isPublic && !claims) {
    return problem(res, 401, '缺少或无效的访问令牌', { 'www-authenticate': 'Bearer' });
  }
  const max = opts.maxBodyBytes ?? 1024 * 1024;
  const body = Number(req.headers['content-length'] ?? 0) > max ? undefined : await readBody(req, max);
  if (!body) return problem(res, 413, '请求内容过大');
  writeResult(res, await api(apiEvent(req, body, claims)));
}

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (!loopbackHost.test(req.headers.host ?? '')) {
      return problem(res, 403, '本地运行环境只接受发往本机的请求（Host 须为 127.0.0.1、localhost 或 [::1]），以防 DNS 重绑定');
    }
    const work = path.startsWith('/v1/') ? callApi(opts, req, res, path) : localEndpoint(opts.controls, req, res, path);
    work.catch((err: unknown) => {
      console.error(`${req.method} ${path} failed`, err);
      if (!res.headersSent) problem(res, 500, '服务器内部错误');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
