/**
 * The one API client: openapi-fetch typed by the generated `paths` (npm run gen:web-api), the
 * bearer token from the session, problem+json answers thrown as ApiProblem, a 429 with Retry-After
 * retried (twice at most, after the time it names), and a 401 sending the user to sign in.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from '../auth/session';
import { config } from '../config';
import { ApiProblem } from './problem';

export type Schemas = components['schemas'];

const MAX_429_RETRIES = 2;
const MAX_RETRY_WAIT_MS = 30_000;

/** Retry-After as milliseconds (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  const ms = Number.isFinite(s) ? s * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_WAIT_MS) : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** fetch that repeats only a 429 naming Retry-After (a write carries its Idempotency-Key, so a repeat is safe). */
export async function fetchWith429Retry(request: Request, doFetch: typeof fetch = fetch): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await doFetch(request.clone());
    const wait = res.status === 429 ? retryAfterMs(res.headers.get('Retry-After')) : undefined;
    if (wait === undefined || attempt >= MAX_429_RETRIES) return res;
    await sleep(wait);
  }
}

let unauthorized: () => void = () => undefined;
/** What a 401 does (main.ts: go to sign-in). */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (session.token) request.headers.set('Authorization', `Bearer ${session.token}`);
    // Writes get an Idempotency-Key, so a retried request is applied once.
    if (request.method !== 'GET' && !request.headers.has('Idempotency-Key')) request.headers.set('Idempotency-Key', crypto.randomUUID());
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) unauthorized();
    return response;
  },
};

let client: ReturnType<typeof createClient<paths>> | undefined;

export function api() {
  if (!client) {
    client = createClient<paths>({ baseUrl: config().apiBase, fetch: (r) => fetchWith429Retry(r) });
    client.use(auth);
  }
  return client;
}

/** The data of an openapi-fetch result, or its problem thrown as ApiProblem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await call;
  } catch (e) {
    throw new ApiProblem(0, '网络错误', e instanceof Error ? e.message : String(e));
  }
  if (!r.response.ok || r.data === undefined) throw ApiProblem.from(r.response.status, r.error);
  return r.data;
}
