/**
 * The browser as the judge: headless Debian Chromium driven by playwright-core, an "app" origin
 * served by a tiny node:http server, and `fetch` run inside its page so the browser itself decides
 * what a script may see.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Tap's handful of calls this module needs (keeps the helper free of tap's types). */
interface TapLike {
  fail(message: string): unknown;
  plan(n: number, comment?: string): unknown;
}

/**
 * True when Chromium is there. Otherwise: under CI the suite FAILS (CI must install it);
 * elsewhere it is skipped, loudly, on stderr and in the TAP plan.
 */
export function requireChromium(t: TapLike, suite: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `${suite}: ${CHROMIUM_PATH} is missing (Debian: apt-get install -y chromium)`;
  if (process.env.CI) {
    t.fail(`${message}; CI must run the browser suite`);
  } else {
    process.stderr.write(`\n!!! ${message}: SKIPPING THE BROWSER SUITE !!!\n\n`);
    t.plan(0, `SKIPPED: ${message}`);
  }
  return false;
}

/** One headless Chromium per test file (playwright gives it a fresh temporary profile). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

export interface AppServer {
  port: number;
  close(): Promise<void>;
}

/** The "app origin": a blank page on 127.0.0.1:PORT, reachable as any `*.localhost:PORT` too. */
export async function serveAppPage(): Promise<AppServer> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end('<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body>app</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** What the page's script got: a response it may read, or the browser's refusal. */
export type FetchVerdict =
  | { allowed: true; status: number; type: string; headers: Record<string, string>; body: string; console: string[] }
  | { allowed: false; error: string; console: string[] };

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: 'omit' | 'same-origin' | 'include';
}

/**
 * Opens `pageUrl` in a fresh context (no preflight cache, no cookies shared with other cases)
 * and runs `fetch(url, init)` in it. The console lines are Chromium's own CORS messages.
 */
export async function fetchFromPage(browser: Browser, pageUrl: string, url: string, init: FetchInit = {}): Promise<FetchVerdict> {
  const context: BrowserContext = await browser.newContext();
  try {
    const page: Page = await context.newPage();
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(m.text()));
    await page.goto(pageUrl);
    const corsMessage = page
      .waitForEvent('console', { predicate: (m) => m.text().includes('blocked by CORS policy'), timeout: 10_000 })
      .catch(() => undefined);
    const result = await page.evaluate(async ({ url, init }) => {
      try {
        const res = await fetch(url, { ...init, mode: 'cors' });
        const headers: Record<string, string> = {};
        res.headers.forEach((value, name) => (headers[name] = value));
        return { allowed: true as const, status: res.status, type: res.type, headers, body: await res.text() };
      } catch (err) {
        return { allowed: false as const, error: String(err) };
      }
    }, { url, init });
    // Chromium's console message for a blocked request may arrive just after the rejection.
    if (!result.allowed) await corsMessage;
    return { ...result, console: consoleLines };
  } finally {
    await context.close();
  }
}

/** Where the console suites keep their screenshots (test artifacts). */
export const CONSOLE_SHOTS = join(__dirname, '..', '..', '.tap', 'console-screenshots');

/**
 * A console page in a fresh 1440×900 context (closed with the test): the context, the page, the script errors
 * it threw, and `shot(name)` for a full-page screenshot in CONSOLE_SHOTS.
 */
export async function consolePage(t: { teardown(fn: () => unknown): void }, browser: Browser): Promise<{ context: BrowserContext; page: Page; errors: string[]; shot: (name: string) => Promise<Buffer> }> {
  mkdirSync(CONSOLE_SHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const shot = (name: string) => page.screenshot({ path: join(CONSOLE_SHOTS, `${name}.png`), fullPage: true });
  return { context, page, errors, shot };
}
