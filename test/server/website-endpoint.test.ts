/**
 * docs/spec/website.md §5 vectors 1–31 through the website endpoint (inject, Host
 * `BUCKET.s3-website.localhost:9000`): status, Location, body, the HTML error page item by item.
 * Default setup (§5): bucket and objects public-read, `{IndexDocument: index.html}`.
 */
import t, { type Test } from 'tap';
import { signRequest } from '../helpers/s3-inject';
import { VARY3 } from './cors-fixtures';
import { W, pageItems, routingRule, websiteApp, websiteHostOf } from './website-fixtures';

type Site = ReturnType<typeof websiteApp>;
type Res = Awaited<ReturnType<Site['web']>>;

/** The page's items other than RequestId and HostId. */
const items = (res: Res) => pageItems(res.body).filter(([n]) => n !== 'RequestId' && n !== 'HostId');

/** GET, following redirects that stay on this server's website hosts. */
async function follow(a: Site, bucket: string, path: string): Promise<Res> {
  let host = websiteHostOf(bucket);
  let url = path;
  for (let i = 0; i < 6; i++) {
    const res = await a.app.inject({ method: 'GET', url, headers: { host } });
    const location = res.headers.location;
    if (![301, 302, 307].includes(res.statusCode) || typeof location !== 'string') return res;
    if (location.startsWith('/')) url = location;
    else {
      const u = new URL(location);
      host = u.host;
      url = `${u.pathname}${u.search}`;
    }
  }
  throw new Error('too many redirects');
}

function checkPage(t: Test, res: Res, status: number, expected: Array<[string, string]>, title: string): void {
  t.equal(res.statusCode, status, 'status');
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8', 'an HTML page, never XML');
  t.match(res.body, new RegExp(`^<html>\\n<head><title>${title}</title></head>\\n<body>\\n<h1>${title}</h1>\\n<ul>\\n`), 'page head');
  t.same(items(res).slice(0, expected.length), expected, 'items');
  t.equal(pageItems(res.body).find(([n]) => n === 'RequestId')?.[1], res.headers['x-amz-request-id'], 'RequestId as the header');
  t.ok(res.body.endsWith('<hr/>\n</body>\n</html>\n'), 'page tail');
}

t.test('§5 #1 index document for / ', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  await a.put('site', 'index.html', 'index', { 'content-type': 'text/html' });
  await a.website('site', { index: 'index.html' });
  const res = await a.web('GET', 'site', '/');
  t.equal(res.statusCode, 200);
  t.equal(res.body, 'index');
  // `GET W` has no path on the wire other than `/`; an absolute-form request line is the same page.
  const abs = await a.app.inject({ method: 'GET', url: '/', headers: { host: websiteHostOf('site').toUpperCase() } });
  t.equal(abs.body, 'index', 'Host compared case-insensitively');
});

t.test('§5 #2 #3 #4 no bucket, no configuration, other methods', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  checkPage(t, await a.web('GET', 'nobucket', '/'), 404, [['Code', 'NoSuchBucket'], ['Message', 'The specified bucket does not exist'], ['BucketName', 'nobucket']], '404 Not Found');
  await a.bucket('plain');
  for (const path of ['/', '/a/k.html']) {
    checkPage(t, await a.web('GET', 'plain', path), 404, [
      ['Code', 'NoSuchWebsiteConfiguration'], ['Message', 'The specified bucket does not have a website configuration'], ['BucketName', 'plain'],
    ], '404 Not Found');
  }
  await a.website('plain', { index: 'index.html', error: 'error.html' });
  await a.put('plain', 'error.html', 'error');
  for (const method of ['POST', 'DELETE', 'PUT', 'PATCH']) {
    const res = await a.web(method, 'plain', '/');
    checkPage(t, res, 405, [
      ['Code', 'MethodNotAllowed'], ['Message', 'The specified method is not allowed against this resource.'], ['Method', method], ['ResourceType', 'OBJECT'],
    ], '405 Method Not Allowed');
    t.notMatch(res.body, /error$/, `${method}: never the ErrorDocument`);
  }
  // §3.2: before the bucket lookup.
  t.equal((await a.web('POST', 'nobucket', '/')).statusCode, 405, 'POST to a missing bucket: 405');
});

