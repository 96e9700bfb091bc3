/** GetObject / HeadObject read the object's row once: authorize() keeps it for the handler. */
import t from 'tap';
import { injectApp } from '../helpers/server';
import { s3 } from '../helpers/s3-inject';

t.test('GetObject and HeadObject – one object row read per request, same answer', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'reads' })).statusCode, 200);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'reads', key: 'k', body: 'hello' })).statusCode, 200);
  const storage = h.storage;
  let heads = 0;
  let access = 0;
  const head = storage.headObject.bind(storage);
  const acc = storage.objectAccess.bind(storage);
  storage.headObject = (b: string, k: string) => { heads++; return head(b, k); };
  storage.objectAccess = (b: string, k: string) => { access++; return acc(b, k); };
  const get = await s3(h.app, { method: 'GET', bucket: 'reads', key: 'k' });
  t.equal(get.statusCode, 200);
  t.equal(get.body, 'hello');
  t.same({ heads, access }, { heads: 1, access: 0 }, 'GET: one headObject, no separate access read');
  heads = 0;
  const hd = await s3(h.app, { method: 'HEAD', bucket: 'reads', key: 'k' });
  t.equal(hd.statusCode, 200);
  t.equal(hd.headers['content-length'], '5');
  t.same({ heads, access }, { heads: 1, access: 0 }, 'HEAD: one headObject');
  heads = 0;
  const missing = await s3(h.app, { method: 'GET', bucket: 'reads', key: 'nope' });
  t.equal(missing.statusCode, 404);
  t.match(missing.body, /<Code>NoSuchKey<\/Code>/);
  t.same({ heads, access }, { heads: 1, access: 0 }, 'missing key: still one read');
});
