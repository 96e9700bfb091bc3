/**
 * `<LifecycleConfiguration>` ⇄ LifecycleConfiguration, with the validation of
 * docs/spec/bucket-config.md §B2.2–§B2.3 (S3's codes; messages marked UNVERIFIED where guessed).
 */
import { randomBytes } from 'node:crypto';
import type { LifecycleConfiguration, LifecycleFilter, LifecycleRule, Tag } from '../../storage';
import { S3Error } from '../errors';
import { rootOf } from './bucket-settings';
import { buildXml, list, text, type XmlNode, type XmlValue } from './xml';

const MAX_RULES = 1000;
const MAX_ID_CHARS = 255;
const TRANSITION_CLASSES = ['GLACIER', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'DEEP_ARCHIVE', 'GLACIER_IR'];
export const MINIMUM_SIZE_VALUES = ['all_storage_classes_128K', 'varies_by_storage_class'];

const malformed = () => new S3Error('MalformedXML');

function one(node: XmlValue, name: string): XmlValue {
  const items = list(node, name);
  if (items.length > 1) throw malformed();
  return items[0];
}

function members(node: XmlValue): string[] {
  return node !== undefined && typeof node === 'object' && !Array.isArray(node) ? Object.keys(node).filter((n) => !n.startsWith('#')) : [];
}

function integer(value: string | undefined, min: number, error: () => S3Error): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw malformed();
  const n = Number(value);
  if (n < min) throw error();
  return n;
}

/** An ISO date; S3 needs midnight UTC (§B2.3). UNVERIFIED(S3): an unparsable date is MalformedXML. */
function midnightDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw malformed();
  if (ms % (24 * 60 * 60 * 1000) !== 0) throw new S3Error('InvalidArgument', "'Date' must be at midnight GMT", { ArgumentName: 'Date', ArgumentValue: value });
  return new Date(ms).toISOString();
}

function tagOf(node: XmlValue): Tag {
  const key = text(node, 'Key');
  const value = text(node, 'Value');
  if (key === undefined || value === undefined) throw malformed();
  return { key, value };
}

function sizes(node: XmlValue, into: LifecycleFilter): void {
  const gt = integer(text(node, 'ObjectSizeGreaterThan'), 0, malformed);
  const lt = integer(text(node, 'ObjectSizeLessThan'), 1, malformed);
  if (gt !== undefined) into.sizeGreaterThan = gt;
  if (lt !== undefined) into.sizeLessThan = lt;
}

/** Filter: at most one of Prefix, Tag, the two sizes, And (`<Filter/>`: every object). */
function filterOf(node: XmlValue): LifecycleFilter {
  const names = members(node);
  if (names.length > 1) throw malformed();
  const filter: LifecycleFilter = {};
  const prefix = text(node, 'Prefix');
  if (prefix !== undefined) filter.prefix = prefix;
  const tag = one(node, 'Tag');
  if (tag !== undefined) filter.tags = [tagOf(tag)];
  sizes(node, filter);
  const and = one(node, 'And');
  if (and !== undefined) {
    const p = text(and, 'Prefix');
    if (p !== undefined) filter.prefix = p;
    const tags = list(and, 'Tag').map(tagOf);
    if (new Set(tags.map((t) => t.key)).size !== tags.length) throw new S3Error('InvalidRequest', 'Duplicate Tag Keys are not allowed.');
    if (tags.length > 0) filter.tags = tags;
    sizes(and, filter);
  }
  return filter;
}

