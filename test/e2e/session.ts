/**
 * One e2e file's console session: the local stack (support.ts) and Chromium, started before the
 * file's tests (each kept as soon as it is up, so that afterAll stops it even when the other failed
 * to start) and stopped after them with every browser context opened. A failed test leaves a
 * screenshot of every page it had open (tmp/screenshots/failed-<name>-<test>-<i>.png); the pages'
 * uncaught errors are collected in `errors` (a file's last test expects none).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LocalStackOptions } from '#infra/local/stack.ts';
import { launchChromium, newContext, shot, signIn, startConsoleStack, type ConsoleStack, type Who } from './support.ts';

export interface ConsoleSession {
  /** The stack (up once beforeAll has run). */
  readonly cs: ConsoleStack;
  readonly browser: Browser;
  readonly errors: string[];
  /** A signed-in page for `who` (its own context: its own session cookie), landed on `path`. */
  readonly pageAs: (who: Who, path?: string) => Promise<Page>;
  /** A page opened otherwise (e.g. a popup), screenshotted too when its test fails. */
  readonly keep: (page: Page) => void;
}

export function consoleSession(name: string, opts: Pick<LocalStackOptions, 'cityConfig' | 'members'> = {}): ConsoleSession {
  let cs: ConsoleStack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let opened: Page[] = [];

  beforeAll(async () => {
    const [stack, chromium] = await Promise.allSettled([
      startConsoleStack(opts).then((s) => (cs = s)),
      launchChromium().then((b) => (browser = b)),
    ]);
    for (const r of [stack, chromium]) if (r.status === 'rejected') throw r.reason;
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      for (const [i, p] of opened.entries())
        if (!p.isClosed()) await shot(p, `failed-${name}-${ctx.task.name.slice(0, 24)}-${i}`).catch(() => undefined);
    opened = [];
  });

  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await cs?.stop();
  });

  const up = <T>(part: T | undefined, what: string): T => {
    if (part === undefined) throw new Error(`${what} is not up (beforeAll has not run or failed)`);
    return part;
  };

  return {
    get cs() {
      return up(cs, 'the console stack');
    },
    get browser() {
      return up(browser, 'Chromium');
    },
    errors,
    keep: (page) => void opened.push(page),
    pageAs: async (who, path = '/') => {
      const ctx = await newContext(up(browser, 'Chromium'));
      contexts.push(ctx);
      const page = await ctx.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (e) => errors.push(`${who.role}${who.unit ? `:${who.unit}` : ''}: ${e.message}`));
      opened.push(page);
      await signIn(page, up(cs, 'the console stack').base, who, path);
      return page;
    },
  };
}
