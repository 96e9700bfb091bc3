/**
 * The S3 actions a bucket policy may name, with the resource each applies to, for the validation
 * steps "Policy has invalid action" and "Action does not apply to any resource(s) in statement"
 * (docs/spec/access.md §4 R4.3 steps 8 and 10), and the S3 condition keys with the actions they
 * apply to (step 11).
 *
 * UNVERIFIED(S3): the list follows the IAM Service Authorization Reference for Amazon S3 (bucket and
 * object resource types, plus the account-level actions that take `*`); S3 access points, Express
 * directory buckets, Storage Lens, jobs and access grants are left out, so naming only those
 * actions is refused as an invalid action.
 */

export type ActionResource = 'bucket' | 'object' | 'account';

const BUCKET_ACTIONS = [
  'CreateBucket', 'DeleteBucket', 'ListBucket', 'ListBucketVersions', 'ListBucketMultipartUploads',
  'GetBucketLocation', 'GetBucketAcl', 'PutBucketAcl', 'GetBucketPolicy', 'PutBucketPolicy',
  'DeleteBucketPolicy', 'GetBucketPolicyStatus', 'GetBucketVersioning', 'PutBucketVersioning',
  'GetBucketTagging', 'PutBucketTagging', 'GetBucketWebsite', 'PutBucketWebsite', 'DeleteBucketWebsite',
  'GetBucketLogging', 'PutBucketLogging', 'GetBucketRequestPayment', 'PutBucketRequestPayment',
  'GetBucketPublicAccessBlock', 'PutBucketPublicAccessBlock', 'GetBucketOwnershipControls',
  'PutBucketOwnershipControls', 'GetBucketCORS', 'PutBucketCORS', 'GetBucketNotification',
  'PutBucketNotification', 'GetBucketObjectLockConfiguration', 'PutBucketObjectLockConfiguration',
  'GetLifecycleConfiguration', 'PutLifecycleConfiguration', 'GetEncryptionConfiguration',
  'PutEncryptionConfiguration', 'GetAccelerateConfiguration', 'PutAccelerateConfiguration',
  'GetReplicationConfiguration', 'PutReplicationConfiguration', 'GetAnalyticsConfiguration',
  'PutAnalyticsConfiguration', 'GetInventoryConfiguration', 'PutInventoryConfiguration',
  'GetMetricsConfiguration', 'PutMetricsConfiguration', 'GetIntelligentTieringConfiguration',
  'PutIntelligentTieringConfiguration', 'ListBucketByTags',
];

const OBJECT_ACTIONS = [
  'GetObject', 'GetObjectVersion', 'GetObjectAcl', 'GetObjectVersionAcl', 'PutObject', 'PutObjectAcl',
  'PutObjectVersionAcl', 'DeleteObject', 'DeleteObjectVersion', 'GetObjectTagging',
  'GetObjectVersionTagging', 'PutObjectTagging', 'PutObjectVersionTagging', 'DeleteObjectTagging',
  'DeleteObjectVersionTagging', 'GetObjectAttributes', 'GetObjectVersionAttributes',
  'GetObjectRetention', 'PutObjectRetention', 'GetObjectLegalHold', 'PutObjectLegalHold',
  'BypassGovernanceRetention', 'RestoreObject', 'AbortMultipartUpload', 'ListMultipartUploadParts',
  'GetObjectTorrent', 'GetObjectVersionTorrent', 'ReplicateObject', 'ReplicateDelete', 'ReplicateTags',
  'ObjectOwnerOverrideToBucketOwner', 'GetObjectVersionForReplication',
];

const ACCOUNT_ACTIONS = ['ListAllMyBuckets', 'GetAccountPublicAccessBlock', 'PutAccountPublicAccessBlock', 'ListAccessPoints', 'CreateJob', 'ListJobs'];

/** Every known action as `s3:Name`, with its resource type. */
export const S3_ACTIONS: ReadonlyMap<string, ActionResource> = new Map<string, ActionResource>([
  ...BUCKET_ACTIONS.map((a): [string, ActionResource] => [`s3:${a}`, 'bucket']),
  ...OBJECT_ACTIONS.map((a): [string, ActionResource] => [`s3:${a}`, 'object']),
  ...ACCOUNT_ACTIONS.map((a): [string, ActionResource] => [`s3:${a}`, 'account']),
]);

/** The known actions an action pattern (already compiled, case-insensitive) matches. */
export function actionsMatching(test: (action: string) => boolean): string[] {
  const out: string[] = [];
  for (const action of S3_ACTIONS.keys()) if (test(action)) out.push(action);
  return out;
}

// --- Condition keys (docs/spec/access.md §2 R2.7, §4 R4.3 step 11) ---

