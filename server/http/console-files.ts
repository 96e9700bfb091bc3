/**
 * The web console's files (docs/console.md): plain ES modules, HTML and CSS in the package's
 * `console/` folder, read once at start-up and served from memory under
 * `/_crossbucket/console/`. Nothing is fetched from anywhere else: the page works offline.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

export interface ConsoleFile {
  body: Buffer;
  contentType: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The page may run only its own scripts and talk only to this server; it may not be framed
 * (clickjacking) and sends no Referer.
 */
export const CONSOLE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** The `console/` folder: beside `server/` in the sources, two levels further up from `dist/server/http`. */
export function consoleDir(from = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'console');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** File name → contents, for the files the console serves (no sub-folders, no dot files). */
export function loadConsoleFiles(dir = consoleDir()): Map<string, ConsoleFile> {
  const files = new Map<string, ConsoleFile>();
  if (dir === undefined) return files;
  for (const name of readdirSync(dir)) {
    const contentType = TYPES[extname(name)];
    if (contentType === undefined || name.startsWith('.')) continue;
    files.set(name, { body: readFileSync(join(dir, name)), contentType });
  }
  return files;
}
