/**
 * Analytics, metrics, inventory and Intelligent-Tiering configurations over inject
 * (docs/spec/bucket-config.md §B4.9): each kind's round trip (Put, Get as put, List, Delete, then
 * NoSuchConfiguration), the validation of each document, the 1,000 limit and List's pages of 100.
 */
import t from 'tap';
import { injectApp } from '../helpers/server';
import { md5Base64, s3, xmlText } from '../helpers/s3-inject';

type App = ReturnType<typeof injectApp>['app'];

const ARN = 'arn:aws:s3:::reports';
const TAG = '<Tag><Key>team</Key><Value>a</Value></Tag>';

/** Per kind: the sub-resource, a full document (already in S3's element order, as Get gives it back), the List root. */
const KINDS = [
  {
    kind: 'analytics', list: 'ListBucketAnalyticsConfigurationResult',
    doc: (id: string) => `<AnalyticsConfiguration><Id>${id}</Id><Filter><And><Prefix>logs/</Prefix>${TAG}</And></Filter><StorageClassAnalysis><DataExport><OutputSchemaVersion>V_1</OutputSchemaVersion><Destination><S3BucketDestination><Format>CSV</Format><BucketAccountId>000000000000</BucketAccountId><Bucket>${ARN}</Bucket><Prefix>analysis/</Prefix></S3BucketDestination></Destination></DataExport></StorageClassAnalysis></AnalyticsConfiguration>`,
  },
  {
    kind: 'metrics', list: 'ListMetricsConfigurationsResult',
    doc: (id: string) => `<MetricsConfiguration><Id>${id}</Id><Filter><And><Prefix>img/</Prefix>${TAG}<AccessPointArn>arn:aws:s3:us-east-1:000000000000:accesspoint/ap</AccessPointArn></And></Filter></MetricsConfiguration>`,
  },
  {
    kind: 'inventory', list: 'ListInventoryConfigurationsResult',
    doc: (id: string) => `<InventoryConfiguration><Destination><S3BucketDestination><AccountId>000000000000</AccountId><Bucket>${ARN}</Bucket><Format>Parquet</Format><Prefix>inv/</Prefix><Encryption><SSE-KMS><KeyId>arn:aws:kms:us-east-1:000000000000:key/k</KeyId></SSE-KMS></Encryption></S3BucketDestination></Destination><IsEnabled>true</IsEnabled><Filter><Prefix>data/</Prefix></Filter><Id>${id}</Id><IncludedObjectVersions>Current</IncludedObjectVersions><OptionalFields><Field>Size</Field><Field>ETag</Field></OptionalFields><Schedule><Frequency>Weekly</Frequency></Schedule></InventoryConfiguration>`,
  },
  {
    kind: 'intelligent-tiering', list: 'ListBucketIntelligentTieringConfigurationsOutput',
    doc: (id: string) => `<IntelligentTieringConfiguration><Id>${id}</Id><Filter><Prefix>cold/</Prefix></Filter><Status>Enabled</Status><Tiering><Days>90</Days><AccessTier>ARCHIVE_ACCESS</AccessTier></Tiering><Tiering><Days>180</Days><AccessTier>DEEP_ARCHIVE_ACCESS</AccessTier></Tiering></IntelligentTieringConfiguration>`,
  },
] as const;

function put(app: App, bucket: string, kind: string, id: string | undefined, body: string) {
  return s3(app, { method: 'PUT', bucket, query: { [kind]: '', ...(id !== undefined ? { id } : {}) }, body, headers: { 'content-md5': md5Base64(body) } });
}

const code = (res: { body: string }) => xmlText(res.body, 'Code');

t.test('each kind – Put, Get as put, List, Delete, then NoSuchConfiguration', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: 'confs' });
  for (const { kind, doc, list } of KINDS) {
    t.equal((await put(h.app, 'confs', kind, 'b-second', doc('b-second'))).statusCode, 200, `${kind}: put`);
    t.equal((await put(h.app, 'confs', kind, 'a-first', doc('a-first'))).statusCode, 200);
    const got = await s3(h.app, { bucket: 'confs', query: { [kind]: '', id: 'b-second' } });
    t.equal(got.statusCode, 200);
    t.equal(got.body.replace(/^<\?xml[^>]*>\n/, '').replace(/ xmlns="[^"]+"/, ''), doc('b-second'), `${kind}: Get gives back what was put`);
    const listed = await s3(h.app, { bucket: 'confs', query: { [kind]: '' } });
    t.match(listed.body, new RegExp(`^<\\?xml[^>]*>\\n<${list} xmlns="[^"]+"><IsTruncated>false</IsTruncated>`));
    t.same([...listed.body.matchAll(/<Id>([^<]*)<\/Id>/g)].map((m) => m[1]), ['a-first', 'b-second'], `${kind}: listed in Id order`);
    t.equal((await s3(h.app, { method: 'DELETE', bucket: 'confs', query: { [kind]: '', id: 'b-second' } })).statusCode, 204);
    const gone = await s3(h.app, { bucket: 'confs', query: { [kind]: '', id: 'b-second' } });
    t.equal(gone.statusCode, 404);
    t.equal(code(gone), 'NoSuchConfiguration');
    const again = await s3(h.app, { method: 'DELETE', bucket: 'confs', query: { [kind]: '', id: 'b-second' } });
    t.equal(again.statusCode, 404, `${kind}: deleting what is not there`);
    t.equal(code(again), 'NoSuchConfiguration');
  }
  // Kinds do not see each other's Ids; deleting the bucket forgets them.
  t.notMatch((await s3(h.app, { bucket: 'confs', query: { metrics: '' } })).body, '<IntelligentTieringConfiguration>');
  await s3(h.app, { method: 'DELETE', bucket: 'confs' });
  await s3(h.app, { method: 'PUT', bucket: 'confs' });
  t.equal(code(await s3(h.app, { bucket: 'confs', query: { analytics: '', id: 'a-first' } })), 'NoSuchConfiguration');
});

