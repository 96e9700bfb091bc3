/**
 * The node flag that loads TypeScript in a child process the way tap loads the tests (tsx:
 * package.json "tap"."node-arg"), so a child runs the sources right after `npm ci`, with no
 * build and no stale dist/. The loader is named by its file URL: `--import=tsx` resolves from
 * the child's working directory, which a test may set elsewhere.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');

export function tsLoaderArgs(): string[] {
  return [`--import=${pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href}`];
}
