/**
 * Fuzz – the XML parser and every request-document shape (CORSConfiguration, Delete,
 * CompleteMultipartUpload, AccessControlPolicy) with generated input: random text, random
 * element trees over S3's element names, and mutations of valid documents. Each call returns
 * or throws S3Error; nothing else escapes. And a key survives build → parse exactly.
 */
import fc from 'fast-check';
import t from 'tap';
import { validateCorsRules } from '../../cors-engine';
import { S3Error } from '../../server/errors';
import { parseAccessControlPolicy } from '../../server/xml/access-control-policy';
import { corsConfigurationFromXml } from '../../server/xml/cors-configuration';
import { completeMultipartUploadFromXml } from '../../server/xml/multipart';
import { buildXml, parseXml } from '../../server/xml/xml';

const RUNS = Number(process.env.CB_FUZZ_RUNS ?? 600);

const NAMES = [
  'CORSConfiguration', 'CORSRule', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader', 'MaxAgeSeconds', 'ID',
  'Delete', 'Object', 'Key', 'VersionId', 'Quiet', 'CompleteMultipartUpload', 'Part', 'PartNumber', 'ETag', 'ChecksumCRC32',
  'AccessControlPolicy', 'Owner', 'DisplayName', 'AccessControlList', 'Grant', 'Grantee', 'Permission', 'URI', 'EmailAddress',
  'CreateBucketConfiguration', 'LocationConstraint', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'x:Key',
];

const textValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', '*', 'GET', 'PUT', 'FULL_CONTROL', 'https://*.example.com', '1', '0', '-1', '99999999999', 'true',
    '"etag"', '&amp;', '&lt;', '&#x41;', '&#0;', '&nope;', '&', '<', ']]>', '\r\n', '\t', 'ÿ', '日本', '\u2028'),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

type Tree = { name: string; attrs: string; children: Array<Tree | string> };
const { tree } = fc.letrec<{ tree: Tree; child: Tree | string }>((tie) => ({
  tree: fc.record({
    name: fc.constantFrom(...NAMES),
    attrs: fc.constantFrom('', ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"', ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"', ' a="1" a="2"', " b='<'"),
    children: fc.array(tie('child'), { maxLength: 4 }),
  }),
  child: fc.oneof({ depthSize: 'small', withCrossShrink: true }, textValue, tie('tree')),
}));

function serialize(node: Tree | string): string {
  if (typeof node === 'string') return node;
  return `<${node.name}${node.attrs}>${node.children.map(serialize).join('')}</${node.name}>`;
}

const VALID = [
  '<CORSConfiguration><CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>30</MaxAgeSeconds></CORSRule></CORSConfiguration>',
  '<Delete><Quiet>true</Quiet><Object><Key>a &amp; b</Key></Object><Object><Key>c</Key></Object></Delete>',
  '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"abc"</ETag></Part></CompleteMultipartUpload>',
  '<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>o</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>',
  '<?xml version="1.0" encoding="UTF-8"?><CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>',
];

/** A valid document with random insertions, deletions and replacements. */
const mutated = fc.tuple(
  fc.constantFrom(...VALID),
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.oneof(textValue, fc.constantFrom('<', '>', '/', '"', '=', '<!DOCTYPE x>', '<!--', '<![CDATA[', '&', '\u0000'))), { minLength: 1, maxLength: 5 }),
).map(([doc, edits]) => edits.reduce((d, [at, del, ins]) => {
  const i = at % (d.length + 1);
  return d.slice(0, i) + ins + d.slice(i + del);
}, doc));

const documents = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  tree.map(serialize),
  fc.tuple(fc.constantFrom('', '<?xml version="1.0"?>', '\ufeff', '  \n'), tree.map(serialize), fc.constantFrom('', ' ', '<A/>', 'x', '<!-- c -->')).map((p) => p.join('')),
  mutated,
  fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b).toString('latin1')),
);

/** Runs `fn`; an S3Error is an answer, anything else a crash. */
function answers(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    if (err instanceof S3Error) return true;
    throw err;
  }
}

t.test('fuzz – parseXml and the document shapes answer or throw S3Error', async (t) => {
  let cases = 0;
  fc.assert(fc.property(documents, (doc) => {
    cases++;
    const body = Buffer.from(doc, 'utf8');
    answers(() => parseXml(doc));
    answers(() => parseXml(body, undefined, { preserveWhitespace: true }));
    answers(() => validateCorsRules(corsConfigurationFromXml(body)));
    answers(() => completeMultipartUploadFromXml(body));
    answers(() => parseAccessControlPolicy(body));
    return true;
  }), { numRuns: RUNS });
  t.comment(`${cases} documents × 5 parsers`);
  t.ok(cases >= RUNS);
});

t.test('fuzz – an object key survives buildXml → parseXml exactly (any XML character)', async (t) => {
  // XML 1.0 characters; a key can hold nothing else that XML could carry.
  const xmlChar = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.constantFrom('\r', '\n', '\t', ' ', '&', '<', '>', '"', "'", ']]>', '&amp;', '&#x41;', 'a', 'é', '日', '😀', '\u2028', '\u0085') }),
  ).map((s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/g, ''));
  let cases = 0;
  fc.assert(fc.property(fc.array(xmlChar, { minLength: 1, maxLength: 3 }), (keys) => {
    cases++;
    const doc = buildXml('Delete', { Object: keys.map((Key) => ({ Key })) });
    const parsed = parseXml(doc, undefined, { preserveWhitespace: true });
    const objects = (parsed.Delete as { Object: Array<{ Key?: unknown }> }).Object;
    const back = objects.map((o) => (o.Key === undefined || typeof o.Key === 'object' ? '' : String(o.Key)));
    return back.every((k, i) => k === keys[i]);
  }), { numRuns: RUNS });
  t.comment(`${cases} key lists`);
  t.ok(cases >= RUNS);
});
