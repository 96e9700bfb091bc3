/**
 * The configurations a bucket keeps by Id (docs/spec/bucket-config.md §B4.9):
 * AnalyticsConfiguration, MetricsConfiguration, InventoryConfiguration and
 * IntelligentTieringConfiguration, validated against S3's schema (the API reference's elements,
 * which are required, and their enums, as the SDK model lists them) and kept as trees in S3's
 * element order, so Get gives back what was put. A schema violation is MalformedXML; a value the
 * schema allows but S3 refuses is InvalidArgument.
 */
import type { DocumentTree, DocumentValue, IdConfigKind } from '../../storage';
import { S3Error } from '../errors';
import { buildXml, list, type XmlNode, type XmlValue } from './xml';
import { rootOf } from './bucket-settings';

const malformed = () => new S3Error('MalformedXML');

/** A container element's members ('' for an empty one); text where a container belongs is malformed. */
function members(value: XmlValue, allowed: readonly string[]): XmlNode {
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw malformed();
  for (const name of Object.keys(value)) if (!allowed.includes(name)) throw malformed();
  return value;
}

/** The text of a member that may appear once. */
function optional(node: XmlNode, name: string): string | undefined {
  const v = node[name];
  if (v === undefined) return undefined;
  if (typeof v === 'object') throw malformed();
  return String(v);
}

function required(node: XmlNode, name: string, values?: readonly string[]): string {
  const v = optional(node, name);
  if (v === undefined || (values !== undefined && !values.includes(v))) throw malformed();
  return v;
}

/** A container member that may appear once ('' when empty). */
function single(node: XmlNode, name: string): XmlValue {
  const v = node[name];
  if (Array.isArray(v)) throw malformed();
  return v;
}

function tag(value: XmlValue): DocumentTree {
  const t = members(value, ['Key', 'Value']);
  const key = required(t, 'Key');
  if (key === '') throw malformed();
  return { Key: key, Value: required(t, 'Value') };
}

/** Filter: one of Prefix, Tag, And (Prefix and Tags), and for metrics AccessPointArn (S3's unions). */
function filter(value: XmlValue, accessPoint: boolean): DocumentTree {
  const choices = accessPoint ? ['Prefix', 'Tag', 'AccessPointArn', 'And'] : ['Prefix', 'Tag', 'And'];
  const f = members(value, choices);
  if (Object.keys(f).length > 1) throw malformed();
  const prefix = optional(f, 'Prefix');
  if (prefix !== undefined) return { Prefix: prefix };
  if ('Tag' in f) return { Tag: tag(single(f, 'Tag')) };
  const arn = optional(f, 'AccessPointArn');
  if (arn !== undefined) return { AccessPointArn: arn };
  if (!('And' in f)) return {};
  const and = members(single(f, 'And'), accessPoint ? ['Prefix', 'Tag', 'AccessPointArn'] : ['Prefix', 'Tag']);
  const out: DocumentTree = {};
  const andPrefix = optional(and, 'Prefix');
  if (andPrefix !== undefined) out.Prefix = andPrefix;
  const tags = list(and, 'Tag').map(tag);
  if (tags.length > 0) out.Tag = tags;
  const andArn = optional(and, 'AccessPointArn');
  if (andArn !== undefined) out.AccessPointArn = andArn;
  return { And: out };
}

/** The Id the document names; it must be the `?id=` of the request (UNVERIFIED(S3): InvalidArgument). */
function idOf(node: XmlNode, queryId: string): string {
  const id = required(node, 'Id');
  if (id === '') throw malformed();
  if (id !== queryId) throw new S3Error('InvalidArgument', 'The Id in the configuration does not match the id of the request.', { ArgumentName: 'id', ArgumentValue: queryId });
  return id;
}

/** A destination bucket is named by its ARN (UNVERIFIED(S3): the check and its error). */
function bucketArn(node: XmlNode): string {
  const arn = required(node, 'Bucket');
  if (!/^arn:[^:]+:s3:::[^/]+$/.test(arn)) throw new S3Error('InvalidArgument', 'Invalid bucket ARN', { ArgumentName: 'Bucket', ArgumentValue: arn });
  return arn;
}

function withFilter(root: XmlNode, accessPoint: boolean): DocumentTree {
  return 'Filter' in root ? { Filter: filter(single(root, 'Filter'), accessPoint) } : {};
}

