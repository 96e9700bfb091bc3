/**
 * WebsiteConfiguration XML ⇄ our WebsiteConfiguration, with PutBucketWebsite's validation
 * (docs/spec/website.md §1, §2). Schema faults (an unknown or missing element, a code that is not
 * a number) are MalformedXML; the rest are S3's InvalidArgument / InvalidRequest, in §2's words.
 */
import type { WebsiteConfiguration, WebsiteRoutingRule } from '../../storage';
import { S3Error } from '../errors';
import { buildXml, list, parseXml, type XmlNode, type XmlValue } from './xml';

/** docs/spec/website.md §1.1: the document is at most 128 KB. */
export const WEBSITE_MAX_DOCUMENT_BYTES = 128 * 1024;
/** docs/spec/website.md §2: at most 50 routing rules. */
export const MAX_ROUTING_RULES = 50;
const REDIRECT_CODES: ReadonlySet<string> = new Set(['301', '302', '303', '304', '305', '307', '308']);

function isNode(value: XmlValue): value is XmlNode {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

/** The element as a node: `<X/>` is an empty node; a text value is MalformedXML. */
function node(value: XmlValue): XmlNode {
  if (value === '') return {};
  if (!isNode(value)) throw new S3Error('MalformedXML');
  return value;
}

function assertOnly(n: XmlNode, allowed: readonly string[]): void {
  for (const name of Object.keys(n)) if (!allowed.includes(name)) throw new S3Error('MalformedXML');
}

/** A single optional child: several, or a child with elements inside, is MalformedXML. */
function one(n: XmlNode, name: string): XmlValue {
  const values = list(n, name);
  if (values.length > 1) throw new S3Error('MalformedXML');
  return values[0];
}

function leaf(n: XmlNode, name: string): string | undefined {
  const v = one(n, name);
  if (v === undefined) return undefined;
  if (typeof v === 'object') {
    if (isNode(v) && Object.keys(v).length === 0) return '';
    throw new S3Error('MalformedXML');
  }
  return String(v);
}

function required(n: XmlNode, name: string): string {
  const v = leaf(n, name);
  if (v === undefined) throw new S3Error('MalformedXML');
  return v;
}

function numeric(value: string | undefined): string | undefined {
  if (value !== undefined && !/^\d+$/.test(value)) throw new S3Error('MalformedXML');
  return value;
}

const invalidProtocol = () => new S3Error('InvalidRequest', 'Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.');

function protocol(value: string | undefined): string | undefined {
  if (value !== undefined && value !== 'http' && value !== 'https') throw invalidProtocol();
  return value;
}

function routingRule(value: XmlValue): WebsiteRoutingRule {
  const r = node(value);
  assertOnly(r, ['Condition', 'Redirect']);
  const redirectValue = one(r, 'Redirect');
  if (redirectValue === undefined) throw new S3Error('MalformedXML');
  const rule: WebsiteRoutingRule = { redirect: {} };
  const conditionValue = one(r, 'Condition');
  if (conditionValue !== undefined) {
    const c = node(conditionValue);
    assertOnly(c, ['KeyPrefixEquals', 'HttpErrorCodeReturnedEquals']);
    const keyPrefixEquals = leaf(c, 'KeyPrefixEquals');
    const httpErrorCodeReturnedEquals = numeric(leaf(c, 'HttpErrorCodeReturnedEquals'));
    rule.condition = {
      ...(keyPrefixEquals === undefined ? {} : { keyPrefixEquals }),
      ...(httpErrorCodeReturnedEquals === undefined ? {} : { httpErrorCodeReturnedEquals }),
    };
  }
  const d = node(redirectValue);
  assertOnly(d, ['Protocol', 'HostName', 'ReplaceKeyPrefixWith', 'ReplaceKeyWith', 'HttpRedirectCode']);
  // UNVERIFIED(S3): an empty `<Redirect/>` is refused by the schema (docs/spec/website.md §2).
  if (Object.keys(d).length === 0) throw new S3Error('MalformedXML');
  const fields = {
    protocol: leaf(d, 'Protocol'),
    hostName: leaf(d, 'HostName'),
    replaceKeyPrefixWith: leaf(d, 'ReplaceKeyPrefixWith'),
    replaceKeyWith: leaf(d, 'ReplaceKeyWith'),
    httpRedirectCode: numeric(leaf(d, 'HttpRedirectCode')),
  };
  for (const [name, v] of Object.entries(fields)) if (v !== undefined) rule.redirect[name as keyof WebsiteRoutingRule['redirect']] = v;
  return rule;
}

/** The document as given, schema-checked (docs/spec/website.md §2 MalformedXML rows). */
function parseDocument(body: Buffer): { config: WebsiteConfiguration; emptyConditions: boolean } {
  const doc = parseXml(body, WEBSITE_MAX_DOCUMENT_BYTES);
  assertOnly(doc, ['WebsiteConfiguration']);
  const root = node(doc.WebsiteConfiguration);
  assertOnly(root, ['RedirectAllRequestsTo', 'IndexDocument', 'ErrorDocument', 'RoutingRules']);
  const config: WebsiteConfiguration = {};
  const redirectAll = one(root, 'RedirectAllRequestsTo');
  if (redirectAll !== undefined) {
    const n = node(redirectAll);
    assertOnly(n, ['HostName', 'Protocol']);
    const p = leaf(n, 'Protocol');
    config.redirectAllRequestsTo = { hostName: required(n, 'HostName'), ...(p === undefined ? {} : { protocol: p }) };
  }
  const index = one(root, 'IndexDocument');
  if (index !== undefined) {
    const n = node(index);
    assertOnly(n, ['Suffix']);
    config.indexDocument = { suffix: required(n, 'Suffix') };
  }
  const error = one(root, 'ErrorDocument');
  if (error !== undefined) {
    const n = node(error);
    assertOnly(n, ['Key']);
    config.errorDocument = { key: required(n, 'Key') };
  }
  let emptyConditions = false;
  const rules = one(root, 'RoutingRules');
  if (rules !== undefined) {
    const n = node(rules);
    assertOnly(n, ['RoutingRule']);
    const items = list(n, 'RoutingRule');
    // docs/spec/website.md §2: `<RoutingRules/>` is MalformedXML.
    if (items.length === 0) throw new S3Error('MalformedXML');
    config.routingRules = items.map(routingRule);
    emptyConditions = config.routingRules.some((r) => r.condition !== undefined && Object.keys(r.condition).length === 0);
  }
  return { config, emptyConditions };
}

/** PutBucketWebsite's document, validated in docs/spec/website.md §2's order. */
export function websiteConfigurationFromXml(body: Buffer): WebsiteConfiguration {
  const { config, emptyConditions } = parseDocument(body);
  if (config.redirectAllRequestsTo !== undefined) {
    if (config.indexDocument !== undefined || config.errorDocument !== undefined || config.routingRules !== undefined) {
      throw new S3Error('InvalidArgument', 'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', {
        ArgumentName: 'RedirectAllRequestsTo', ArgumentValue: 'not null',
      });
    }
    protocol(config.redirectAllRequestsTo.protocol);
    return config;
  }
  if (config.indexDocument === undefined) {
    throw new S3Error('InvalidArgument', 'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', {
      ArgumentName: 'IndexDocument', ArgumentValue: 'null',
    });
  }
  const suffix = config.indexDocument.suffix;
  if (suffix === '' || suffix.includes('/')) {
    throw new S3Error('InvalidArgument', 'The IndexDocument Suffix is not well formed', { ArgumentName: 'IndexDocument', ArgumentValue: suffix });
  }
  const rules = config.routingRules ?? [];
  if (rules.length > MAX_ROUTING_RULES) {
    // UNVERIFIED(S3): the code and message past the documented limit (docs/spec/website.md §2).
    throw new S3Error('InvalidRequest', 'The number of routing rules should not exceed allowed limit of 50 rules.');
  }
  if (emptyConditions) {
    throw new S3Error('InvalidRequest', "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.");
  }
  for (const rule of rules) {
    const code = rule.condition?.httpErrorCodeReturnedEquals;
    if (code !== undefined && !/^[45]\d\d$/.test(code)) {
      throw new S3Error('InvalidRequest', `The provided HTTP error code (${code}) is not valid. Valid codes are 4XX or 5XX.`);
    }
    const r = rule.redirect;
    protocol(r.protocol);
    if (r.replaceKeyPrefixWith !== undefined && r.replaceKeyWith !== undefined) {
      throw new S3Error('InvalidRequest', 'You can only define ReplaceKeyPrefix or ReplaceKey but not both.');
    }
    if (r.httpRedirectCode !== undefined && !REDIRECT_CODES.has(r.httpRedirectCode)) {
      throw new S3Error('InvalidRequest', `The provided HTTP redirect code (${r.httpRedirectCode}) is not valid. Valid codes are 3XX except 300.`);
    }
  }
  return config;
}

/** GetBucketWebsite: the stored members in model order (docs/spec/website.md §1.4), nothing invented. */
export function websiteConfigurationToXml(config: WebsiteConfiguration): string {
  const all = config.redirectAllRequestsTo;
  const content: XmlNode = {
    RedirectAllRequestsTo: all === undefined ? undefined : { HostName: all.hostName, Protocol: all.protocol },
    IndexDocument: config.indexDocument === undefined ? undefined : { Suffix: config.indexDocument.suffix },
    ErrorDocument: config.errorDocument === undefined ? undefined : { Key: config.errorDocument.key },
    RoutingRules: config.routingRules === undefined ? undefined : {
      RoutingRule: config.routingRules.map((r) => ({
        Condition: r.condition === undefined ? undefined : {
          HttpErrorCodeReturnedEquals: r.condition.httpErrorCodeReturnedEquals,
          KeyPrefixEquals: r.condition.keyPrefixEquals,
        },
        Redirect: {
          HostName: r.redirect.hostName,
          HttpRedirectCode: r.redirect.httpRedirectCode,
          Protocol: r.redirect.protocol,
          ReplaceKeyPrefixWith: r.redirect.replaceKeyPrefixWith,
          ReplaceKeyWith: r.redirect.replaceKeyWith,
        },
      })),
    },
  };
  return buildXml('WebsiteConfiguration', content);
}
