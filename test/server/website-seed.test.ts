/** The seed file's `"website"` member (the website user guide): applied like PutBucketWebsite, refused with S3's words. */
import t from 'tap';
import { applySeed, planSeed } from '../../server/cli/seed';
import { makeUser } from '../../server/config';
import { injectApp } from '../helpers/server';

t.test('seed website – applied, served, removed with null', async (t) => {
  const a = injectApp();
  t.teardown(() => a.close());
  const owner = makeUser('crossbucket', 'crossbucket-secret');
  const website = {
    IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'index.html' },
    RoutingRules: [{ Condition: { KeyPrefixEquals: 'old/' }, Redirect: { ReplaceKeyPrefixWith: 'new/', HttpRedirectCode: '302' } }],
  };
  const plan = planSeed({ buckets: [{ name: 'site', acl: 'public-read', website }] }, 'seed.json', '/tmp');
  await applySeed(plan, { storage: a.storage, owner, region: 'us-east-1' });
  t.same(a.storage.settings.get('site', 'website'), {
    indexDocument: { suffix: 'index.html' }, errorDocument: { key: 'index.html' },
    routingRules: [{ condition: { keyPrefixEquals: 'old/' }, redirect: { replaceKeyPrefixWith: 'new/', httpRedirectCode: '302' } }],
  });
  const res = await a.app.inject({ method: 'GET', url: '/old/x', headers: { host: 'site.s3-website.localhost:9000' } });
  t.equal(res.statusCode, 302);
  t.equal(res.headers.location, 'http://site.s3-website.localhost:9000/new/x');
  await applySeed(planSeed({ buckets: [{ name: 'site', website: null }] }, 'seed.json', '/tmp'), { storage: a.storage, owner, region: 'us-east-1' });
  t.equal(a.storage.settings.get('site', 'website'), undefined, '"website": null removes it');
});

t.test('seed website – mistakes name the member and S3\'s message', async (t) => {
  const plan = (website: unknown) => () => planSeed({ buckets: [{ name: 'site', website }] }, 'seed.json', '/tmp');
  t.throws(plan({ IndexDocument: { Suffix: 'a/b' } }), /seed\.json: buckets\[0\] \("site"\)\.website: The IndexDocument Suffix is not well formed \[InvalidArgument\]/);
  t.throws(plan({ IndexDocument: { Suffix: 'i.html' }, RedirectAllRequestsTo: { HostName: 'h' } }), /cannot be provided in conjunction/);
  t.throws(plan({ IndexDocument: { Sufix: 'i.html' } }), /website\.IndexDocument\.Sufix: unknown member/);
  t.throws(plan({ IndexDocument: { Suffix: 'i.html' }, RoutingRules: [{ Redirect: { Protocol: 'ftp' } }] }), /Invalid protocol/);
  t.throws(plan('index.html'), /website: expected an object/);
});