/** PutBucketAnalyticsConfiguration: Id, Filter?, StorageClassAnalysis (with its DataExport?). */
function analytics(root: XmlValue, id: string): DocumentTree {
  const r = members(root, ['Id', 'Filter', 'StorageClassAnalysis']);
  const out: DocumentTree = { Id: idOf(r, id), ...withFilter(r, false) };
  if (!('StorageClassAnalysis' in r)) throw malformed();
  const sca = members(single(r, 'StorageClassAnalysis'), ['DataExport']);
  if (!('DataExport' in sca)) return { ...out, StorageClassAnalysis: '' };
  const exp = members(single(sca, 'DataExport'), ['OutputSchemaVersion', 'Destination']);
  const version = required(exp, 'OutputSchemaVersion', ['V_1']);
  if (!('Destination' in exp)) throw malformed();
  const dest = members(single(exp, 'Destination'), ['S3BucketDestination']);
  if (!('S3BucketDestination' in dest)) throw malformed();
  const s3 = members(single(dest, 'S3BucketDestination'), ['Format', 'BucketAccountId', 'Bucket', 'Prefix']);
  const d: DocumentTree = { Format: required(s3, 'Format', ['CSV']) };
  const account = optional(s3, 'BucketAccountId');
  if (account !== undefined) d.BucketAccountId = account;
  d.Bucket = bucketArn(s3);
  const prefix = optional(s3, 'Prefix');
  if (prefix !== undefined) d.Prefix = prefix;
  return { ...out, StorageClassAnalysis: { DataExport: { OutputSchemaVersion: version, Destination: { S3BucketDestination: d } } } };
}

/** PutBucketMetricsConfiguration: Id (at most 64 letters, digits, `.`, `-`, `_`), Filter?. */
function metrics(root: XmlValue, id: string): DocumentTree {
  const r = members(root, ['Id', 'Filter']);
  const out: DocumentTree = { Id: idOf(r, id) };
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(out.Id as string)) {
    throw new S3Error('InvalidArgument', 'The Id can only contain letters, numbers, periods, dashes, and underscores, and at most 64 of them.', { ArgumentName: 'Id', ArgumentValue: id });
  }
  return { ...out, ...withFilter(r, true) };
}

const INVENTORY_FIELDS = [
  'BucketKeyStatus', 'ChecksumAlgorithm', 'ETag', 'EncryptionStatus', 'IntelligentTieringAccessTier', 'IntelligentTieringReferenceDate',
  'IsMultipartUploaded', 'LastModifiedDate', 'LifecycleExpirationDate', 'ObjectAccessControlList', 'ObjectLockEventHoldDuration',
  'ObjectLockEventHoldStatus', 'ObjectLockLegalHoldStatus', 'ObjectLockMode', 'ObjectLockRetainUntilDate', 'ObjectOwner',
  'ReplicationStatus', 'Size', 'StorageClass',
];

function inventoryDestination(value: XmlValue): DocumentTree {
  const dest = members(value, ['S3BucketDestination']);
  if (!('S3BucketDestination' in dest)) throw malformed();
  const s3 = members(single(dest, 'S3BucketDestination'), ['AccountId', 'Bucket', 'Format', 'Prefix', 'Encryption']);
  const d: DocumentTree = {};
  const account = optional(s3, 'AccountId');
  if (account !== undefined) d.AccountId = account;
  d.Bucket = bucketArn(s3);
  d.Format = required(s3, 'Format', ['CSV', 'ORC', 'Parquet']);
  const prefix = optional(s3, 'Prefix');
  if (prefix !== undefined) d.Prefix = prefix;
  if ('Encryption' in s3) {
    const enc = members(single(s3, 'Encryption'), ['SSE-S3', 'SSE-KMS']);
    if (Object.keys(enc).length !== 1) throw malformed();
    if ('SSE-S3' in enc) {
      members(single(enc, 'SSE-S3'), []);
      d.Encryption = { 'SSE-S3': '' };
    } else {
      d.Encryption = { 'SSE-KMS': { KeyId: required(members(single(enc, 'SSE-KMS'), ['KeyId']), 'KeyId') } };
    }
  }
  return { S3BucketDestination: d };
}