t.test('validation – the schema (MalformedXML), the Id, the values S3 refuses', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: 'valid' });
  const cases: Array<[string, string | undefined, string, number, string]> = [
    ['metrics', 'm', '<MetricsConfiguration><Id>other</Id></MetricsConfiguration>', 400, 'InvalidArgument'],
    ['metrics', undefined, '<MetricsConfiguration><Id>m</Id></MetricsConfiguration>', 400, 'InvalidArgument'],
    ['metrics', 'm', '<MetricsConfiguration></MetricsConfiguration>', 400, 'MalformedXML'],
    ['metrics', 'm b', '<MetricsConfiguration><Id>m b</Id></MetricsConfiguration>', 400, 'InvalidArgument'],
    ['metrics', 'm', '<MetricsConfiguration><Id>m</Id><Filter><Prefix>a</Prefix>' + TAG + '</Filter></MetricsConfiguration>', 400, 'MalformedXML'],
    ['metrics', 'm', '<MetricsConfiguration><Id>m</Id><Colour>red</Colour></MetricsConfiguration>', 400, 'MalformedXML'],
    ['metrics', 'm', '<AnalyticsConfiguration><Id>m</Id></AnalyticsConfiguration>', 400, 'MalformedXML'],
    ['analytics', 'a', '<AnalyticsConfiguration><Id>a</Id></AnalyticsConfiguration>', 400, 'MalformedXML'],
    ['analytics', 'a', `<AnalyticsConfiguration><Id>a</Id><StorageClassAnalysis><DataExport><OutputSchemaVersion>V_2</OutputSchemaVersion><Destination><S3BucketDestination><Format>CSV</Format><Bucket>${ARN}</Bucket></S3BucketDestination></Destination></DataExport></StorageClassAnalysis></AnalyticsConfiguration>`, 400, 'MalformedXML'],
    ['analytics', 'a', '<AnalyticsConfiguration><Id>a</Id><StorageClassAnalysis><DataExport><OutputSchemaVersion>V_1</OutputSchemaVersion><Destination><S3BucketDestination><Format>CSV</Format><Bucket>reports</Bucket></S3BucketDestination></Destination></DataExport></StorageClassAnalysis></AnalyticsConfiguration>', 400, 'InvalidArgument'],
    ['inventory', 'i', `<InventoryConfiguration><Destination><S3BucketDestination><Bucket>${ARN}</Bucket><Format>CSV</Format></S3BucketDestination></Destination><IsEnabled>true</IsEnabled><Id>i</Id><IncludedObjectVersions>All</IncludedObjectVersions></InventoryConfiguration>`, 400, 'MalformedXML'],
    ['inventory', 'i', `<InventoryConfiguration><Destination><S3BucketDestination><Bucket>${ARN}</Bucket><Format>JSON</Format></S3BucketDestination></Destination><IsEnabled>true</IsEnabled><Id>i</Id><IncludedObjectVersions>All</IncludedObjectVersions><Schedule><Frequency>Daily</Frequency></Schedule></InventoryConfiguration>`, 400, 'MalformedXML'],
    ['inventory', 'i', `<InventoryConfiguration><Destination><S3BucketDestination><Bucket>${ARN}</Bucket><Format>CSV</Format></S3BucketDestination></Destination><IsEnabled>true</IsEnabled><Id>i</Id><IncludedObjectVersions>All</IncludedObjectVersions><OptionalFields><Field>Colour</Field></OptionalFields><Schedule><Frequency>Daily</Frequency></Schedule></InventoryConfiguration>`, 400, 'MalformedXML'],
    ['intelligent-tiering', 't', '<IntelligentTieringConfiguration><Id>t</Id><Status>Enabled</Status></IntelligentTieringConfiguration>', 400, 'MalformedXML'],
    ['intelligent-tiering', 't', '<IntelligentTieringConfiguration><Id>t</Id><Status>On</Status><Tiering><Days>90</Days><AccessTier>ARCHIVE_ACCESS</AccessTier></Tiering></IntelligentTieringConfiguration>', 400, 'MalformedXML'],
    ['intelligent-tiering', 't', '<IntelligentTieringConfiguration><Id>t</Id><Status>Enabled</Status><Tiering><Days>30</Days><AccessTier>ARCHIVE_ACCESS</AccessTier></Tiering></IntelligentTieringConfiguration>', 400, 'InvalidArgument'],
    ['intelligent-tiering', 't', '<IntelligentTieringConfiguration><Id>t</Id><Status>Enabled</Status><Tiering><Days>90</Days><AccessTier>DEEP_ARCHIVE_ACCESS</AccessTier></Tiering></IntelligentTieringConfiguration>', 400, 'InvalidArgument'],
  ];
  for (const [kind, id, body, status, expected] of cases) {
    const res = await put(h.app, 'valid', kind, id, body);
    t.equal(res.statusCode, status, `${kind} ${body.slice(0, 90)}…: ${status}`);
    t.equal(code(res), expected);
  }
  for (const { kind } of KINDS) {
    t.same([...(await s3(h.app, { bucket: 'valid', query: { [kind]: '' } })).body.matchAll(/<Id>/g)], [], `${kind}: nothing stored`);
  }
  const missing = await put(h.app, 'nope-bucket', 'metrics', 'm', '<MetricsConfiguration><Id>m</Id></MetricsConfiguration>');
  t.equal(code(missing), 'NoSuchBucket');
  const wholeBucket = await put(h.app, 'valid', 'metrics', 'EntireBucket', '<MetricsConfiguration><Id>EntireBucket</Id></MetricsConfiguration>');
  t.equal(wholeBucket.statusCode, 200, 'a metrics configuration without a filter (the whole bucket)');
  const replaced = await put(h.app, 'valid', 'metrics', 'EntireBucket', '<MetricsConfiguration><Id>EntireBucket</Id><Filter><Prefix>p/</Prefix></Filter></MetricsConfiguration>');
  t.equal(replaced.statusCode, 200, 'a Put with the same Id replaces');
  t.match((await s3(h.app, { bucket: 'valid', query: { metrics: '', id: 'EntireBucket' } })).body, '<Filter><Prefix>p/</Prefix></Filter>');
});

