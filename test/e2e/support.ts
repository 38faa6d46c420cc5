/**
 * End-to-end support: the built console (web/dist, rebuilt when older than its sources), the local
 * stack on free ports serving it, and Debian's Chromium driven by playwright-core (headless,
 * --no-sandbox, 1280x800). Used by test/e2e/*.test.ts and the console rows of `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '#infra/local/stack.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WEB = join(ROOT, 'web');
export const DIST = join(WEB, 'dist');
export const SCREENSHOTS = join(ROOT, 'tmp', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The newest modification time under `path` (files only; node_modules and dist skipped). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    t = Math.max(t, newest(join(path, name)));
  }
  return t;
}

/** Builds web/dist with `npm run build:web` when it is missing or older than web/ (its sources, index.html, config). */
export function ensureConsoleBuilt(log: (line: string) => void = () => undefined): void {
  const index = join(DIST, 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(
    newest(join(WEB, 'src')),
    newest(join(WEB, 'index.html')),
    newest(join(WEB, 'vite.config.ts')),
    newest(join(ROOT, 'docs', 'openapi.json')),
  );
  if (built >= sources) return;
  log(built ? 'web/dist is older than web/src: npm run build:web' : 'web/dist missing: npm run build:web');
  const r = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`npm run build:web failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

export interface ConsoleStack {
  stack: LocalStack;
  /** http://127.0.0.1:<port> */
  base: string;
  /** GET/POST the API with a dev token of that identity (for assertions on state only). */
  api<T = any>(path: string, who: Who, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export interface Who {
  role: 'office' | 'leader' | 'unit' | 'member' | 'committee';
  unit?: string;
  memberId?: string;
  unitHead?: boolean;
  /** A leader's name (email.leaders[].name): the 领办领导 of key proposals. */
  leader?: string;
  /** The person's name (a unit head signs replies as it). */
  name?: string;
}

const whoQuery = (who: Who) =>
  new URLSearchParams(
    Object.entries(who).flatMap(([k, v]): [string, string][] => (v === undefined || v === false ? [] : [[k, String(v)]])),
  ).toString();

/**
 * The local stack on free ports (API, SES, SQS, DynamoDB Local), no periodic sweep, serving the built
 * console; the sample city unless `opts` names another (and members to seed).
 */
export async function startConsoleStack(opts: Pick<LocalStackOptions, 'cityConfig' | 'members'> = {}): Promise<ConsoleStack> {
  ensureConsoleBuilt((l) => console.error(l));
  const stack = await startLocalStack({ ...opts, port: 0, sesPort: 0, ddbPort: 0, sqsPort: 0, sweepEverySeconds: 0 });
  const base = stack.urls.api;
  const tokens = new Map<string, string>();
  const token = async (who: Who) => {
    const q = whoQuery(who);
    let t = tokens.get(q);
    if (!t) {
      const res = await fetch(`${base}/_local/token?${q}`);
      t = ((await res.json()) as { token: string }).token;
      tokens.set(q, t);
    }
    return t;
  };
  return {
    stack,
    base,
    async api(path, who, init = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${await token(who)}` };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* a text document */
      }
      return { status: res.status, body: body as never };
    },
    stop: () => stack.stop(),
  };
}

/** Debian's Chromium, headless, no sandbox (CI runs as root). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A fresh browser context (its own cookies) at 1280x800, Chinese locale, the city's time zone. */
export function newContext(browser: Browser, opts: { width?: number; height?: number } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/** Signs the page's context in through GET /_local/login and lands on `next`. */
export async function signIn(page: Page, base: string, who: Who, next = '/'): Promise<void> {
  await page.goto(`${base}/_local/login?${whoQuery(who)}&next=${encodeURIComponent(next)}`);
}

/**
 * A screenshot of the whole page to tmp/screenshots/<name>.png, the viewport stretched to the
 * content for the shot (so that the menu and the page's own scrolling area are drawn whole).
 */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  const size = page.viewportSize();
  const main = page.getByRole('main');
  const inMain = (await main.count()) === 1 ? await main.evaluate((m) => m.scrollHeight - m.clientHeight).catch(() => 0) : 0;
  // (The function runs in the page: no DOM types in this project's Node typings.)
  const inDoc = await page
    .evaluate('document.documentElement.scrollHeight - window.innerHeight')
    .then(Number)
    .catch(() => 0);
  const extra = Math.max(inMain, inDoc);
  if (size && extra > 0) await page.setViewportSize({ width: size.width, height: Math.min(size.height + extra, 6000) });
  try {
    await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  } finally {
    if (size && extra > 0) await page.setViewportSize(size);
  }
  return path;
}
