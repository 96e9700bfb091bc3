/** A bucket's access settings as storage keeps them (docs/spec/access.md §5, §6; schema step 7). */

/** A bucket's Block Public Access configuration (PutPublicAccessBlock). */
export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

/** A bucket's Object Ownership rule (PutBucketOwnershipControls). */
export const OBJECT_OWNERSHIPS = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;
export type ObjectOwnership = (typeof OBJECT_OWNERSHIPS)[number];

export function isObjectOwnership(value: string): value is ObjectOwnership {
  return (OBJECT_OWNERSHIPS as readonly string[]).includes(value);
}
