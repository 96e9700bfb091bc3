/**
 * Authorization as S3 decides it (docs/spec/access.md §1): the caller (a user of an account, or
 * anonymous), the operation's IAM action and resource (access-table.ts), the bucket's policy,
 * Block Public Access, Object Ownership and ACLs, decided by the engine's decideAccess in S3's
 * order: explicit Deny anywhere → Allow by policy or (where ownership permits ACLs) by ACL → the
 * owner account's own rights → default deny. Every refusal is `403 AccessDenied` "Access Denied"
 * (§9 R9.1) and a debug log line naming the deciding source.
 */
import { describeSource, type RequestPrincipal } from '../../policy-engine';
import type { BucketInfo, ObjectAccess, Tag } from '../../storage';
import type { S3Context } from '../context';
import type { AccessSource } from '../events';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { parseCopySource } from '../http/copy-source';
import { isImplemented, type ImplementedOperation } from '../operation-names';
import { ACCESS, EXTRA_ACTIONS, OBJECT_WRITES_WITH_ACL, VERSION_ACTIONS } from './access-table';
import { bucketAccess, decidePair, principalOf, type BucketAccess, type PairDecision, type PairRequest } from './access-decision';
import { existingTagKeys, requestConditionKeys, requestTagKeys } from './condition-keys';
import { GRANT_HEADERS } from './acl-grants';

/**
 * The request's condition keys, computed once and only if a policy asks; `more` adds the keys
 * that need a lookup (the object's tags) or the body (PutObjectTagging's tags).
 */
function lazyKeys(ctx: S3Context, extra: Record<string, string> = {}, more?: () => Record<string, string | string[]>): () => Record<string, string | string[]> {
  let keys: Record<string, string | string[]> | undefined;
  // Into the fresh first object: `{ ...a, ...b }` costs V8 microseconds (docs/benchmarks.md, tenth round).
  return () => (keys ??= Object.assign(requestConditionKeys(ctx, new Date()), extra, more?.()));
}

/**
 * Actions that never see `s3:ExistingObjectTag/*` (docs/spec/access.md §2 R2.7; S3's user guide
 * on tagging and policies: not for writing or deleting the object itself).
 */
const NO_EXISTING_TAGS: ReadonlySet<string> = new Set(['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']);

/** A decision and what made it, as the event bus carries it (server/events.ts). */
export interface AccessReport {
  allowed: boolean;
  source: AccessSource;
  /** Built only when someone listens. */
  reason: () => string;
  /** A bucket policy statement's Sid, when a policy decided. */
  statement?: string;
}

/**
 * Reports an access decision to the event bus (the console's "Access decisions", `Running.events`).
 * Costs nothing while nobody listens.
 */
export function reportAccess(ctx: S3Context, decision: AccessReport, target: { bucket?: string; key?: string } = ctx): void {
  const events = ctx.services.events;
  if (!events.active) return;
  const { requestId, operation } = ctx;
  const accessKeyId = ctx.auth.user?.accessKeyId;
  const { bucket, key } = target;
  events.publish(() => ({
    type: 'access', requestId, operation,
    ...(bucket === undefined ? {} : { bucket }),
    ...(key === undefined ? {} : { key }),
    ...(accessKeyId === undefined ? {} : { accessKeyId }),
    allowed: decision.allowed,
    source: decision.source,
    reason: decision.reason(),
    ...(decision.statement === undefined ? {} : { statement: decision.statement }),
  }));
}

/** The event bus's name for a deciding source. */
function sourceKind(d: PairDecision): AccessSource {
  const s = d.decision.source;
  if (s.kind === 'acl') return s.acl === 'object' ? 'acl' : 'bucket-acl';
  return s.kind;
}

/**
 * A refusal: the debug log line (who, what, the deciding source; §9 R9.1: the reason goes to the
 * log) and the event bus.
 */
