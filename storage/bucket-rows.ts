/** Conversion between `buckets` rows and BucketInfo (the access columns: schema step 6). */
import { isObjectOwnership, type AclGrant, type BucketInfo, type CannedAcl, type PublicAccessBlock } from './types';

export interface BucketRow {
  name: string; created_at: number; owner: string; acl: string; region: string; acl_grants: string | null;
  public_access_block: string | null; object_ownership: string | null;
}

export const BUCKET_COLUMNS = 'name, created_at, owner, acl, region, acl_grants, public_access_block, object_ownership';

export function toBucket(row: BucketRow): BucketInfo {
  const bucket: BucketInfo = { name: row.name, createdAt: new Date(row.created_at), owner: row.owner, acl: row.acl as CannedAcl, region: row.region };
  if (row.acl_grants !== null) bucket.grants = JSON.parse(row.acl_grants) as AclGrant[];
  if (row.public_access_block !== null) bucket.publicAccessBlock = JSON.parse(row.public_access_block) as PublicAccessBlock;
  if (row.object_ownership !== null && isObjectOwnership(row.object_ownership)) bucket.ownership = row.object_ownership;
  return bucket;
}
