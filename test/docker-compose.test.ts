/**
 * No Docker engine runs here, so docker-compose.yml and the Dockerfile are checked by reading
 * them: against each other, against the options the server really has, and against its routes.
 */
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { OPTIONS } from '../server/cli/cli-config';
import { ADMIN_PREFIX } from '../server/config';

const ROOT = join(__dirname, '..');
const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');

interface Service {
  build?: string | { context?: string; dockerfile?: string };
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string> | string[];
  healthcheck?: { test?: string[] | string };
  stop_grace_period?: string;
}

const compose = parse(read('docker-compose.yml')) as { services?: Record<string, Service>; volumes?: Record<string, unknown> };
const dockerfile = read('Dockerfile');
/** Dockerfile instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
const named = (word: string) => instructions.filter((l) => l.toUpperCase().startsWith(`${word} `));
const jsonArgs = (line: string | undefined) => JSON.parse(line?.replace(/^[A-Z]+\s+/, '') ?? '[]') as string[];
/** The final stage: what runs. */
const lastFrom = instructions.map((l, i) => (l.startsWith('FROM ') ? i : -1)).filter((i) => i >= 0).pop() ?? 0;
const runStage = instructions.slice(lastFrom);
const inRun = (word: string) => runStage.filter((l) => l.startsWith(`${word} `));

const service = compose.services?.crossbucket;
const cmd = jsonArgs(inRun('CMD')[0]);
const entrypoint = jsonArgs(inRun('ENTRYPOINT')[0]);
const flag = (name: string) => { const i = cmd.indexOf(`--${name}`); return i === -1 ? undefined : cmd[i + 1]; };
const defaultOf = (name: string) => OPTIONS.find((o) => o.flag === name)?.default;

t.test('compose – one service, built from the Dockerfile here', async (t) => {
  t.ok(service, 'services.crossbucket');
  const build = service?.build;
  const context = typeof build === 'string' ? build : build?.context ?? '.';
  const file = typeof build === 'object' && build.dockerfile ? build.dockerfile : 'Dockerfile';
  t.ok(existsSync(join(ROOT, context, file)), `${context}/${file} exists`);
});

t.test('Dockerfile – a current Node LTS, native build tools only in the build stage, non-root', async (t) => {
  const version = /^ARG NODE_VERSION=(\d+)$/m.exec(dockerfile)?.[1];
  t.ok(version === '22' || version === '24', `Node ${version} is an LTS line`);
  const froms = named('FROM');
  t.equal(froms.length, 2, 'a build stage and a run stage');
  for (const f of froms) t.match(f, /^FROM node:\$\{NODE_VERSION\}-bookworm-slim/);
  const buildStage = instructions.slice(0, lastFrom).join('\n');
  t.match(buildStage, /apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/, 'python3, make, g++ to build better-sqlite3');
  t.notMatch(runStage.join('\n'), /apt-get install/, 'not in the image that runs');
  t.match(buildStage, /npm ci/);
  t.match(buildStage, /npm prune --omit=dev/);
  const user = inRun('USER').pop();
  t.ok(user, 'USER set');
  t.notMatch(user ?? '', /^USER (root|0)(:|$)/);
});

t.test('Dockerfile – starts the CLI on every interface with the data dir on the volume', async (t) => {
  t.same(entrypoint, ['node', 'bin/crossbucket.js']);
  t.ok(existsSync(join(ROOT, 'bin', 'crossbucket.js')));
  t.equal(cmd[0], 'serve');
  t.equal(flag('host'), '0.0.0.0');
  t.equal(flag('data-dir'), '/data');
  for (const arg of cmd.filter((a) => a.startsWith('--'))) t.ok(OPTIONS.some((o) => `--${o.flag}` === arg), `${arg} is an option`);
  const volume = jsonArgs(inRun('VOLUME')[0]);
  t.same(volume, ['/data'], 'VOLUME is the data dir');
  t.match(runStage.join('\n'), /chown node:node \/data/, 'the volume is writable by the non-root user');
  const port = flag('port') ?? defaultOf('port');
  t.same(inRun('EXPOSE'), [`EXPOSE ${port}`]);
});