function logRefusal(ctx: S3Context, d: PairDecision, principal: RequestPrincipal, action: string, target?: { bucket: string; key?: string }): void {
  ctx.log.debug({
    operation: ctx.operation, action, resource: d.resource, result: d.decision.result,
    principal: principal.kind === 'signed' ? principal.arn : 'anonymous',
    source: describeSource(d.decision.source), detail: d.decision.detail,
  }, 'access denied');
  const s = d.decision.source;
  const report: AccessReport = { allowed: false, source: sourceKind(d), reason: () => `${action} on ${d.resource}: ${d.decision.detail}` };
  if (s.kind === 'policy' && s.statement.sid !== undefined) report.statement = s.statement.sid;
  reportAccess(ctx, report, target ?? ctx);
}

function deny(ctx: S3Context, d: PairDecision, principal: RequestPrincipal, action: string, target?: { bucket: string; key?: string }): never {
  logRefusal(ctx, d, principal, action, target);
  // §4 R4.1: another account that the policy allows to call the policy APIs.
  if (d.decision.result === 'methodNotAllowed') throw new S3Error('MethodNotAllowed', undefined, { Method: ctx.method, ResourceType: 'BUCKETPOLICY' });
  throw new S3Error('AccessDenied');
}

/** One pair must pass (§1 R1.4); the first that fails decides. */
function mustAllow(ctx: S3Context, access: BucketAccess, req: PairRequest): PairDecision {
  const d = decidePair(ctx.services, access, req);
  if (!d.decision.allowed) deny(ctx, d, req.principal, req.action, { bucket: access.bucket.name, ...(req.key === undefined ? {} : { key: req.key }) });
  return d;
}

/** A version id storage can look up (`null` or well-formed); anything else reads the current entry. */
function wellFormed(ctx: S3Context, versionId: string | undefined): string | undefined {
  return versionId !== undefined && ctx.services.storage.isVersionId(versionId) ? versionId : undefined;
}

/**
 * `x-amz-expected-bucket-owner` / `x-amz-source-expected-bucket-owner` (§1 R1.3): not 12 digits
 * → 400 InvalidBucketOwnerAWSAccountID; another account than the owner's → 403.
 */
export function checkExpectedOwner(ctx: S3Context, header: string, ownerAccountId: string): void {
  const expected = headerValue(ctx.headers, header);
  if (expected === undefined) return;
  if (!/^\d{12}$/.test(expected)) {
    throw new S3Error('InvalidBucketOwnerAWSAccountID', `The value of the expected bucket owner parameter must be an AWS Account ID... [${expected}]`);
  }
  if (expected !== ownerAccountId) throw new S3Error('AccessDenied');
}

/**
 * GetObject / HeadObject of a missing key (§9 R9.2, §1 R1.8): an explicit deny of the object
 * action is 403; otherwise 404 NoSuchKey only for a caller who may s3:ListBucket the bucket (with
 * s3:prefix = the key), 403 for everyone else. UNVERIFIED(S3): the object action itself is not
 * needed for the 404.
 */
function missingKey(ctx: S3Context, access: BucketAccess, principal: RequestPrincipal, action: string, key: string): void {
  const read = decidePair(ctx.services, access, { principal, action, key, conditionKeys: lazyKeys(ctx) });
  if (read.decision.result === 'explicitDeny') deny(ctx, read, principal, action);
  mustAllow(ctx, access, { principal, action: 's3:ListBucket', conditionKeys: lazyKeys(ctx, { 's3:prefix': key }) });
}

/** CopyObject / UploadPartCopy read their source: s3:GetObject on it (§3), and its expected owner. */
function checkCopySource(ctx: S3Context, principal: RequestPrincipal): void {
  const source = parseCopySource(ctx);
  const storage = ctx.services.storage;
  const b = storage.getBucket(source.bucket);
  // A missing source bucket is the handler's NoSuchBucket.
  if (!b) return;
  const access = bucketAccess(ctx.services, b);
  checkExpectedOwner(ctx, H.amzSourceExpectedBucketOwner, access.ownerAccountId);
  const versionId = wellFormed(ctx, source.versionId);
  const object = storage.objectAccess(b.name, source.key, versionId);
  const tags = () => existingTagKeys(storage.headObject(b.name, source.key, versionId)?.meta.tags);
  // docs/spec/access.md §3: a versioned source needs s3:GetObjectVersion.
  const action = source.versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion';
  mustAllow(ctx, access, { principal, action, key: source.key, object, conditionKeys: lazyKeys(ctx, {}, tags) });
}

