/**
 * docs/spec/website.md §1 (Put/Get/DeleteBucketWebsite), §2 (validation, one row each), §3.17
 * (website preflights), §3.18 (regions, base domains), §3.19–3.20 (the redirect header on REST).
 */
import t from 'tap';
import { s3, xmlText, xmlTexts } from '../helpers/s3-inject';
import { pageItems, routingRule, websiteApp, websiteXml } from './website-fixtures';

const ONE_RULE = routingRule({ prefix: 'docs/', rkpw: '' });

t.test('§1 PutBucketWebsite, GetBucketWebsite, DeleteBucketWebsite', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  const none = await s3(a.app, { bucket: 'site', query: { website: '' } });
  t.equal(none.statusCode, 404);
  t.equal(xmlText(none.body, 'Code'), 'NoSuchWebsiteConfiguration');
  t.equal(xmlText(none.body, 'Message'), 'The specified bucket does not have a website configuration');
  t.equal(xmlText(none.body, 'BucketName'), 'site');
  const put = await a.putWebsiteRaw('site', websiteXml({ index: 'index.html', error: 'error.html', rules: [routingRule({ code: '404', prefix: 'a/', protocol: 'https', host: 'h', rkw: 'x.html', redirectCode: '302' }), ONE_RULE] }));
  t.equal(put.statusCode, 200);
  t.equal(put.body, '');
  const got = await s3(a.app, { bucket: 'site', query: { website: '' } });
  t.equal(got.statusCode, 200);
  t.equal(got.body, '<?xml version="1.0" encoding="UTF-8"?>\n<WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    + '<IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>error.html</Key></ErrorDocument>'
    + '<RoutingRules><RoutingRule><Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals><KeyPrefixEquals>a/</KeyPrefixEquals></Condition>'
    + '<Redirect><HostName>h</HostName><HttpRedirectCode>302</HttpRedirectCode><Protocol>https</Protocol><ReplaceKeyWith>x.html</ReplaceKeyWith></Redirect></RoutingRule>'
    + '<RoutingRule><Condition><KeyPrefixEquals>docs/</KeyPrefixEquals></Condition><Redirect><ReplaceKeyPrefixWith></ReplaceKeyPrefixWith></Redirect></RoutingRule>'
    + '</RoutingRules></WebsiteConfiguration>', 'model order, nothing invented, an empty ReplaceKeyPrefixWith kept');
  await a.website('site', { redirectAll: { host: 'example.com' } });
  const replaced = await s3(a.app, { bucket: 'site', query: { website: '' } });
  t.same(xmlTexts(replaced.body, 'HostName'), ['example.com'], 'PUT replaces the old document');
  t.equal(xmlText(replaced.body, 'IndexDocument'), undefined);
  for (let i = 0; i < 2; i++) {
    const del = await s3(a.app, { method: 'DELETE', bucket: 'site', query: { website: '' } });
    t.equal(del.statusCode, 204, `DELETE ${i + 1}: 204 (also when unset)`);
  }
  t.equal((await s3(a.app, { bucket: 'site', query: { website: '' } })).statusCode, 404);
  const missing = await s3(a.app, { method: 'DELETE', bucket: 'nobucket', query: { website: '' } });
  t.equal(missing.statusCode, 404);
  t.equal(xmlText(missing.body, 'Code'), 'NoSuchBucket');
  const anon = await s3(a.app, { bucket: 'site', query: { website: '' }, signed: false });
  t.equal(anon.statusCode, 403, 'GetBucketWebsite: the owner only');
  // The configuration goes with its bucket.
  await a.website('site', { index: 'index.html' });
  t.equal((await s3(a.app, { method: 'DELETE', bucket: 'site' })).statusCode, 204);
  await a.bucket('site');
  t.equal((await s3(a.app, { bucket: 'site', query: { website: '' } })).statusCode, 404, 'a re-created bucket has no website');
});