t.test('§5 #5 #6 #7 missing index, missing and present ErrorDocument', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  await a.website('site', { index: 'index.html' });
  const r5 = await a.web('GET', 'site', '/');
  checkPage(t, r5, 404, [['Code', 'NoSuchKey'], ['Message', 'The specified key does not exist.'], ['Key', 'index.html']], '404 Not Found');
  t.notMatch(r5.body, /<h3>/, 'no nested block without an ErrorDocument');
  await a.website('site', { index: 'index.html', error: 'error.html' });
  const r6 = await a.web('GET', 'site', '/');
  checkPage(t, r6, 404, [['Code', 'NoSuchKey'], ['Message', 'The specified key does not exist.'], ['Key', 'index.html']], '404 Not Found');
  t.match(r6.body, '</ul>\n<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n<li>Key: error.html</li>\n</ul>\n<hr/>');
  await a.put('site', 'error.html', 'error', { 'content-type': 'text/html' });
  const r7 = await a.web('GET', 'site', '/');
  t.equal(r7.statusCode, 404);
  t.equal(r7.body, 'error');
  t.equal(r7.headers['content-type'], 'text/html');
});

t.test('§5 #8 #9 folder index: 302 to key/, else 404 with the key looked up', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  await a.website('site', { index: 'index.html' });
  await a.put('site', 'directory/index.html', 'dir index');
  const r8 = await a.web('GET', 'site', '/directory');
  t.equal(r8.statusCode, 302);
  t.equal(r8.headers.location, '/directory/');
  t.same(items(r8), [['Code', 'Found'], ['Message', 'Resource Found']]);
  t.equal(r8.headers['x-amz-error-code'], 'Found');
  t.equal(r8.headers['x-amz-error-message'], 'Resource Found');
  t.equal((await a.web('GET', 'site', '/directory/')).body, 'dir index');
  t.same(items(await a.web('GET', 'site', '/directory-wrong'))[2], ['Key', 'directory-wrong']);
  t.same(items(await a.web('GET', 'site', '/directory-wrong/'))[2], ['Key', 'directory-wrong/index.html']);
});

t.test('§5 #10 #11 #12 #13 objects as stored; conditions; ErrorDocument in a folder', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  await a.website('site', { index: 'index.html' });
  const etag = await a.put('site', 'actual/key.html', '<p>key</p>', { 'content-type': 'text/html', 'x-amz-meta-color': 'blue' });
  const r10 = await a.web('GET', 'site', '/actual/key.html');
  t.equal(r10.statusCode, 200);
  t.equal(r10.headers['content-type'], 'text/html');
  t.equal(r10.headers.etag, etag);
  t.equal(r10.headers['x-amz-meta-color'], 'blue');
  t.ok(r10.headers['last-modified'], 'Last-Modified');
  const r11 = await a.web('GET', 'site', '/actual/key.html', { 'if-none-match': etag });
  t.equal(r11.statusCode, 304);
  t.equal(r11.body, '');
  t.equal((await a.web('GET', 'site', '/actual/key.html', { 'if-match': '"nope"' })).statusCode, 412, 'If-Match fails: 412');
  await a.put('site', 'k.js', 'let k;', { 'content-type': 'application/javascript; charset=utf-8' });
  t.equal((await a.web('GET', 'site', '/k.js')).headers['content-type'], 'application/javascript; charset=utf-8');
  const ranged = await a.web('GET', 'site', '/actual/key.html', { range: 'bytes=3-5' });
  t.equal(ranged.statusCode, 206, 'Range as GetObject (UNVERIFIED)');
  t.equal(ranged.body, 'key');
  const b = websiteApp();
  t.teardown(() => b.close());
  await b.bucket('site');
  await b.website('site', { index: 'index.html', error: 'test/error.html' });
  const errEtag = await b.put('site', 'test/error.html', 'error');
  const r13 = await b.web('GET', 'site', '/something');
  t.equal(r13.statusCode, 404);
  t.equal(r13.body, 'error');
  t.equal(r13.headers.etag, errEtag);
});

t.test('§5 #14 #15 #30 website redirect locations', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  await a.website('site', { index: 'index.html', error: 'error.html' });
  await a.put('site', 'actual/key.html', 'key');
  await a.put('site', 'r.html', 'ignored', { 'x-amz-website-redirect-location': '/actual/key.html' });
  const r14 = await a.web('GET', 'site', '/r.html');
  t.equal(r14.statusCode, 301);
  t.equal(r14.headers.location, '/actual/key.html', 'the stored value verbatim');
  t.equal(r14.body, '', 'empty body');
  await a.put('site', 'index.html', 'index', { 'x-amz-website-redirect-location': '/another/index.html' });
  await a.put('site', 'error.html', 'err', { 'x-amz-website-redirect-location': '/another/error.html' });
  await a.put('site', 'another/error.html', 'error');
  const r15 = await follow(a, 'site', '/');
  t.equal(r15.statusCode, 200);
  t.equal(r15.body, 'error');
  const b = websiteApp();
  t.teardown(() => b.close());
  await b.bucket('site');
  await b.website('site', { index: 'index.html' });
  await b.put('site', 'index.html', 'index', { 'x-amz-website-redirect-location': '/' });
  const r30 = await b.web('GET', 'site', '/index.html');
  t.equal(r30.statusCode, 301);
  t.equal(r30.headers.location, '/');
});