function hasAclHeaders(ctx: S3Context): boolean {
  return headerValue(ctx.headers, H.amzAcl) !== undefined || GRANT_HEADERS.some(([name]) => headerValue(ctx.headers, name) !== undefined);
}

/**
 * The decision for one key of the bucket (DeleteObjects, PostObject): allowed, or the refusal
 * logged. A POST form supplies the keys its fields stand for (condition-keys.ts formConditionKeys).
 */
export function keyAllowed(ctx: S3Context, bucket: BucketInfo, key: string, action: string, formKeys?: () => Record<string, string | string[]>): boolean {
  const principal = principalOf(ctx.auth.user);
  const access = bucketAccess(ctx.services, bucket);
  const object = action === 's3:PutObject' ? undefined : ctx.services.storage.objectAccess(bucket.name, key);
  const d = decidePair(ctx.services, access, { principal, action, key, object, conditionKeys: lazyKeys(ctx, {}, formKeys) });
  if (!d.decision.allowed) logRefusal(ctx, d, principal, action);
  return d.decision.allowed;
}

/**
 * DeleteObjects before its body is read: without a policy, only the owner account, or another
 * account owning objects in an ACL bucket (§1 R1.6), can delete anything, so anyone else is
 * refused at once (the refusal names the rule, decided on the empty key). UNVERIFIED(S3): S3
 * answers such a caller 403 before reading the document.
 */
function anyKeyPossible(access: BucketAccess, principal: RequestPrincipal): boolean {
  if (access.policy !== undefined) return true;
  if (principal.kind === 'anonymous') return false;
  return principal.accountId === access.ownerAccountId || access.ownership !== 'BucketOwnerEnforced';
}

export function authorize(ctx: S3Context): void {
  const operation = ctx.operation;
  if (!isImplemented(operation) || ctx.bucket === undefined) return;
  const rule = ACCESS[operation];
  // ListBuckets and CreateBucket need a signed caller (the handlers say so); DeleteObjects and
  // PostObject decide per key once they have read their body.
  if (rule.resource === 'account' || rule.resource === 'new-bucket') return;
  const storage = ctx.services.storage;
  const b = storage.getBucket(ctx.bucket);
  // A missing bucket is the handler's NoSuchBucket: S3 answers 404 to anyone for it (§1 R1.2).
  if (!b) return;
  const access = bucketAccess(ctx.services, b);
  checkExpectedOwner(ctx, H.amzExpectedBucketOwner, access.ownerAccountId);
  const principal = principalOf(ctx.auth.user);
  if (rule.resource === 'each-key' && !anyKeyPossible(access, principal)) {
    mustAllow(ctx, access, { principal, action: rule.action, key: '', conditionKeys: lazyKeys(ctx) });
  }
  if (rule.resource === 'each-key' || rule.resource === 'form') return;
  if (rule.resource === 'bucket') {
    mustAllow(ctx, access, { principal, action: rule.action, conditionKeys: lazyKeys(ctx) });
    return;
  }
  // PutObjectTagging's tags are in its body (s3:RequestObjectTag/*): with a policy that could
  // ask for them, the handler decides once it has read them (authorizeRequestTags).
  if (operation === 'PutObjectTagging' && access.policy !== undefined) {
    ctx.tagAccessPending = true;
    return;
  }
  authorizeObject(ctx, operation, access, principal);
}

/**
 * PutObjectTagging on a bucket with a policy, once its body is read: the object path of
 * authorize() with the request's tags as condition keys (docs/spec/access.md §2 R2.7).
 * UNVERIFIED(S3): a malformed body is refused before access is decided.
 */
