/** Conversion between `buckets` rows and BucketInfo. */
import type { AclGrant, BucketInfo, CannedAcl } from './types';

export interface BucketRow { name: string; created_at: number; owner: string; acl: string; region: string; acl_grants: string | null }

export function toBucket(row: BucketRow): BucketInfo {
  const bucket: BucketInfo = { name: row.name, createdAt: new Date(row.created_at), owner: row.owner, acl: row.acl as CannedAcl, region: row.region };
  if (row.acl_grants !== null) bucket.grants = JSON.parse(row.acl_grants) as AclGrant[];
  return bucket;
}