t.test('Dockerfile – builds the one-file CLI that bin/crossbucket.js runs, from files that exist', async (t) => {
  const buildStage = instructions.slice(0, lastFrom);
  const run = buildStage.filter((l) => l.startsWith('RUN ')).join('\n');
  t.match(run, /tsc -p tsconfig\.build\.json\s+&& node scripts\/bundle\.js\s+&& npm prune/, 'tsc, then the bundle, then dev dependencies dropped (esbuild is one)');
  const copies = buildStage.filter((l) => l.startsWith('COPY ') && !l.includes('--from'));
  t.ok(copies.some((l) => /^COPY scripts\/bundle\.js /.test(l)), 'the bundle script is copied in');
  for (const line of [...copies, ...runStage.filter((l) => l.startsWith('COPY ') && !l.includes('--from'))]) {
    for (const source of line.split(/\s+/).slice(1, -1)) t.ok(existsSync(join(ROOT, source)), `COPY ${source}: exists`);
  }
  t.ok(runStage.includes('COPY --from=build /app/dist ./dist'), 'the run stage gets dist/ with the bundle');
});

t.test('compose – port on loopback, the volume at the data dir, known variables', async (t) => {
  const port = flag('port') ?? defaultOf('port');
  t.same(service?.ports, [`127.0.0.1:${port}:${port}`]);
  const volumes = service?.volumes ?? [];
  t.equal(volumes.length, 1);
  const [source, target] = (volumes[0] ?? '').split(':');
  t.equal(target, flag('data-dir'), 'mounted where the server keeps its data');
  if (source && !source.startsWith('.') && !source.startsWith('/')) t.ok(compose.volumes && source in compose.volumes, `named volume ${source} declared`);
  const env = service?.environment ?? {};
  const names = Array.isArray(env) ? env.map((e) => e.split('=')[0] ?? '') : Object.keys(env);
  t.ok(names.length > 0);
  const known = OPTIONS.map((o) => o.env);
  for (const name of names) t.ok(known.includes(name), `${name} is an option`);
  // Commented-out suggestions must be real variables too.
  for (const m of read('docker-compose.yml').matchAll(/#\s*(CROSSBUCKET_[A-Z_]+):/g)) t.ok(known.includes(m[1] ?? ''), `${m[1]} (commented) is an option`);
  for (const m of dockerfile.matchAll(/\b(CROSSBUCKET_[A-Z_]+)\b/g)) t.ok(known.includes(m[1] ?? ''), `${m[1]} in the Dockerfile is an option`);
  // Flags in CMD win over variables: compose must not set one the CMD already fixes.
  for (const arg of cmd.filter((a) => a.startsWith('--'))) {
    const o = OPTIONS.find((x) => `--${x.flag}` === arg);
    t.notOk(o && names.includes(o.env), `${o?.env} would be ignored (CMD sets ${arg})`);
  }
});

t.test('compose – stop grace period outlasts the server drain', async (t) => {
  const grace = /^(\d+)s$/.exec(service?.stop_grace_period ?? '')?.[1];
  t.ok(Number(grace) > Number(defaultOf('shutdown-timeout')), `${service?.stop_grace_period} > ${defaultOf('shutdown-timeout')}s`);
  t.match(dockerfile, /^STOPSIGNAL SIGTERM$/m);
});

t.test('healthcheck – runs `crossbucket health`, which asks the admin health route', async (t) => {
  const health = inRun('HEALTHCHECK')[0] ?? '';
  const args = JSON.parse(/CMD (\[.*\])$/.exec(health)?.[1] ?? '[]') as string[];
  t.same(args, [...entrypoint, 'health']);
  const override = service?.healthcheck?.test;
  if (override !== undefined) t.same(override, ['CMD', ...args], 'compose repeats the same check');
  const main = read('server/cli/main.ts');
  t.match(main, /argv\[0\] === 'health'/, 'the CLI has a health command');
  t.match(main, /\$\{ADMIN_PREFIX\}\/health/, 'which fetches ADMIN_PREFIX/health');
  t.match(read('server/admin.ts'), /app\.get\(`\$\{prefix\}\/health`/, 'a route the server has');
  t.equal(ADMIN_PREFIX, '/_crossbucket');
});

t.test('.dockerignore – no local build output, data or dependencies in the context', async (t) => {
  const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  for (const p of ['node_modules', 'dist', 'data', '.git']) t.ok(ignored.includes(p), p);
  for (const copied of instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from'))) {
    for (const src of copied.split(/\s+/).slice(1, -1)) t.notOk(ignored.includes(src), `${src} is copied, so not ignored`);
  }
});
