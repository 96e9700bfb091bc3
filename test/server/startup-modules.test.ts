/**
 * Start-up reads only the everyday operations' modules (server/operations/operations.ts): the
 * others, and `crossbucket explain`, load on the first call that needs them. A static import of
 * one of them from the start-up path would quietly add its load time to every start
 * (docs/benchmarks.md, "Issue 19, sixth round").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { main } from '../../server/cli/main';

const operationsDir = join(__dirname, '..', '..', 'server', 'operations');
/** The modules operations.ts reads on first call: its `require('./…')` calls. */
const firstCallModules = [...readFileSync(join(operationsDir, 'operations.ts'), 'utf8').matchAll(/require\('\.\/([a-z-]+)'\)/g)]
  .map((m) => join(operationsDir, m[1] as string));
const explainCli = join(__dirname, '..', '..', 'server', 'cli', 'explain-cli');

function loaded(module: string): boolean {
  return [`${module}.ts`, `${module}.js`].some((file) => require.cache[file] !== undefined);
}

t.test('start-up modules – the CLI, the app and the store load none of the first-call modules', async (t) => {
  t.equal(typeof main, 'function');
  t.ok(firstCallModules.length >= 15, `operations.ts reads ${firstCallModules.length} modules on first call`);
  t.ok(loaded(join(operationsDir, 'object-get')), 'an everyday operation is loaded');
  for (const module of [...firstCallModules, explainCli]) t.notOk(loaded(module), `${module} is not read at start-up`);
});

t.test('start-up modules – a first call reads its module and answers', async (t) => {
  const { injectApp } = require('../helpers/server') as typeof import('../helpers/server');
  const { s3, md5Base64, xmlText } = require('../helpers/s3-inject') as typeof import('../helpers/s3-inject');
  const tagging = join(operationsDir, 'tagging');
  t.notOk(loaded(tagging), 'not read before the first tagging call');
  const h = injectApp();
  t.teardown(() => h.close());
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'first-call' })).statusCode, 200);
  const body = '<Tagging><TagSet><Tag><Key>team</Key><Value>web</Value></Tag></TagSet></Tagging>';
  const put = await s3(h.app, { method: 'PUT', bucket: 'first-call', query: { tagging: '' }, body, headers: { 'content-md5': md5Base64(body) } });
  t.equal(put.statusCode, 204, put.body);
  t.ok(loaded(tagging), 'read by the first tagging call');
  const get = await s3(h.app, { method: 'GET', bucket: 'first-call', query: { tagging: '' } });
  t.equal(get.statusCode, 200);
  t.equal(xmlText(get.body, 'Value'), 'web');
});