t.test('§2 PutBucketWebsite validation', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  const W = (inner: string) => `<WebsiteConfiguration>${inner}</WebsiteConfiguration>`;
  const INDEX = '<IndexDocument><Suffix>index.html</Suffix></IndexDocument>';
  const rules = (...r: string[]) => W(`${INDEX}<RoutingRules>${r.join('')}</RoutingRules>`);
  const rows: Array<{ n: string; xml: string; code: string; message?: string; extras?: Record<string, string> }> = [
    { n: 'Suffix with /', xml: W('<IndexDocument><Suffix>a/index.html</Suffix></IndexDocument>'), code: 'InvalidArgument', message: 'The IndexDocument Suffix is not well formed', extras: { ArgumentName: 'IndexDocument', ArgumentValue: 'a/index.html' } },
    { n: 'empty Suffix', xml: W('<IndexDocument><Suffix></Suffix></IndexDocument>'), code: 'InvalidArgument', message: 'The IndexDocument Suffix is not well formed' },
    { n: 'RedirectAll + IndexDocument', xml: W(`<RedirectAllRequestsTo><HostName>h</HostName></RedirectAllRequestsTo>${INDEX}`), code: 'InvalidArgument', message: 'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', extras: { ArgumentName: 'RedirectAllRequestsTo', ArgumentValue: 'not null' } },
    { n: 'no IndexDocument', xml: W('<ErrorDocument><Key>e.html</Key></ErrorDocument>'), code: 'InvalidArgument', message: 'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', extras: { ArgumentName: 'IndexDocument', ArgumentValue: 'null' } },
    { n: 'RedirectAll protocol ftp', xml: W('<RedirectAllRequestsTo><HostName>h</HostName><Protocol>ftp</Protocol></RedirectAllRequestsTo>'), code: 'InvalidRequest', message: 'Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.' },
    { n: 'rule protocol HTTP', xml: rules(routingRule({ protocol: 'HTTP' })), code: 'InvalidRequest', message: 'Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.' },
    { n: 'both Replace*', xml: rules(routingRule({ rkw: 'a', rkpw: 'b' })), code: 'InvalidRequest', message: 'You can only define ReplaceKeyPrefix or ReplaceKey but not both.' },
    { n: 'empty Condition', xml: rules('<RoutingRule><Condition/><Redirect><HostName>h</HostName></Redirect></RoutingRule>'), code: 'InvalidRequest', message: "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present." },
    { n: 'empty RoutingRules', xml: W(`${INDEX}<RoutingRules/>`), code: 'MalformedXML' },
    { n: 'not XML', xml: 'website please', code: 'MalformedXML' },
    { n: 'unknown element', xml: W(`${INDEX}<Foo/>`), code: 'MalformedXML' },
    { n: 'redirect code 314', xml: rules(routingRule({ redirectCode: '314' })), code: 'InvalidRequest', message: 'The provided HTTP redirect code (314) is not valid. Valid codes are 3XX except 300.' },
    { n: 'redirect code 300', xml: rules(routingRule({ redirectCode: '300' })), code: 'InvalidRequest', message: 'The provided HTTP redirect code (300) is not valid. Valid codes are 3XX except 300.' },
    { n: 'error code 300', xml: rules(routingRule({ code: '300', host: 'h' })), code: 'InvalidRequest', message: 'The provided HTTP error code (300) is not valid. Valid codes are 4XX or 5XX.' },
    { n: 'redirect code non-numeric', xml: rules(routingRule({ redirectCode: 'abc' })), code: 'MalformedXML' },
    { n: 'error code non-numeric', xml: rules(routingRule({ code: 'x', host: 'h' })), code: 'MalformedXML' },
    { n: '51 rules', xml: rules(...Array.from({ length: 51 }, () => ONE_RULE)), code: 'InvalidRequest', message: 'The number of routing rules should not exceed allowed limit of 50 rules.' },
    { n: 'empty Redirect', xml: rules('<RoutingRule><Redirect/></RoutingRule>'), code: 'MalformedXML' },
    { n: 'rule without Redirect', xml: rules('<RoutingRule><Condition><KeyPrefixEquals>a</KeyPrefixEquals></Condition></RoutingRule>'), code: 'MalformedXML' },
  ];
  for (const row of rows) {
    const res = await a.putWebsiteRaw('site', row.xml);
    t.equal(res.statusCode, 400, `${row.n}: 400`);
    t.equal(xmlText(res.body, 'Code'), row.code, `${row.n}: ${row.code}`);
    if (row.message !== undefined) t.equal(xmlText(res.body, 'Message'), row.message, `${row.n}: message`);
    for (const [name, value] of Object.entries(row.extras ?? {})) t.equal(xmlText(res.body, name), value, `${row.n}: ${name}`);
  }
  t.equal((await s3(a.app, { bucket: 'site', query: { website: '' } })).statusCode, 404, 'nothing stored by a refused PUT');
  const fifty = await a.putWebsiteRaw('site', rules(...Array.from({ length: 50 }, () => ONE_RULE)));
  t.equal(fifty.statusCode, 200, '50 rules are allowed');
  for (const code of ['301', '302', '303', '304', '305', '307', '308']) {
    t.equal((await a.putWebsiteRaw('site', rules(routingRule({ redirectCode: code })))).statusCode, 200, `redirect code ${code}`);
  }
  t.equal((await a.putWebsiteRaw('site', W('<RedirectAllRequestsTo><HostName>h</HostName><Protocol>https</Protocol></RedirectAllRequestsTo>'))).statusCode, 200);
});

t.test('§3.17 preflights on the website endpoint; refusals are HTML', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  const O = 'http://app.example';
  await a.bucket('site');
  await a.website('site', { index: 'index.html' });
  await a.cors('site', `<CORSConfiguration><CORSRule><AllowedOrigin>${O}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule></CORSConfiguration>`);
  const ok = await a.web('OPTIONS', 'site', '/app.js', { origin: O, 'access-control-request-method': 'GET' });
  t.equal(ok.statusCode, 200);
  t.equal(ok.headers['access-control-allow-origin'], O);
  t.equal(ok.headers['access-control-max-age'], '60');
  t.equal(ok.body, '');
  const refused = await a.web('OPTIONS', 'site', '/app.js', { origin: O, 'access-control-request-method': 'PUT' });
  t.equal(refused.statusCode, 403);
  t.equal(refused.headers['content-type'], 'text/html; charset=utf-8');
  t.same(pageItems(refused.body).filter(([n]) => n === 'Code' || n === 'Method' || n === 'ResourceType'), [['Code', 'AccessForbidden'], ['Method', 'PUT'], ['ResourceType', 'OBJECT']]);
  const noOrigin = await a.web('OPTIONS', 'site', '/');
  t.equal(noOrigin.statusCode, 400);
  t.equal(pageItems(noOrigin.body)[0]?.[1], 'BadRequest');
});

