/**
 * The small bucket configuration documents (docs/spec/bucket-config.md §B3, §B4):
 * ServerSideEncryptionConfiguration, RequestPaymentConfiguration, AccelerateConfiguration,
 * and the documents kept as trees (BucketLoggingStatus, NotificationConfiguration,
 * ReplicationConfiguration), plus the empty answers of unconfigured state.
 */
import type { DocumentTree, DocumentValue, EncryptionSetting } from '../../storage';
import { S3Error } from '../errors';
import { buildXml, list, parseXml, text, type XmlNode, type XmlValue } from './xml';

/** The root element of a request document, or MalformedXML. */
export function rootOf(body: Buffer, root: string): XmlValue {
  const doc = parseXml(body);
  if (!(root in doc)) throw new S3Error('MalformedXML');
  return doc[root];
}

const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;

/** PutBucketEncryption (§B3.2): exactly one Rule. */
export function encryptionFromXml(body: Buffer): EncryptionSetting {
  const rules = list(rootOf(body, 'ServerSideEncryptionConfiguration'), 'Rule');
  const rule = rules[0];
  if (rules.length !== 1 || rule === undefined) throw new S3Error('MalformedXML');
  const apply = list(rule, 'ApplyServerSideEncryptionByDefault')[0];
  const algorithm = text(apply, 'SSEAlgorithm');
  if (apply === undefined || !(SSE_ALGORITHMS as readonly (string | undefined)[]).includes(algorithm)) throw new S3Error('MalformedXML');
  const keyId = text(apply, 'KMSMasterKeyID');
  const bucketKey = text(rule, 'BucketKeyEnabled');
  if (bucketKey !== undefined && bucketKey !== 'true' && bucketKey !== 'false') throw new S3Error('MalformedXML');
  const setting: EncryptionSetting = { algorithm: algorithm as EncryptionSetting['algorithm'] };
  if (keyId !== undefined && keyId !== '') {
    if (setting.algorithm === 'AES256') {
      throw new S3Error('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', { ArgumentName: 'ApplyServerSideEncryptionByDefault' });
    }
    setting.kmsKeyId = keyId;
  }
  if (bucketKey === 'true') setting.bucketKeyEnabled = true;
  return setting;
}

export function encryptionToXml(s: EncryptionSetting): string {
  return buildXml('ServerSideEncryptionConfiguration', {
    Rule: {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: s.algorithm, KMSMasterKeyID: s.kmsKeyId },
      BucketKeyEnabled: s.bucketKeyEnabled === true,
    },
  });
}

/** PutBucketRequestPayment (§B4.1). */
export function requestPaymentFromXml(body: Buffer): 'BucketOwner' | 'Requester' {
  const payer = text(rootOf(body, 'RequestPaymentConfiguration'), 'Payer');
  if (payer !== 'BucketOwner' && payer !== 'Requester') throw new S3Error('MalformedXML');
  return payer;
}

export function requestPaymentToXml(payer: string): string {
  return buildXml('RequestPaymentConfiguration', { Payer: payer });
}

/** PutBucketAccelerateConfiguration (§B4.2): Enabled or Suspended, case-sensitive. */
export function accelerateFromXml(body: Buffer): 'Enabled' | 'Suspended' {
  const status = text(rootOf(body, 'AccelerateConfiguration'), 'Status');
  if (status !== 'Enabled' && status !== 'Suspended') throw new S3Error('MalformedXML');
  return status;
}

export function accelerateToXml(status: string | undefined): string {
  return buildXml('AccelerateConfiguration', status === undefined ? {} : { Status: status });
}

/** A parsed element as a tree of strings (empty elements: ''). */
export function toTree(value: XmlValue): DocumentValue {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map(toTree);
  if (typeof value !== 'object') return String(value);
  const out: DocumentTree = {};
  for (const [name, v] of Object.entries(value)) if (!name.startsWith('#') && !name.startsWith('@')) out[name] = toTree(v);
  return out;
}

/** A tree, or an empty element given as '', as the content of `root`. */
export function treeToXml(root: string, tree: DocumentTree | undefined): string {
  return buildXml(root, (tree ?? {}) as XmlNode);
}

/** The members of a tree element (an element given as '' has none). */
export function treeNode(value: DocumentValue | undefined): DocumentTree {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** Empty documents and lists S3 returns for unconfigured state (§B4, §B7). */
export const EMPTY = {
  logging: () => buildXml('BucketLoggingStatus', {}),
  notification: () => buildXml('NotificationConfiguration', {}),
} as const;