export function authorizeRequestTags(ctx: S3Context, tags: readonly Tag[]): void {
  if (ctx.tagAccessPending !== true) return;
  ctx.tagAccessPending = false;
  const b = ctx.bucket === undefined ? undefined : ctx.services.storage.getBucket(ctx.bucket);
  if (!b) return;
  authorizeObject(ctx, 'PutObjectTagging', bucketAccess(ctx.services, b), principalOf(ctx.auth.user), requestTagKeys(tags));
}

/** An object operation's pairs (docs/spec/access.md §3): the object action, its extras, ACL headers, a copy source. */
function authorizeObject(ctx: S3Context, operation: ImplementedOperation, access: BucketAccess, principal: RequestPrincipal, requestKeys: Record<string, string | string[]> = {}): void {
  const rule = ACCESS[operation];
  const storage = ctx.services.storage;
  const b = access.bucket;
  const key = ctx.key ?? '';
  // A version named by an id that is not well-formed is the handler's InvalidArgument.
  const versionId = ctx.query.get('versionId');
  // docs/spec/access.md §3: with a versionId, the …Version… action.
  const action = versionId === undefined ? rule.action : VERSION_ACTIONS[rule.action] ?? rule.action;
  let object: ObjectAccess | undefined;
  let tags: () => readonly Tag[] | undefined = () => undefined;
  if (operation === 'GetObject' || operation === 'HeadObject' || operation === 'GetObjectAttributes') {
    // The full row, kept on the context: the handler serves it without reading it again.
    if (operation !== 'GetObjectAttributes' && (versionId === undefined || wellFormed(ctx, versionId) !== undefined)) ctx.object = storage.headObject(b.name, key, versionId);
    const row = operation === 'GetObjectAttributes' ? storage.headObject(b.name, key, wellFormed(ctx, versionId)) : ctx.object;
    // A delete marker has no ACL of its own: the key counts as absent (docs/spec/versioning.md §5 R3).
    object = row?.deleteMarker ? undefined : row;
    tags = () => row?.meta.tags;
    if (object === undefined) {
      missingKey(ctx, access, principal, action, key);
      return;
    }
  } else if (rule.action !== 's3:PutObject') {
    object = storage.objectAccess(b.name, key, wellFormed(ctx, versionId));
    tags = () => storage.headObject(b.name, key, wellFormed(ctx, versionId))?.meta.tags;
  }
  const seesTags = object !== undefined && !NO_EXISTING_TAGS.has(action);
  const conditionKeys = lazyKeys(ctx, {}, () => Object.assign(seesTags ? existingTagKeys(tags()) : {}, requestKeys));
  let uploadInitiatorAccountId: string | undefined;
  if (operation === 'AbortMultipartUpload' || operation === 'ListParts') {
    const upload = storage.getUpload(b.name, key, ctx.query.get('uploadId') ?? '');
    if (upload !== undefined) uploadInitiatorAccountId = ctx.services.usersById.get(upload.owner)?.accountId;
  }
  mustAllow(ctx, access, { principal, action, key, object, conditionKeys, ...(uploadInitiatorAccountId === undefined ? {} : { uploadInitiatorAccountId }) });
  const extra = EXTRA_ACTIONS[operation];
  if (extra !== undefined) {
    const extraAction = versionId === undefined ? extra : VERSION_ACTIONS[extra] ?? extra;
    mustAllow(ctx, access, { principal, action: extraAction, key, object, conditionKeys });
  }
  if (OBJECT_WRITES_WITH_ACL.has(operation) && hasAclHeaders(ctx)) {
    // The ACL is set by the writer on the object it creates (ownership passes to the bucket owner
    // after, §6 R6.4): the writer's account owns it for this check; an anonymous writer's object
    // is the bucket owner's. UNVERIFIED(S3).
    const owned: ObjectAccess = { owner: ctx.auth.user?.id ?? b.owner, acl: 'private' };
    mustAllow(ctx, access, { principal, action: 's3:PutObjectAcl', key, object: owned, conditionKeys });
  }
  if (operation === 'CopyObject' || operation === 'UploadPartCopy') checkCopySource(ctx, principal);
}