t.test('§3.18 regions and base domains; the REST endpoint unchanged', async (t) => {
  const a = websiteApp({ baseDomains: ['s3.example.test'] });
  t.teardown(() => a.close());
  await a.bucket('site');
  await a.website('site', { index: 'index.html' });
  await a.put('site', 'index.html', 'index');
  t.equal((await a.web('GET', 'site', '/', {}, 'us-east-1')).body, 'index', 's3-website-us-east-1: the server region');
  const other = await a.web('GET', 'site', '/', {}, 'eu-west-1');
  t.equal(other.statusCode, 400, 'another region: 400');
  t.equal(pageItems(other.body)[0]?.[1], 'IncorrectEndpoint');
  for (const host of ['site.s3-website.s3.example.test:9000', 'site.s3-website-us-east-1.s3.example.test', 'site.s3-website.s3.localhost:9000']) {
    const res = await a.app.inject({ method: 'GET', url: '/', headers: { host } });
    t.equal(res.body, 'index', host);
  }
  const noLabel = await a.app.inject({ method: 'GET', url: '/', headers: { host: 's3-website.localhost:9000' } });
  t.equal(noLabel.statusCode, 404);
  t.equal(pageItems(noLabel.body)[0]?.[1], 'NoSuchBucket');
  // A virtual-hosted REST request for the same bucket is still S3's REST API (XML, signatures).
  const rest = await a.app.inject({ method: 'GET', url: '/nope', headers: { host: 'site.localhost:9000' } });
  t.equal(rest.statusCode, 404);
  t.match(rest.headers['content-type'], /application\/xml/);
  // A bucket named like the endpoint label is reached path style.
  await a.bucket('s3-website');
  t.equal((await s3(a.app, { bucket: 's3-website' })).statusCode, 200, 'path style');
});

t.test('§3.19 §3.20 x-amz-website-redirect-location on the REST endpoint', async (t) => {
  const a = websiteApp();
  t.teardown(() => a.close());
  await a.bucket('site');
  await a.put('site', 'r.html', 'body', { 'x-amz-website-redirect-location': '/page2.html' });
  const get = await s3(a.app, { bucket: 'site', key: 'r.html' });
  t.equal(get.statusCode, 200, 'REST never redirects');
  t.equal(get.body, 'body');
  t.equal(get.headers['x-amz-website-redirect-location'], '/page2.html');
  const head = await s3(a.app, { method: 'HEAD', bucket: 'site', key: 'r.html' });
  t.equal(head.headers['x-amz-website-redirect-location'], '/page2.html');
  for (const value of ['page2.html', 'ftp://x', `/${'a'.repeat(2048)}`]) {
    const bad = await s3(a.app, { method: 'PUT', bucket: 'site', key: 'bad', body: 'x', headers: { 'x-amz-website-redirect-location': value } });
    t.equal(bad.statusCode, 400, `${value.slice(0, 12)}: 400`);
    t.equal(xmlText(bad.body, 'Code'), 'InvalidRedirectLocation');
    t.equal(xmlText(bad.body, 'Message'), "The website redirect location must have a prefix of 'http://' or 'https://' or '/'.");
  }
  const mpu = await s3(a.app, { method: 'POST', bucket: 'site', key: 'm', query: { uploads: '' }, headers: { 'x-amz-website-redirect-location': 'nope' } });
  t.equal(mpu.statusCode, 400, 'CreateMultipartUpload checks it too');
  // CopyObject: COPY keeps the source's; a new value is a change for an in-place copy.
  const copy = await s3(a.app, { method: 'PUT', bucket: 'site', key: 'c.html', headers: { 'x-amz-copy-source': '/site/r.html' } });
  t.equal(copy.statusCode, 200);
  t.equal((await s3(a.app, { method: 'HEAD', bucket: 'site', key: 'c.html' })).headers['x-amz-website-redirect-location'], '/page2.html');
  const inPlace = await s3(a.app, { method: 'PUT', bucket: 'site', key: 'c.html', headers: { 'x-amz-copy-source': '/site/c.html', 'x-amz-website-redirect-location': 'https://example.com/' } });
  t.equal(inPlace.statusCode, 200, 'in-place copy with a new redirect location');
  t.equal((await s3(a.app, { method: 'HEAD', bucket: 'site', key: 'c.html' })).headers['x-amz-website-redirect-location'], 'https://example.com/');
});
