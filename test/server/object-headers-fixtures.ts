/** What the object-headers tables share: a row's expectation, honoured (with its proof) or refused. */
import type { ObjectAccess } from '../../storage';
import type { s3 } from '../helpers/s3-inject';
import { OWNER } from './auth-fixtures';

export type Res = Awaited<ReturnType<typeof s3>>;

/** What a row's proof sees: the response, a HEAD of the result (checksum mode on), its ACL. */
export interface Outcome { res: Res; head: Res; access?: ObjectAccess | undefined }

export type Expect =
  | { honoured: (o: Outcome) => boolean; what: string }
  | { refused: number; code: string };

export const OWNER_ID = OWNER.id;
export const KEY_B64 = Buffer.alloc(32, 7).toString('base64');

export const KMS = { 'x-amz-server-side-encryption': 'aws:kms' };

/**
 * The object settings every write that creates an object takes (CopyObject,
 * CreateMultipartUpload; PutObject's table has its own shape): storage class, redirect, SSE, SSE-C.
 */
export const OBJECT_SETTING_ROWS: Array<[string, string, Record<string, string>, Expect]> = [
  ['x-amz-storage-class', 'STANDARD_IA', {}, { honoured: (c) => c.head.headers['x-amz-storage-class'] === 'STANDARD_IA', what: 'returned on HEAD' }],
  ['x-amz-storage-class', 'OUTPOSTS', {}, { refused: 400, code: 'InvalidStorageClass' }],
  ['x-amz-website-redirect-location', '/other.html', {}, { honoured: (c) => c.head.headers['x-amz-website-redirect-location'] === '/other.html', what: 'returned on HEAD' }],
  ['x-amz-website-redirect-location', 'ftp://x', {}, { refused: 400, code: 'InvalidRedirectLocation' }],
  ['x-amz-server-side-encryption-customer-algorithm', 'AES256', {}, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-server-side-encryption-customer-key', KEY_B64, {}, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-server-side-encryption-customer-key-md5', 'x', {}, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-server-side-encryption-aws-kms-key-id', 'k1', KMS, { honoured: (c) => String(c.head.headers['x-amz-server-side-encryption-aws-kms-key-id']).endsWith(':key/k1'), what: 'returned on HEAD' }],
  ['x-amz-server-side-encryption-aws-kms-key-id', 'k1', {}, { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-server-side-encryption-context', 'e30=', KMS, { honoured: (c) => c.head.headers['x-amz-server-side-encryption-context'] === 'e30=', what: 'returned on HEAD' }],
  ['x-amz-server-side-encryption-context', 'e30=', {}, { refused: 400, code: 'InvalidArgument' }],
];

/**
 * The Object Lock headers on a bucket without Object Lock, and the expected bucket owner, as
 * CopyObject and CreateMultipartUpload answer them (PutObject's table has its own shape).
 */
export const LOCK_AND_OWNER_ROWS: Array<[string, string, Record<string, string>, Expect]> = [
  ['x-amz-object-lock-mode', 'GOVERNANCE', {}, { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-object-lock-retain-until-date', '2030-01-01T00:00:00Z', {}, { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-object-lock-legal-hold', 'ON', {}, { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-object-lock-event-hold', 'ON', {}, { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-object-lock-event-hold-duration-days', '1', {}, { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-object-lock-event-hold-duration-years', '1', {}, { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-expected-bucket-owner', '000000000000', {}, { honoured: (c) => c.res.statusCode === 200, what: 'checked: the owner account' }],
  ['x-amz-expected-bucket-owner', '111111111111', {}, { refused: 403, code: 'AccessDenied' }],
];
