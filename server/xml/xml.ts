/**
 * The one configured XML parser and builder, used only at the edge. Parsing: no entity
 * expansion, no DOCTYPE, no value coercion, list elements always arrays, bounded input.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from '../errors';
import { writeXml } from './xml-writer';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Element names that are lists anywhere they appear in the documents we read. */
const LIST_ELEMENTS = new Set([
  'CORSRule', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader', 'ID', 'MaxAgeSeconds',
  'Object', 'Part', 'Grant',
]);

const PARSER_OPTIONS = {
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // Decodes character references (`&#x0A;`, which the AWS SDK sends for a newline in a key);
  // named entities other than XML's five never get here (see wellFormedReferences).
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name: string) => LIST_ELEMENTS.has(name),
};

const parser = new XMLParser(PARSER_OPTIONS);
/** The same parser, keeping text exactly (object keys: ` a ` is not `a`). */
const exactParser = new XMLParser({ ...PARSER_OPTIONS, trimValues: false });

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
  format: false,
  processEntities: true,
});

export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | number | boolean | XmlNode | XmlValue[] | undefined;

/**
 * Parses an S3 request document. Anything not well-formed, with a DOCTYPE or entity
 * declarations, or over `maxBytes`, is S3's MalformedXML.
 */
export function parseXml(body: Buffer | string, maxBytes = 1024 * 1024, options: { preserveWhitespace?: boolean } = {}): XmlNode {
  const text = typeof body === 'string' ? body : utf8(body);
  if (Buffer.byteLength(text) > maxBytes) throw new S3Error('MalformedXML');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new S3Error('MalformedXML');
  if (NOT_XML_CHAR.test(text) || !wellFormedReferences(text)) throw new S3Error('MalformedXML');
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw new S3Error('MalformedXML');
  let doc: XmlNode;
  try {
    doc = (options.preserveWhitespace ? exactParser : parser).parse(text) as XmlNode;
  } catch {
    throw new S3Error('MalformedXML');
  }
  // One root element (the validator lets `<A/><A/>` through).
  const roots = Object.values(doc);
  if (roots.length !== 1 || Array.isArray(roots[0])) throw new S3Error('MalformedXML');
  return doc;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The body as UTF-8; invalid byte sequences are MalformedXML, not U+FFFD. */
function utf8(body: Buffer): string {
  try {
    return decoder.decode(body);
  } catch {
    throw new S3Error('MalformedXML');
  }
}

/** Characters outside XML 1.0's `Char` production: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Every `&` outside CDATA and comments starts `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` or a
 * character reference to an XML character: an undeclared entity is not well-formed.
 */
function wellFormedReferences(text: string): boolean {
  const scanned = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, '');
  const references = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}))?;?/g;
  for (const m of scanned.matchAll(references)) {
    if (!m[0].endsWith(';') || m[0] === '&;') return false;
    if (m[1] !== undefined) continue;
    const cp = m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? parseInt(m[3], 16) : -1;
    if (!isXmlChar(cp)) return false;
  }
  return true;
}

/** Builds `<?xml ...?><Root xmlns="...">…</Root>`; undefined members are omitted. */
export function buildXml(root: string, content: XmlNode, options: { xmlns?: boolean } = { xmlns: true }): string {
  const node: XmlNode = options.xmlns === false ? content : { '@_xmlns': S3_XMLNS, ...content };
  // A CR in a value (a key) would reach the client as LF (XML end-of-line handling): as S3 does, send `&#13;`.
  // writeXml writes what the builder would, faster; it leaves unusual shapes to the builder.
  const body = writeXml(root, node) ?? (builder.build({ [root]: node }) as string);
  return DECLARATION + body.replace(/\r/g, '&#13;');
}

/**
 * A document whose children under `root` include a run of elements with different names in one
 * order (ListObjectVersions' Version and DeleteMarker): `content` is written first, `run` is
 * inserted where the `RunPlaceholder` member of `content` stands.
 */
export function buildXmlWithRun(root: string, content: XmlNode, run: Array<[name: string, node: XmlNode]>): string {
  const doc = buildXml(root, { ...content });
  const fragment = run.map(([name, node]) => buildXml(name, node, { xmlns: false }).slice(DECLARATION.length)).join('');
  return doc.replace('<RunPlaceholder></RunPlaceholder>', () => fragment);
}

/** Text of a child element, for parsed documents (a list element yields its first item). */
export function text(node: XmlValue, name: string): string | undefined {
  if (node === undefined || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const v = node[name];
  const first = Array.isArray(v) ? v[0] : v;
  if (first === undefined) return undefined;
  if (typeof first === 'object') return '';
  return String(first);
}

/** A child list (always an array), for parsed documents. */
export function list(node: XmlValue, name: string): XmlValue[] {
  if (node === undefined || typeof node !== 'object' || Array.isArray(node)) return [];
  const v = node[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** String values of a list of leaf elements (`<AllowedOrigin>` ...); empty elements give ''. */
export function texts(node: XmlValue, name: string): string[] {
  return list(node, name).map((v) => (v === undefined || typeof v === 'object' ? '' : String(v)));
}
