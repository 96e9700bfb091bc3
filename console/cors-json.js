// @ts-check
/**
 * CORS rules in the aws-cli JSON shape (`aws s3api put-bucket-cors --cors-configuration`) ⇄ the
 * S3 XML document. Only the shape is checked here, as aws-cli checks it; what the rules mean is
 * for the server to judge, and its message is shown as S3 gives it.
 */
import { escapeXml, parseXml, textOf } from './s3.js';

const LISTS = /** @type {const} */ ([['AllowedHeaders', 'AllowedHeader'], ['AllowedMethods', 'AllowedMethod'], ['AllowedOrigins', 'AllowedOrigin'], ['ExposeHeaders', 'ExposeHeader']]);
const KNOWN = ['ID', 'AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposeHeaders', 'MaxAgeSeconds'];

/**
 * @param {string} text
 * @returns {{ ok: true, xml: string } | { ok: false, message: string }}
 */
export function corsJsonToXml(text) {
  /** @type {unknown} */
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `Not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray(/** @type {{CORSRules?: unknown}} */ (doc).CORSRules)) {
    return { ok: false, message: 'Expected {"CORSRules": [ ... ]} (the aws-cli shape).' };
  }
  const rules = /** @type {unknown[]} */ (/** @type {{CORSRules: unknown[]}} */ (doc).CORSRules);
  let xml = '<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';
  for (const [i, rule] of rules.entries()) {
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return { ok: false, message: `CORSRules[${i}] must be an object.` };
    const r = /** @type {Record<string, unknown>} */ (rule);
    const unknown = Object.keys(r).find((k) => !KNOWN.includes(k));
    if (unknown !== undefined) return { ok: false, message: `Unknown parameter in CORSRules[${i}]: "${unknown}", must be one of: ${KNOWN.join(', ')}` };
    xml += '<CORSRule>';
    if (r.ID !== undefined) xml += `<ID>${escapeXml(String(r.ID))}</ID>`;
    for (const [list, element] of LISTS) {
      const values = r[list];
      if (values === undefined) continue;
      if (!Array.isArray(values)) return { ok: false, message: `CORSRules[${i}].${list} must be a list of strings.` };
      for (const v of values) xml += `<${element}>${escapeXml(String(v))}</${element}>`;
    }
    if (r.MaxAgeSeconds !== undefined) xml += `<MaxAgeSeconds>${escapeXml(String(r.MaxAgeSeconds))}</MaxAgeSeconds>`;
    xml += '</CORSRule>';
  }
  return { ok: true, xml: `${xml}</CORSConfiguration>` };
}

/** GetBucketCors XML → the aws-cli JSON shape, pretty-printed. @param {Document} doc */
export function corsXmlToJson(doc) {
  const rules = Array.from(doc.getElementsByTagName('CORSRule'), (el) => {
    /** @type {Record<string, unknown>} */
    const rule = {};
    const id = el.getElementsByTagName('ID')[0];
    if (id) rule.ID = id.textContent ?? '';
    for (const [list, element] of LISTS) {
      const values = Array.from(el.getElementsByTagName(element), (v) => v.textContent ?? '');
      if (values.length > 0) rule[list] = values;
    }
    const maxAge = textOf(el, 'MaxAgeSeconds');
    if (maxAge !== '') rule.MaxAgeSeconds = Number(maxAge);
    return rule;
  });
  return JSON.stringify({ CORSRules: rules }, null, 2);
}

export { parseXml };
