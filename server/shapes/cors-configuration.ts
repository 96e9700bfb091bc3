/** CORSConfiguration XML ⇄ cors-engine's types. Namespace optional, any child order. */
import type { CorsConfiguration, RawCorsRule } from '../../cors-engine';
import { S3Error } from '../errors';
import { buildXml, list, parseXml, texts, type XmlNode } from '../xml';

export function corsConfigurationFromXml(body: Buffer): RawCorsRule[] {
  const doc = parseXml(body);
  const root = doc.CORSConfiguration;
  if (root === undefined) throw new S3Error('MalformedXML');
  if (typeof root !== 'object' || Array.isArray(root)) return [];
  return list(root, 'CORSRule').map((rule) => ({
    ids: texts(rule, 'ID'),
    allowedOrigins: texts(rule, 'AllowedOrigin'),
    allowedMethods: texts(rule, 'AllowedMethod'),
    allowedHeaders: texts(rule, 'AllowedHeader'),
    exposeHeaders: texts(rule, 'ExposeHeader'),
    maxAgeSeconds: texts(rule, 'MaxAgeSeconds'),
  }));
}

/** Element order inside a rule: ID, AllowedHeader, AllowedMethod, AllowedOrigin, ExposeHeader, MaxAgeSeconds (spec §4.8). */
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