/** PutBucketInventoryConfiguration: Destination, IsEnabled, Filter?, Id, IncludedObjectVersions, OptionalFields?, Schedule. */
function inventory(root: XmlValue, id: string): DocumentTree {
  const r = members(root, ['Destination', 'IsEnabled', 'Filter', 'Id', 'IncludedObjectVersions', 'OptionalFields', 'Schedule']);
  if (!('Destination' in r) || !('Schedule' in r)) throw malformed();
  const out: DocumentTree = { Destination: inventoryDestination(single(r, 'Destination')), IsEnabled: required(r, 'IsEnabled', ['true', 'false']) };
  if ('Filter' in r) out.Filter = { Prefix: required(members(single(r, 'Filter'), ['Prefix']), 'Prefix') };
  out.Id = idOf(r, id);
  out.IncludedObjectVersions = required(r, 'IncludedObjectVersions', ['All', 'Current']);
  if ('OptionalFields' in r) {
    const fields = list(members(single(r, 'OptionalFields'), ['Field']), 'Field').map((f) => {
      if (typeof f !== 'string' || !INVENTORY_FIELDS.includes(f)) throw malformed();
      return f;
    });
    out.OptionalFields = fields.length === 0 ? '' : { Field: fields };
  }
  out.Schedule = { Frequency: required(members(single(r, 'Schedule'), ['Frequency']), 'Frequency', ['Daily', 'Weekly']) };
  return out;
}

/** Days an access tier needs (S3 User Guide, "Intelligent-Tiering": archive 90–730, deep archive 180–730). */
const TIER_DAYS: Record<string, [number, number]> = { ARCHIVE_ACCESS: [90, 730], DEEP_ARCHIVE_ACCESS: [180, 730] };

/** PutBucketIntelligentTieringConfiguration: Id, Filter?, Status, one or more Tiering. */
function intelligentTiering(root: XmlValue, id: string): DocumentTree {
  const r = members(root, ['Id', 'Filter', 'Status', 'Tiering']);
  const out: DocumentTree = { Id: idOf(r, id), ...withFilter(r, false), Status: required(r, 'Status', ['Enabled', 'Disabled']) };
  const seen = new Set<string>();
  const tierings = list(r, 'Tiering').map((value): DocumentTree => {
    const t = members(value, ['Days', 'AccessTier']);
    const tier = required(t, 'AccessTier', Object.keys(TIER_DAYS));
    const days = required(t, 'Days');
    const [min, max] = TIER_DAYS[tier] ?? [0, 0];
    if (!/^\d+$/.test(days)) throw malformed();
    // UNVERIFIED(S3): the code and wording of these two refusals.
    if (Number(days) < min || Number(days) > max) {
      throw new S3Error('InvalidArgument', `The number of days for ${tier} must be between ${min} and ${max}.`, { ArgumentName: 'Days', ArgumentValue: days });
    }
    if (seen.has(tier)) throw new S3Error('InvalidArgument', `${tier} is given more than once.`, { ArgumentName: 'AccessTier', ArgumentValue: tier });
    seen.add(tier);
    return { Days: String(Number(days)), AccessTier: tier };
  });
  if (tierings.length === 0) throw malformed();
  return { ...out, Tiering: tierings };
}

interface KindShape {
  /** The document's root element, as put and got. */
  root: string;
  /** The root of the List answer, which carries the configurations as repeated `root` elements. */
  listRoot: string;
  parse: (root: XmlValue, id: string) => DocumentTree;
}

export const ID_CONFIG_SHAPES: Record<IdConfigKind, KindShape> = {
  analytics: { root: 'AnalyticsConfiguration', listRoot: 'ListBucketAnalyticsConfigurationResult', parse: analytics },
  metrics: { root: 'MetricsConfiguration', listRoot: 'ListMetricsConfigurationsResult', parse: metrics },
  inventory: { root: 'InventoryConfiguration', listRoot: 'ListInventoryConfigurationsResult', parse: inventory },
  intelligentTiering: { root: 'IntelligentTieringConfiguration', listRoot: 'ListBucketIntelligentTieringConfigurationsOutput', parse: intelligentTiering },
};

/** The request document of Put<kind>Configuration, validated, as a tree in S3's order. */
export function idConfigFromXml(kind: IdConfigKind, body: Buffer, id: string): DocumentTree {
  const shape = ID_CONFIG_SHAPES[kind];
  return shape.parse(rootOf(body, shape.root), id);
}

export function idConfigToXml(kind: IdConfigKind, tree: DocumentTree): string {
  return buildXml(ID_CONFIG_SHAPES[kind].root, tree as XmlNode);
}

/** The List answer: the page's configurations in Id order, with S3's continuation tokens. */
export function idConfigListXml(kind: IdConfigKind, page: { trees: DocumentTree[]; isTruncated: boolean; token?: string; next?: string }): string {
  const shape = ID_CONFIG_SHAPES[kind];
  const content: XmlNode = { IsTruncated: page.isTruncated };
  if (page.token !== undefined) content.ContinuationToken = page.token;
  if (page.next !== undefined) content.NextContinuationToken = page.next;
  if (page.trees.length > 0) content[shape.root] = page.trees as DocumentValue[] as XmlValue[];
  return buildXml(shape.listRoot, content);
}
