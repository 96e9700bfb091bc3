/**
 * Conversion between `buckets` rows and BucketInfo: ACL, versioning and Object Lock settings, and
 * the access columns (Block Public Access, Object Ownership: schema step 7).
 */
import { isObjectOwnership, type AclGrant, type BucketInfo, type CannedAcl, type ObjectLockConfig, type PublicAccessBlock, type VersioningStatus } from './types';

export interface BucketRow {
  name: string; created_at: number; owner: string; acl: string; region: string; acl_grants: string | null;
  versioning: string | null; mfa_delete: string | null; object_lock: string | null;
  public_access_block: string | null; object_ownership: string | null;
}
export const BUCKET_COLUMNS = 'name, created_at, owner, acl, region, acl_grants, versioning, mfa_delete, object_lock, public_access_block, object_ownership';

export function toBucket(row: BucketRow): BucketInfo {
  const bucket: BucketInfo = { name: row.name, createdAt: new Date(row.created_at), owner: row.owner, acl: row.acl as CannedAcl, region: row.region };
  if (row.acl_grants !== null) bucket.grants = JSON.parse(row.acl_grants) as AclGrant[];
  if (row.versioning !== null) bucket.versioning = row.versioning as VersioningStatus;
  if (row.mfa_delete !== null) bucket.mfaDelete = row.mfa_delete as 'Enabled' | 'Disabled';
  if (row.object_lock !== null) bucket.objectLock = JSON.parse(row.object_lock) as ObjectLockConfig;
  if (row.public_access_block !== null) bucket.publicAccessBlock = JSON.parse(row.public_access_block) as PublicAccessBlock;
  if (row.object_ownership !== null && isObjectOwnership(row.object_ownership)) bucket.ownership = row.object_ownership;
  return bucket;
}
