/**
 * server/xml/xml-writer.ts – buildXml writes, byte for byte, what the fast-xml-parser builder it
 * replaced writes (same options as server/xml/xml.ts), for generated documents of every shape; the
 * fast writer handles the shapes responses use and leaves the others to the builder.
 */
import fc from 'fast-check';
import { XMLBuilder } from 'fast-xml-parser';
import t from 'tap';
import { buildXml, S3_XMLNS, type XmlNode } from '../../server/xml/xml';
import { writeXml } from '../../server/xml/xml-writer';

const reference = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false, format: false, processEntities: true });

function expected(root: string, content: XmlNode, xmlns: boolean): string {
  const node = xmlns ? { '@_xmlns': S3_XMLNS, ...content } : content;
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + (reference.build({ [root]: node }) as string).replace(/\r/g, '&#13;');
}

const name = fc.oneof(
  fc.constantFrom('Key', 'Contents', 'ETag', 'Size', 'Owner', 'ID', 'Prefix', 'CommonPrefixes', 'Code', 'xsi:type'),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/),
);
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', ' ', 'true', 'false', '&', '<a>', '"etag"', "it's", '&amp;', 'a\r\nb', '\r', ']]>', '<!--'),
);
const primitive = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(-0), fc.constant(1e21));

const { node } = fc.letrec<{ node: XmlNode; value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    primitive,
    fc.constant(undefined),
    tie('node'),
    fc.array(fc.oneof(primitive, tie('node'), fc.constant(undefined)), { maxLength: 4 }),
  ),
  node: fc.dictionary(
    fc.oneof(name, name.map((n) => `@_${n}`), fc.constant('#text')),
    fc.oneof(tie('value'), primitive),
    { maxKeys: 5 },
  ) as fc.Arbitrary<XmlNode>,
}));

/** Shapes the builder handles oddly (null, nested arrays, Dates, `?` names): always the builder's output. */
const odd = fc.dictionary(
  fc.oneof(name, fc.constant('?pi'), fc.constant('@_attr')),
  fc.oneof(fc.constant(null), fc.constant([[1, 2]]), fc.constant(new Date(0)), fc.constant({ a: 1 }), fc.constant([null])),
  { maxKeys: 3 },
) as unknown as fc.Arbitrary<XmlNode>;

t.test('buildXml – the same bytes as the fast-xml-parser builder, for any document', async (t) => {
  await fc.assert(fc.property(name, node, fc.boolean(), (root, content, xmlns) => {
    let want: string | Error;
    try { want = expected(root, content, xmlns); } catch (err) { want = err as Error; }
    if (want instanceof Error) {
      t.throws(() => buildXml(root, content, { xmlns }));
      return;
    }
    const got = buildXml(root, content, { xmlns });
    if (got !== want) throw new Error(`differs:\n${JSON.stringify(content)}\nwant ${want}\ngot  ${got}`);
  }), { numRuns: 3000 });
  await fc.assert(fc.property(name, odd, (root, content) => {
    let want: string | Error;
    try { want = expected(root, content, true); } catch (err) { want = err as Error; }
    if (want instanceof Error) return;
    t.equal(buildXml(root, content), want);
  }), { numRuns: 300 });
  t.pass('no difference');
});

t.test('writeXml – writes the shapes responses use itself (no fallback), deep documents excepted', async (t) => {
  const page: XmlNode = {
    '@_xmlns': S3_XMLNS, Name: 'bkt', Prefix: '', KeyCount: 2, MaxKeys: 1000, IsTruncated: false,
    Contents: [
      { Key: 'a&b<c>', LastModified: '2024-01-01T00:00:00.000Z', ETag: '"0f34"', ChecksumAlgorithm: ['CRC32'], Size: 0, StorageClass: 'STANDARD' },
      { Key: "it's \"q\"", LastModified: '2024-01-01T00:00:00.000Z', ETag: '"1a"', Size: 12, Owner: { ID: 'abc', DisplayName: 'x' }, StorageClass: 'STANDARD' },
    ],
    CommonPrefixes: [{ Prefix: 'dir/' }], Delimiter: undefined,
  };
  const written = writeXml('ListBucketResult', page);
  t.equal(written, reference.build({ ListBucketResult: page }) as string, 'a listing page');
  const grantee = { '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', '@_xsi:type': 'CanonicalUser', ID: 'abc' };
  t.equal(writeXml('Grant', { Grantee: grantee, Permission: 'READ' }), reference.build({ Grant: { Grantee: grantee, Permission: 'READ' } }) as string, 'attributes on a nested element');
  t.equal(writeXml('LocationConstraint', { '@_xmlns': S3_XMLNS, '#text': 'eu-west-1' }), `<LocationConstraint xmlns="${S3_XMLNS}">eu-west-1</LocationConstraint>`, 'text beside an attribute');
  let deep: XmlNode = { Leaf: 'x' };
  for (let i = 0; i < 120; i++) deep = { Level: deep };
  t.equal(writeXml('Root', deep), undefined, 'a document deeper than the builder allows goes to the builder');
  t.throws(() => buildXml('Root', deep), 'which refuses it, as before');
});