t.test('limits – 1,000 of a kind (TooManyConfigurations); List pages of 100 with continuation tokens', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: 'many' });
  const id = (n: number) => `m${String(n).padStart(4, '0')}`;
  for (let n = 0; n < 999; n++) h.storage.settings.byId.put('many', 'metrics', id(n), { Id: id(n) }, 1000);
  t.equal((await put(h.app, 'many', 'metrics', id(999), `<MetricsConfiguration><Id>${id(999)}</Id></MetricsConfiguration>`)).statusCode, 200, 'the 1,000th');
  const over = await put(h.app, 'many', 'metrics', 'extra', '<MetricsConfiguration><Id>extra</Id></MetricsConfiguration>');
  t.equal(over.statusCode, 400);
  t.equal(code(over), 'TooManyConfigurations');
  t.equal((await put(h.app, 'many', 'metrics', id(5), `<MetricsConfiguration><Id>${id(5)}</Id></MetricsConfiguration>`)).statusCode, 200, 'replacing one is not a new one');
  t.equal((await put(h.app, 'many', 'analytics', 'a', '<AnalyticsConfiguration><Id>a</Id><StorageClassAnalysis/></AnalyticsConfiguration>')).statusCode, 200, 'the limit is per kind');
  const ids: string[] = [];
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    const res = await s3(h.app, { bucket: 'many', query: { metrics: '', ...(token !== undefined ? { 'continuation-token': token } : {}) } });
    pages++;
    const page = [...res.body.matchAll(/<Id>([^<]*)<\/Id>/g)].map((m) => m[1] ?? '');
    ids.push(...page);
    if (token !== undefined) t.equal(xmlText(res.body, 'ContinuationToken'), token, 'the token is echoed');
    token = xmlText(res.body, 'NextContinuationToken');
    if (xmlText(res.body, 'IsTruncated') !== 'true') { t.equal(token, undefined); break; }
    t.equal(page.length, 100);
    if (pages > 20) break;
  }
  t.equal(pages, 10);
  t.same(ids, Array.from({ length: 1000 }, (_, n) => id(n)), 'every Id once, in order');
  const bad = await s3(h.app, { bucket: 'many', query: { metrics: '', 'continuation-token': '!!' } });
  t.equal(bad.statusCode, 400);
  t.equal(code(bad), 'InvalidArgument');
});
