/**
 * Rebuilds tap's Test class when it was built for other plugins than package.json's `tap.plugin`
 * names (after `npm ci` it is built with tap's defaults). `tap` rebuilds it on its own too, but
 * only after it has chosen the loaders of that run's test processes from the old build: the
 * first run after an install would load every test through ts-node and @tapjs/mock's loader.
 * `npm test` runs this first: ~0.3 s when the build is current, ~11 s when it builds.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TapConfig } from '@tapjs/config';
import { signature } from '@tapjs/test';

const config = await TapConfig.load();
if (signature !== config.pluginSignature) {
  const manifest = createRequire(import.meta.url).resolve('tap/package.json');
  const tap = join(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.tap);
  const built = spawnSync(process.execPath, [tap, 'build'], { stdio: 'inherit' });
  process.exit(built.status ?? 1);
}
