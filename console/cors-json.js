// @ts-check
/**
 * CORS rules in the aws-cli JSON shape (`aws s3api put-bucket-cors --cors-configuration`) ⇄ the
 * S3 XML document. Only the shape is checked here, as aws-cli checks it; what the rules mean is
 * for the server to judge, and its message is shown as S3 gives it.
 */
import { escapeXml, parseXml, textOf } from './s3.js';

/**
 * One rule in the aws-cli shape, lists as strings. MaxAgeSeconds is kept as given (a number, or
 * what the user typed) for S3 to judge.
 * @typedef {{ ID?: string, AllowedHeaders?: string[], AllowedMethods?: string[], AllowedOrigins?: string[],
 *   ExposeHeaders?: string[], MaxAgeSeconds?: number | string }} CorsRule
 */

/** The lists, in the order aws-cli prints them, with their XML element. */
export const LISTS = /** @type {const} */ ([['AllowedHeaders', 'AllowedHeader'], ['AllowedMethods', 'AllowedMethod'], ['AllowedOrigins', 'AllowedOrigin'], ['ExposeHeaders', 'ExposeHeader']]);
const KNOWN = ['ID', 'AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposeHeaders', 'MaxAgeSeconds'];

/**
 * The JSON text → its rules, or why it is not the aws-cli shape.
 * @param {string} text
 * @returns {{ ok: true, rules: CorsRule[] } | { ok: false, message: string }}
 */
export function parseCorsJson(text) {
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
  /** @type {CorsRule[]} */
  const rules = [];
  for (const [i, rule] of /** @type {unknown[]} */ (/** @type {{CORSRules: unknown[]}} */ (doc).CORSRules).entries()) {
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return { ok: false, message: `CORSRules[${i}] must be an object.` };
    const r = /** @type {Record<string, unknown>} */ (rule);
    const unknown = Object.keys(r).find((k) => !KNOWN.includes(k));
    if (unknown !== undefined) return { ok: false, message: `Unknown parameter in CORSRules[${i}]: "${unknown}", must be one of: ${KNOWN.join(', ')}` };
    /** @type {CorsRule} */
    const out = {};
    if (r.ID !== undefined) out.ID = String(r.ID);
    for (const [list] of LISTS) {
      const values = r[list];
      if (values === undefined) continue;
      if (!Array.isArray(values)) return { ok: false, message: `CORSRules[${i}].${list} must be a list of strings.` };
      out[list] = values.map(String);
    }
    if (r.MaxAgeSeconds !== undefined) out.MaxAgeSeconds = typeof r.MaxAgeSeconds === 'number' ? r.MaxAgeSeconds : String(r.MaxAgeSeconds);
    rules.push(out);
  }
  return { ok: true, rules };
}

/** Rules → the PutBucketCors document. @param {CorsRule[]} rules */
export function corsRulesToXml(rules) {
  let xml = '<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';
  for (const r of rules) {
    xml += '<CORSRule>';
    if (r.ID !== undefined) xml += `<ID>${escapeXml(r.ID)}</ID>`;
    for (const [list, element] of LISTS) for (const v of r[list] ?? []) xml += `<${element}>${escapeXml(v)}</${element}>`;
    if (r.MaxAgeSeconds !== undefined) xml += `<MaxAgeSeconds>${escapeXml(String(r.MaxAgeSeconds))}</MaxAgeSeconds>`;
    xml += '</CORSRule>';
  }
  return `${xml}</CORSConfiguration>`;
}

/**
 * @param {string} text
 * @returns {{ ok: true, xml: string } | { ok: false, message: string }}
 */
export function corsJsonToXml(text) {
  const parsed = parseCorsJson(text);
  return parsed.ok ? { ok: true, xml: corsRulesToXml(parsed.rules) } : parsed;
}

/** Rules → the aws-cli JSON, pretty-printed, keys in aws-cli's order. @param {CorsRule[]} rules */
export function corsRulesToJson(rules) {
  const ordered = rules.map((r) => {
    /** @type {CorsRule} */
    const rule = {};
    if (r.ID !== undefined) rule.ID = r.ID;
    for (const [list] of LISTS) if (r[list] !== undefined) rule[list] = r[list];
    if (r.MaxAgeSeconds !== undefined) rule.MaxAgeSeconds = r.MaxAgeSeconds;
    return rule;
  });
  return JSON.stringify({ CORSRules: ordered }, null, 2);
}

/** GetBucketCors XML → the aws-cli JSON shape, pretty-printed. @param {Document} doc */
export function corsXmlToJson(doc) {
  return corsRulesToJson(Array.from(doc.getElementsByTagName('CORSRule'), (el) => {
    /** @type {CorsRule} */
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
  }));
}

export { parseXml };