t.test('§5 #16 #17 rule conditions', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  await a.website('site', {
    index: 'index.html',
    rules: [
      routingRule({ prefix: 'both-prefixed/', code: '404', rkw: 'redirected-both.html' }),
      routingRule({ prefix: 'prefixed', rkw: 'redirected.html' }),
      routingRule({ code: '404', rkw: 'redirected.html' }),
    ],
  });
  await a.put('site', 'redirected.html', 'redirected');
  await a.put('site', 'redirected-both.html', 'redirected-both');
  const r16 = await a.web('GET', 'site', '/non-existent-key');
  t.equal(r16.statusCode, 301);
  t.equal(r16.headers.location, `${W('site')}/redirected.html`);
  t.equal((await follow(a, 'site', '/both-prefixed/nope')).body, 'redirected-both');
  await a.put('site', 'prefixed-key-test', 'exists');
  const r17 = await follow(a, 'site', '/prefixed-key-test');
  t.equal(r17.body, 'redirected', 'pass 1 redirects although the object exists');
});

t.test('§5 #18–#22 rule redirects', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  await a.website('site', {
    index: 'index.html',
    error: 'error.html',
    rules: [
      routingRule({ prefix: 'host/', host: 'random-hostname' }),
      routingRule({ prefix: 'replace-prefix/', rkpw: 'replaced-prefix/' }),
      routingRule({ prefix: 'protocol/', protocol: 'https' }),
      routingRule({ prefix: 'code/', redirectCode: '307' }),
      routingRule({ prefix: 'docs/', rkpw: '' }),
    ],
  });
  await a.put('site', 'test.html', 'test page');
  await a.put('site', 'error.html', 'error page');
  const r18 = await a.web('GET', 'site', '/host/key');
  t.equal(r18.statusCode, 301);
  t.equal(r18.headers.location, 'http://random-hostname/host/key');
  t.equal(r18.body, '');
  t.equal((await a.web('GET', 'site', '/replace-prefix/key')).headers.location, `${W('site')}/replaced-prefix/key`);
  t.equal((await a.web('GET', 'site', '/protocol/key')).headers.location, `https://${websiteHostOf('site')}/protocol/key`);
  const r21 = await a.web('GET', 'site', '/code/key');
  t.equal(r21.statusCode, 307);
  t.equal(r21.headers.location, `${W('site')}/code/key`);
  const r22 = await follow(a, 'site', '/docs/test.html');
  t.equal(r22.statusCode, 200);
  t.equal(r22.body, 'test page');
  const r22b = await follow(a, 'site', '/docs2/test.html');
  t.equal(r22b.statusCode, 404);
  t.equal(r22b.body, 'error page');
});

t.test('§5 #23 rule order against redirect metadata and the index', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  await a.website('site', { index: 'index.html', rules: [routingRule({ prefix: 'prefix', rkw: 'redirected.html' }), routingRule({ prefix: 'index', rkw: 'other.html' })] });
  await a.put('site', 'index.html', 'index');
  await a.put('site', 'redirected.html', 'redirected');
  await a.put('site', 'prefixed-key-test', 'x', { 'x-amz-website-redirect-location': '/index.html' });
  t.equal((await follow(a, 'site', '/prefixed-key-test')).body, 'redirected', 'the rule wins over the object redirect');
  t.equal((await follow(a, 'site', '/')).body, 'index', '`/` does not match prefix `index`');
});

t.test('§5 #24 RedirectAllRequestsTo', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('a-site');
  await a.bucket('b-site');
  await a.website('a-site', { redirectAll: { host: websiteHostOf('b-site') } });
  await a.website('b-site', { index: 'index.html' });
  await a.put('b-site', 'index.html', 'b index');
  const r = await a.web('GET', 'a-site', '/');
  t.equal(r.statusCode, 301);
  t.equal(r.headers.location, `${W('b-site')}/`);
  t.equal(r.body, '');
  t.equal((await follow(a, 'a-site', '/')).body, 'b index');
  t.equal((await follow(a, 'a-site', '/random-key')).statusCode, 404);
  await a.website('a-site', { redirectAll: { host: 'example.com', protocol: 'https' } });
  t.equal((await a.web('GET', 'a-site', '/p/q.html?x=1')).headers.location, 'https://example.com/p/q.html?x=1', 'path and query kept (query: UNVERIFIED)');
});

