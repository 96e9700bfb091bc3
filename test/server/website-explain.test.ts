/** `crossbucket explain` with a website URL (the website user guide): the URL names the bucket and key. */
import t from 'tap';
import { runExplain, websiteTarget } from '../../server/cli/explain-cli';
import { s3 } from '../helpers/s3-inject';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, startServer } from '../helpers/server';
import { md5Base64 } from '../helpers/s3-inject';

t.test('websiteTarget – website URLs map to the server, the bucket and the key', async (t) => {
  t.same(websiteTarget('http://site.s3-website.localhost:9000/app/main.js'), { endpoint: 'http://127.0.0.1:9000', bucket: 'site', key: 'app/main.js' });
  t.same(websiteTarget('http://www.example.com.s3-website-us-east-1.s3.example.test:8080/'), { endpoint: 'http://s3.example.test:8080', bucket: 'www.example.com' });
  t.same(websiteTarget('http://site.s3-website.localhost:9000/a%20b'), { endpoint: 'http://127.0.0.1:9000', bucket: 'site', key: 'a b' });
  t.equal(websiteTarget('http://127.0.0.1:9000'), undefined, 'the REST endpoint');
  t.equal(websiteTarget('http://site.localhost:9000'), undefined, 'a virtual-hosted REST URL');
  t.equal(websiteTarget('http://s3-website.localhost:9000'), undefined, 'no bucket label');
});

t.test('explain – a website URL as --endpoint', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const cors = '<CORSConfiguration><CORSRule><AllowedOrigin>http://app.test</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>';
  t.equal((await s3(s.app, { method: 'PUT', bucket: 'site' })).statusCode, 200);
  t.equal((await s3(s.app, { method: 'PUT', bucket: 'site', query: { cors: '' }, body: cors, headers: { 'content-md5': md5Base64(cors) } })).statusCode, 200);
  const port = new URL(s.endpoint).port;
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (x: string) => (stdout += x) }, stderr: { write: (x: string) => (stderr += x) }, env: { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, HOME: '/nonexistent' } };
  const code = await runExplain(['--endpoint', `http://site.s3-website.localhost:${port}/app/main.js`, '--origin', 'http://app.test'], io);
  t.equal(stderr, '');
  t.equal(code, 0);
  t.match(stdout, /^ALLOWED {2}GET from http:\/\/app\.test on bucket site, key app\/main\.js\n/);
  stdout = '';
  t.equal(await runExplain(['--endpoint', `http://site.s3-website.localhost:${port}/`, '--origin', 'http://other.test'], io), 1, 'refused: exit 1');
  t.match(stdout, /^REFUSED {2}GET from http:\/\/other\.test on bucket site: 403/);
});
