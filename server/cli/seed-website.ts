/**
 * The seed file's `"website"` member: aws-cli's JSON, as for `put-bucket-website
 * --website-configuration`, checked exactly as PutBucketWebsite checks its document
 * (docs/spec/website.md §2), errors named by member.
 */
import type { WebsiteConfiguration } from '../../storage';
import { isS3Error } from '../errors';
import { websiteConfigurationFromXml } from '../xml/website-configuration';
import { isPlainObject } from './config-file';

type Fail = (path: string, message: string) => never;

const MEMBERS: Record<string, readonly string[]> = {
  '': ['IndexDocument', 'ErrorDocument', 'RedirectAllRequestsTo', 'RoutingRules'],
  IndexDocument: ['Suffix'],
  ErrorDocument: ['Key'],
  RedirectAllRequestsTo: ['HostName', 'Protocol'],
  Condition: ['KeyPrefixEquals', 'HttpErrorCodeReturnedEquals'],
  Redirect: ['HostName', 'HttpRedirectCode', 'Protocol', 'ReplaceKeyPrefixWith', 'ReplaceKeyWith'],
  RoutingRule: ['Condition', 'Redirect'],
};

function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** One JSON object as XML children, members checked against MEMBERS[kind]. */
function toXml(json: unknown, kind: string, path: string, fail: Fail): string {
  if (!isPlainObject(json)) return fail(path, `expected an object with ${(MEMBERS[kind] ?? []).join(', ')}`);
  let out = '';
  for (const [name, value] of Object.entries(json)) {
    if (!(MEMBERS[kind] ?? []).includes(name)) return fail(`${path}.${name}`, `unknown member; expected one of ${(MEMBERS[kind] ?? []).join(', ')}`);
    if (name === 'RoutingRules') {
      if (!Array.isArray(value)) return fail(`${path}.${name}`, 'expected an array of {"Condition": {...}, "Redirect": {...}}');
      out += `<RoutingRules>${value.map((rule, i) => `<RoutingRule>${toXml(rule, 'RoutingRule', `${path}.RoutingRules[${i}]`, fail)}</RoutingRule>`).join('')}</RoutingRules>`;
    } else if (MEMBERS[name] !== undefined) {
      out += `<${name}>${toXml(value, name, `${path}.${name}`, fail)}</${name}>`;
    } else if (typeof value === 'string' || typeof value === 'number') {
      out += `<${name}>${escapeXml(String(value))}</${name}>`;
    } else {
      return fail(`${path}.${name}`, 'expected a string');
    }
  }
  return out;
}

/** aws-cli website JSON → the stored configuration, or a failure with S3's message and code. */
export function websiteFromJson(json: unknown, fail: Fail): WebsiteConfiguration {
  const xml = `<WebsiteConfiguration>${toXml(json, '', '', fail)}</WebsiteConfiguration>`;
  try {
    return websiteConfigurationFromXml(Buffer.from(xml));
  } catch (err) {
    if (!isS3Error(err)) throw err;
    return fail('', `${err.message} [${err.code}]`);
  }
}
