/** The package's version, read from the package.json above this file (in the sources or in dist/). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'crossbucket' && pkg.version !== undefined) return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
