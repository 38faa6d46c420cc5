/**
 * A small client of the HTTP API v1 for the scripts (import, export, demo): it speaks to the API
 * like any outside client. Without a token it asks a local stack for a dev token (/_local/token).
 */
import { pathToFileURL } from 'node:url';
import * as z from 'zod';

export interface ApiResponse {
  status: number;
  body: unknown;
  text: string;
  contentType: string;
}

export class ApiClient {
  private tokens = new Map<string, string>();
  constructor(
    readonly base: string,
    private readonly fixedToken?: string,
  ) {}

  /** A dev token for an identity from the local stack (cached); the fixed token when one was given. */
  async token(role: string, extra: Record<string, string> = {}): Promise<string> {
    if (this.fixedToken) return this.fixedToken;
    const q = new URLSearchParams({ role, ...extra }).toString();
    const cached = this.tokens.get(q);
    if (cached) return cached;
    const res = await fetch(`${this.base}/_local/token?${q}`);
    const got = z.object({ token: z.string() }).safeParse(await res.json().catch(() => undefined));
    const token = got.success ? got.data.token : undefined;
    if (!res.ok || !token) throw new Error(`无法从 ${this.base}/_local/token 取得令牌（HTTP ${res.status}）`);
    this.tokens.set(q, token);
    return token;
  }

  async call(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    // The local runtime's POST /_local/* take JSON only, a body or not (infra/local/local-endpoints.ts).
    if (opts.body !== undefined || path.startsWith('/_local/')) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    let body: unknown = text;
    if (contentType.includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        /* keep the text */
      }
    }
    return { status: res.status, body, text, contentType };
  }
}

/** `--name value` pairs and the other arguments of a command line. */
export function parseArgs(argv: readonly string[]): { flags: Map<string, string>; rest: string[] } {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--')) {
      const [k, v] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), argv[++i] ?? ''];
      flags.set(k, v);
    } else rest.push(a);
  }
  return { flags, rest };
}

/** The API to use: --api, else the local stack on PORT (default 3000). */
export function clientFromFlags(flags: Map<string, string>): ApiClient {
  const base = flags.get('api') ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
  return new ApiClient(base.replace(/\/+$/, ''), flags.get('token'));
}

/** Runs a command's main when the file is run as a script: its exit code, or 1 with `what`失败 and the reason. */
export function runMain(meta: ImportMeta, what: string, main: () => Promise<number>): void {
  if (!process.argv[1] || meta.url !== pathToFileURL(process.argv[1]).href) return;
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`${what}失败：${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