/** Global keys (IAM-KEYS): valid with every action. Lower-cased. */
const GLOBAL_KEYS = new Set(
  [
    'aws:CalledVia', 'aws:CalledViaFirst', 'aws:CalledViaLast', 'aws:CurrentTime', 'aws:EpochTime',
    'aws:FederatedProvider', 'aws:MultiFactorAuthAge', 'aws:MultiFactorAuthPresent', 'aws:PrincipalAccount',
    'aws:PrincipalArn', 'aws:PrincipalIsAWSService', 'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths',
    'aws:PrincipalServiceName', 'aws:PrincipalServiceNamesList', 'aws:PrincipalType', 'aws:Referer',
    'aws:RequestedRegion', 'aws:ResourceAccount', 'aws:ResourceOrgID', 'aws:ResourceOrgPaths',
    'aws:SecureTransport', 'aws:SourceAccount', 'aws:SourceArn', 'aws:SourceIdentity', 'aws:SourceIp',
    'aws:SourceOrgID', 'aws:SourceOrgPaths', 'aws:SourceOwner', 'aws:SourceVpc', 'aws:SourceVpce',
    'aws:TagKeys', 'aws:TokenIssueTime', 'aws:UserAgent', 'aws:userid', 'aws:username', 'aws:ViaAWSService',
    'aws:VpcSourceIp', 'aws:VpceAccount', 'aws:VpceOrgID', 'aws:VpceOrgPaths',
    // S3 keys that apply to every S3 action (UG-KEYS "Amazon S3 condition keys").
    's3:authType', 's3:signatureAge', 's3:signatureversion', 's3:TlsVersion', 's3:x-amz-content-sha256',
    's3:ResourceAccount', 's3:DataAccessPointAccount', 's3:DataAccessPointArn', 's3:AccessPointNetworkOrigin',
  ].map((k) => k.toLowerCase()),
);

/** Global key families with a free suffix (`aws:PrincipalTag/team`). Lower-cased. */
const GLOBAL_PREFIXES = ['aws:principaltag/', 'aws:requesttag/', 'aws:resourcetag/', 's3:buckettag/'];

const OBJECT_WRITE = ['s3:PutObject'];
const ACL_WRITE = ['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectVersionAcl', 's3:PutBucketAcl', 's3:CreateBucket'];
const LISTING = ['s3:ListBucket', 's3:ListBucketVersions'];
const TAG_WRITE = ['s3:PutObject', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'];
const VERSIONED = [
  's3:GetObjectVersion', 's3:GetObjectVersionAcl', 's3:PutObjectVersionAcl', 's3:DeleteObjectVersion',
  's3:GetObjectVersionTagging', 's3:PutObjectVersionTagging', 's3:DeleteObjectVersionTagging',
  's3:GetObjectVersionAttributes', 's3:GetObjectVersionTorrent', 's3:PutObjectRetention', 's3:GetObjectRetention',
  's3:PutObjectLegalHold', 's3:GetObjectLegalHold', 's3:BypassGovernanceRetention',
];

/**
 * S3 keys valid only with some actions (Service Authorization Reference). `'object'` = every object
 * action. Lower-cased keys.
 * UNVERIFIED(S3): per-key action lists follow the reference; S3's own table is not published.
 */
const SCOPED_KEYS: ReadonlyMap<string, readonly string[] | 'object'> = new Map<string, readonly string[] | 'object'>([
  ['s3:prefix', LISTING],
  ['s3:delimiter', LISTING],
  ['s3:max-keys', LISTING],
  ['s3:x-amz-acl', ACL_WRITE],
  ['s3:x-amz-grant-full-control', ACL_WRITE],
  ['s3:x-amz-grant-read', ACL_WRITE],
  ['s3:x-amz-grant-read-acp', ACL_WRITE],
  ['s3:x-amz-grant-write', ACL_WRITE],
  ['s3:x-amz-grant-write-acp', ACL_WRITE],
  ['s3:x-amz-copy-source', OBJECT_WRITE],
  ['s3:x-amz-metadata-directive', OBJECT_WRITE],
  ['s3:x-amz-server-side-encryption', OBJECT_WRITE],
  ['s3:x-amz-server-side-encryption-aws-kms-key-id', OBJECT_WRITE],
  ['s3:x-amz-server-side-encryption-customer-algorithm', OBJECT_WRITE],
  ['s3:x-amz-storage-class', OBJECT_WRITE],
  ['s3:x-amz-website-redirect-location', OBJECT_WRITE],
  ['s3:if-match', ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion']],
  ['s3:if-none-match', OBJECT_WRITE],
  ['s3:x-amz-object-ownership', ['s3:CreateBucket', 's3:PutBucketOwnershipControls']],
  ['s3:locationconstraint', ['s3:CreateBucket']],
  ['s3:requestobjecttagkeys', TAG_WRITE],
  ['s3:versionid', VERSIONED],
  ['s3:object-lock-mode', ['s3:PutObject', 's3:PutObjectRetention']],
  ['s3:object-lock-retain-until-date', ['s3:PutObject', 's3:PutObjectRetention']],
  ['s3:object-lock-remaining-retention-days', ['s3:PutObject', 's3:PutObjectRetention']],
  ['s3:object-lock-legal-hold', ['s3:PutObject', 's3:PutObjectLegalHold']],
]);

const SCOPED_PREFIXES: ReadonlyArray<[string, readonly string[] | 'object']> = [
  ['s3:existingobjecttag/', 'object'],
  ['s3:requestobjecttag/', TAG_WRITE],
];

/**
 * The actions a condition key applies to: `'all'` for global keys, a list (or `'object'`) for
 * scoped S3 keys, `undefined` for an unknown key ("Policy has an invalid condition key").
 */
export function conditionKeyScope(key: string): 'all' | 'object' | readonly string[] | undefined {
  const k = key.toLowerCase();
  if (GLOBAL_KEYS.has(k) || GLOBAL_PREFIXES.some((p) => k.startsWith(p) && k.length > p.length)) return 'all';
  const scoped = SCOPED_KEYS.get(k);
  if (scoped !== undefined) return scoped;
  for (const [prefix, scope] of SCOPED_PREFIXES) if (k.startsWith(prefix) && k.length > prefix.length) return scope;
  return undefined;
}
