#!/usr/bin/env node
'use strict';
/**
 * `npm start`: checks the port first (a taken port is reported at once), builds dist/ only when a
 * source file is newer than it (tsc, then the one-file bundle of scripts/bundle.js), then runs
 * the command line with the arguments given after `--`.
 */
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { createServer } = require('node:net');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
const MAIN = join(DIST, 'server', 'cli', 'main.js');
const BUNDLE = join(DIST, 'crossbucket.js');
const SOURCES = ['index.ts', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'server', 'storage', 'cors-engine', 'policy-engine'];
const args = process.argv.slice(2);

function option(flag, env, fallback) {
  const i = args.findIndex((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
  if (i >= 0) return args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i + 1];
  return process.env[env] || fallback;
}

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

function portFree(port, host) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err) => resolve(err.code !== 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function run() {
  const serving = args[0] === undefined || args[0] === 'serve' || args[0].startsWith('-');
  const help = args.includes('--help') || args.includes('-h') || args.includes('--version');
  if (serving && !help) {
    const port = Number(option('port', 'CROSSBUCKET_PORT', '9000'));
    const host = option('host', 'CROSSBUCKET_HOST', '127.0.0.1');
    if (Number.isInteger(port) && port > 0 && !(await portFree(port, host))) {
      process.stderr.write(`crossbucket: port ${port} on ${host} is already in use; choose another with --port or CROSSBUCKET_PORT (npm start -- --port 9100)\n`);
      process.exit(1);
    }
  }
  const built = Math.min(...[MAIN, BUNDLE].map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  if (SOURCES.some((s) => newest(join(ROOT, s)) > built)) {
    process.stderr.write('crossbucket: building dist/ (sources changed)...\n');
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
    await require('./bundle').bundle(DIST);
  }
  require('../bin/crossbucket.js').enableCompileCache();
  await require(BUNDLE).main(args);
}

run().catch((err) => {
  process.stderr.write(`crossbucket: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