t.test('§5 #25–#28 private objects and buckets; credentials change nothing', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  // DEVIATION(S3) in authorize.ts: a public-read bucket lets everyone read its objects, so the
  // private index lives in a private bucket here.
  await a.bucket('closed', 'private');
  await a.website('closed', { index: 'index.html' });
  await a.put('closed', 'index.html', 'secret', { 'x-amz-acl': 'private' });
  await a.bucket('empty', 'private');
  await a.website('empty', { index: 'index.html' });
  await a.bucket('open');
  await a.website('open', { index: 'index.html' });
  const cases: Array<{ n: string; bucket: string; status: number; code: string; message: string }> = [
    { n: '#25', bucket: 'closed', status: 403, code: 'AccessDenied', message: 'Access Denied' },
    { n: '#26', bucket: 'empty', status: 403, code: 'AccessDenied', message: 'Access Denied' },
    { n: '#27', bucket: 'open', status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' },
  ];
  const signed = async (bucket: string, method: string) => (await signRequest({ method, host: websiteHostOf(bucket), rawPath: '/' })).headers;
  for (const c of cases) {
    const get = await a.web('GET', c.bucket, '/');
    checkPage(t, get, c.status, [['Code', c.code], ['Message', c.message]], c.status === 403 ? '403 Forbidden' : '404 Not Found');
    if (c.status === 403) t.equal(items(get).length, 2, `${c.n}: no third item on a 403`);
    const head = await a.web('HEAD', c.bucket, '/');
    t.equal(head.statusCode, c.status, `${c.n} HEAD status`);
    t.equal(head.headers['x-amz-error-code'], c.code);
    t.equal(head.headers['x-amz-error-message'], c.message);
    t.equal(head.body, '', `${c.n} HEAD: no body`);
    // #28: a valid signature, a bogus one, a cookie: the same answer.
    for (const headers of [
      await signed(c.bucket, 'HEAD'),
      { authorization: 'AWS4-HMAC-SHA256 Credential=nobody/20000101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' },
      { authorization: 'AWS fakeKey:fakesignature', cookie: 'session=1' },
    ]) {
      const again = await a.web('HEAD', c.bucket, '/', headers);
      t.equal(again.statusCode, c.status, `#28 ${c.n} with credentials`);
      t.equal(again.headers['x-amz-error-code'], c.code);
    }
    const signedGet = await a.web('GET', c.bucket, '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00');
    t.equal(signedGet.statusCode, c.status, `#28 ${c.n} with presigned parameters`);
  }
  // The owner's valid signature reads nothing more than anonymous users.
  const owner = await a.web('GET', 'closed', '/', await signed('closed', 'GET'));
  t.equal(owner.statusCode, 403, 'the bucket owner signed: still anonymous');
});

t.test('§5 #29 a 403 routing rule', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('closed', 'private');
  await a.website('closed', { index: 'index.html', rules: [routingRule({ code: '403', host: 'www.google.com' })] });
  const r = await a.web('GET', 'closed', '/');
  t.equal(r.statusCode, 301);
  t.equal(r.headers.location, 'http://www.google.com/');
});

t.test('§5 #31 CORS on 404, 301 and 200 website responses', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  const O = 'http://www.allowedwebsite.com';
  await a.bucket('site');
  await a.cors('site', `<CORSConfiguration><CORSRule><AllowedOrigin>${O}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule></CORSConfiguration>`);
  await a.website('site', { index: 'index.html', rules: [routingRule({ prefix: 'redirect', host: 'h.example' })] });
  await a.put('site', 'index.html', 'index');
  const expected = { 'access-control-allow-origin': O, 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-credentials': 'true', vary: VARY3 };
  for (const [method, path, status] of [['GET', '/test', 404], ['GET', '/redirect', 301], ['HEAD', '/', 200]] as const) {
    const res = await a.web(method, 'site', path, { origin: O });
    t.equal(res.statusCode, status, `${method} ${path}`);
    for (const [name, value] of Object.entries(expected)) t.equal(res.headers[name], value, `${method} ${path}: ${name}`);
  }
  const other = await a.web('GET', 'site', '/', { origin: 'http://other.example' });
  t.equal(other.headers['access-control-allow-origin'], undefined, 'an origin no rule allows: no CORS headers');
});
