/**
 * CORSConfiguration XML ⇄ cors-engine's types (docs/spec/cors.md §1D). On input the namespace is
 * optional and children may come in any order; the engine validates the values.
 */
import type { CorsConfiguration, RawCorsRule } from '../../cors-engine';
import { S3Error } from '../errors';
import { buildXml, list, parseXml, type XmlNode, type XmlValue } from './xml';

const RULE_CHILDREN = new Set(['ID', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader', 'MaxAgeSeconds']);

function isNode(value: XmlValue): value is XmlNode {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

/**
 * UNVERIFIED(S3): S3 validates the document against its schema, so an element it does not know
 * (a typo such as `<ExposeHeaders>`) or an element inside a value is taken to be MalformedXML,
 * never silently ignored.
 */
function assertOnly(node: XmlNode, allowed: ReadonlySet<string>): void {
  for (const name of Object.keys(node)) if (!allowed.has(name)) throw new S3Error('MalformedXML');
}

/** The text values of a leaf list (`<AllowedOrigin>`…); an empty element is ''. */
function values(rule: XmlNode, name: string): string[] {
  return list(rule, name).map((v) => {
    if (v === undefined || v === '') return '';
    if (typeof v === 'object') throw new S3Error('MalformedXML');
    return String(v);
  });
}

export function corsConfigurationFromXml(body: Buffer): RawCorsRule[] {
  const doc = parseXml(body);
  assertOnly(doc, new Set(['CORSConfiguration']));
  const root = doc.CORSConfiguration;
  if (root === undefined) throw new S3Error('MalformedXML');
  // `<CORSConfiguration/>`: no rules, which the engine refuses as MalformedXML.
  if (!isNode(root)) {
    if (root !== '') throw new S3Error('MalformedXML');
    return [];
  }
  assertOnly(root, new Set(['CORSRule']));
  return list(root, 'CORSRule').map((rule) => {
    if (!isNode(rule)) {
      if (rule !== '') throw new S3Error('MalformedXML');
      return { ids: [], allowedOrigins: [], allowedMethods: [], allowedHeaders: [], exposeHeaders: [], maxAgeSeconds: [] };
    }
    assertOnly(rule, RULE_CHILDREN);
    return {
      ids: values(rule, 'ID'),
      allowedOrigins: values(rule, 'AllowedOrigin'),
      allowedMethods: values(rule, 'AllowedMethod'),
      allowedHeaders: values(rule, 'AllowedHeader'),
      exposeHeaders: values(rule, 'ExposeHeader'),
      maxAgeSeconds: values(rule, 'MaxAgeSeconds'),
    };
  });
}

/** Element order inside a rule: ID, AllowedHeader, AllowedMethod, AllowedOrigin, ExposeHeader, MaxAgeSeconds (docs/spec/cors.md §4.8). */
export function corsConfigurationToXml(config: CorsConfiguration): string {
  const rules: XmlNode[] = config.rules.map((r) => ({
    ID: r.id,
    AllowedHeader: r.allowedHeaders,
    AllowedMethod: r.allowedMethods,
    AllowedOrigin: r.allowedOrigins,
    ExposeHeader: r.exposeHeaders,
    MaxAgeSeconds: r.maxAgeSeconds,
  }));
  return buildXml('CORSConfiguration', { CORSRule: rules });
}