function ruleOf(node: XmlValue): LifecycleRule {
  const id = text(node, 'ID') ?? randomBytes(24).toString('base64');
  // UNVERIFIED(S3): the message (§B2.3).
  if ([...id].length > MAX_ID_CHARS) throw new S3Error('InvalidArgument', 'ID length should not exceed allowed limit of 255', { ArgumentName: 'ID', ArgumentValue: id });
  const status = text(node, 'Status');
  if (status !== 'Enabled' && status !== 'Disabled') throw malformed();
  const filterNode = one(node, 'Filter');
  const legacy = text(node, 'Prefix');
  if ((filterNode === undefined) === (legacy === undefined)) throw malformed();
  const rule: LifecycleRule = {
    id, enabled: status === 'Enabled', legacyPrefix: legacy !== undefined,
    filter: legacy !== undefined ? { prefix: legacy } : filterOf(filterNode), transitions: [], noncurrentTransitions: [],
  };
  // UNVERIFIED(S3): the message for Days 0.
  const positiveDays = () => new S3Error('InvalidArgument', "'Days' for Expiration action must be a positive integer", { ArgumentName: 'Days' });
  const exp = one(node, 'Expiration');
  if (exp !== undefined) {
    const days = integer(text(exp, 'Days'), 1, positiveDays);
    const date = midnightDate(text(exp, 'Date'));
    const marker = text(exp, 'ExpiredObjectDeleteMarker');
    if ([days, date, marker].filter((v) => v !== undefined).length !== 1) throw malformed();
    if (marker !== undefined && marker !== 'true' && marker !== 'false') throw malformed();
    rule.expiration = days !== undefined ? { days } : date !== undefined ? { date } : { expiredObjectDeleteMarker: marker === 'true' };
  }
  for (const t of list(node, 'Transition')) {
    const storageClass = text(t, 'StorageClass');
    if (storageClass === undefined || !TRANSITION_CLASSES.includes(storageClass)) throw malformed();
    const days = integer(text(t, 'Days'), 0, malformed);
    const date = midnightDate(text(t, 'Date'));
    if ((days === undefined) === (date === undefined)) throw malformed();
    rule.transitions.push({ storageClass, ...(days !== undefined ? { days } : {}), ...(date !== undefined ? { date } : {}) });
  }
  const nve = one(node, 'NoncurrentVersionExpiration');
  if (nve !== undefined) {
    const noncurrentDays = integer(text(nve, 'NoncurrentDays'), 1, positiveDays);
    const newer = integer(text(nve, 'NewerNoncurrentVersions'), 1, malformed);
    if (noncurrentDays === undefined && newer === undefined) throw malformed();
    // UNVERIFIED(S3): the message.
    if (newer !== undefined && newer > 100) throw new S3Error('InvalidArgument', 'NewerNoncurrentVersions cannot be greater than 100', { ArgumentName: 'NewerNoncurrentVersions' });
    rule.noncurrentExpiration = { ...(noncurrentDays !== undefined ? { noncurrentDays } : {}), ...(newer !== undefined ? { newerNoncurrentVersions: newer } : {}) };
  }
  for (const t of list(node, 'NoncurrentVersionTransition')) {
    const storageClass = text(t, 'StorageClass');
    if (storageClass === undefined || !TRANSITION_CLASSES.includes(storageClass)) throw malformed();
    const noncurrentDays = integer(text(t, 'NoncurrentDays'), 0, malformed);
    const newer = integer(text(t, 'NewerNoncurrentVersions'), 1, malformed);
    rule.noncurrentTransitions.push({ storageClass, ...(noncurrentDays !== undefined ? { noncurrentDays } : {}), ...(newer !== undefined ? { newerNoncurrentVersions: newer } : {}) });
  }
  const abort = one(node, 'AbortIncompleteMultipartUpload');
  if (abort !== undefined) {
    const days = integer(text(abort, 'DaysAfterInitiation'), 1, positiveDays);
    if (days === undefined) throw malformed();
    rule.abortIncompleteMultipartUploadDays = days;
  }
  return rule;
}

/** PutBucketLifecycleConfiguration's document (§B2.1–§B2.3). */
export function lifecycleFromXml(body: Buffer, minimumObjectSize: string): LifecycleConfiguration {
  const rules = list(rootOf(body, 'LifecycleConfiguration'), 'Rule');
  if (rules.length === 0 || rules.length > MAX_RULES) throw malformed();
  const parsed = rules.map(ruleOf);
  const seen = new Set<string>();
  for (const r of parsed) {
    if (seen.has(r.id)) throw new S3Error('InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule', { ArgumentName: 'ID', ArgumentValue: r.id });
    seen.add(r.id);
  }
  return { rules: parsed, minimumObjectSize };
}

function filterXml(f: LifecycleFilter): XmlNode {
  const tags = (f.tags ?? []).map((t) => ({ Key: t.key, Value: t.value }));
  const count = (f.prefix !== undefined ? 1 : 0) + tags.length + (f.sizeGreaterThan !== undefined ? 1 : 0) + (f.sizeLessThan !== undefined ? 1 : 0);
  const content: XmlNode = { Prefix: f.prefix, Tag: tags.length > 0 ? tags : undefined, ObjectSizeGreaterThan: f.sizeGreaterThan, ObjectSizeLessThan: f.sizeLessThan };
  return count > 1 ? { And: content } : count === 0 ? {} : content;
}

function ruleXml(r: LifecycleRule): XmlNode {
  const e = r.expiration;
  return {
    ID: r.id,
    ...(r.legacyPrefix ? { Prefix: r.filter.prefix ?? '' } : { Filter: filterXml(r.filter) }),
    Status: r.enabled ? 'Enabled' : 'Disabled',
    Expiration: e === undefined ? undefined : { Date: e.date, Days: e.days, ExpiredObjectDeleteMarker: e.expiredObjectDeleteMarker },
    Transition: r.transitions.length === 0 ? undefined : r.transitions.map((t) => ({ Date: t.date, Days: t.days, StorageClass: t.storageClass })),
    NoncurrentVersionExpiration: r.noncurrentExpiration === undefined ? undefined
      : { NoncurrentDays: r.noncurrentExpiration.noncurrentDays, NewerNoncurrentVersions: r.noncurrentExpiration.newerNoncurrentVersions },
    NoncurrentVersionTransition: r.noncurrentTransitions.length === 0 ? undefined
      : r.noncurrentTransitions.map((t) => ({ NoncurrentDays: t.noncurrentDays, NewerNoncurrentVersions: t.newerNoncurrentVersions, StorageClass: t.storageClass })),
    AbortIncompleteMultipartUpload: r.abortIncompleteMultipartUploadDays === undefined ? undefined : { DaysAfterInitiation: r.abortIncompleteMultipartUploadDays },
  };
}

export function lifecycleToXml(config: LifecycleConfiguration): string {
  return buildXml('LifecycleConfiguration', { Rule: config.rules.map(ruleXml) });
}
