/**
 * POST Object: a browser uploads through an HTML form (AWS S3 API, "POST Object" and
 * "Browser-Based Uploads Using POST (AWS Signature Version 4)").
 *
 *   1. The body must be multipart/form-data (else 412 PreconditionFailed, as S3).
 *   2. The fields before `file` are read (at most 20 KB); those after it are ignored.
 *   3. When `file` starts: the policy signature is checked (`server/auth`), `${filename}` is
 *      substituted, every policy condition is checked, and the signer (or an anonymous form)
 *      must be allowed to write to the bucket.
 *   4. The file streams into storage; `content-length-range` is enforced while it streams
 *      (nothing more is written once the maximum is passed) and again when it ends.
 *   5. The object is committed like PutObject's, and the answer is `success_action_redirect`
 *      (303), or `success_action_status` 200 / 201 (a PostResponse document) / 204 (default).
 *
 * CORS headers are set by the edge before this handler runs, so they are on every outcome.
 */
import { keyAllowed } from '../access/authorize';
import { formConditionKeys } from '../access/condition-keys';
import { checkObjectAclWrite, newObjectOwnerId } from '../access/acl-rules';
import { PassThrough, finished, type Readable } from 'node:stream';
import { isCannedAcl, type BucketInfo, type CannedAcl, type ChecksumAlgorithm, type ChecksumValues, type ObjectMeta, type StagedBlob, type Tag } from '../../storage';
import { checkPostPolicyConditions, contentLengthRange, parsePolicyDocument, verifyPostPolicySignature, type PostPolicy } from '../auth';
import type { User } from '../config';
import type { Handler, S3Context, S3Result } from '../context';
import { S3Error, fromAuthFailure } from '../errors';
import { H, headerValue } from '../headers';
import { declaredChecksums, etagOf, expectedMd5, requestedChecksums, verifyIntegrity } from '../body/integrity';
import { assertKeyLength, metaFromHeaders } from './object-meta';
import { settingsFrom } from './object-settings';
import { validateTags } from './tag-rules';
import { isTaggingDocument, tagsFromXml } from '../xml/tagging';
import { isMultipartFormData, readPostForm } from '../body/post-form';
import { MAX_DRAIN_BYTES, MAX_DRAIN_MS, unreadBodyPlan } from '../http/body-watch';
import { storageCall } from '../storage-errors';
import { buildXml } from '../xml/xml';
import { MAX_PUT_SIZE, checksumHeaders, requireBucket } from './common';
import { newVersionHeader } from './version-target';

/** Fields whose value is never subject to `${filename}` (the signed policy and the signature). */
const SIGNATURE_FIELDS = new Set(['policy', 'x-amz-signature', 'signature', 'awsaccesskeyid', 'x-amz-credential']);

/** What the form asks for, checked before any byte of the file is stored. */
interface UploadPlan {
  key: string;
  user: User | undefined;
  policy: PostPolicy | undefined;
  /** The fields as the policy sees them: lower-case names, `${filename}` substituted, `bucket`. */
  conditionFields: Record<string, string>;
  acl: CannedAcl;
  meta: ObjectMeta;
  md5: Buffer | undefined;
  algorithms: ChecksumAlgorithm[];
  declared: ChecksumValues;
}

/** "Bucket POST must contain a field named 'key'." (verified wording, uppy#4449; note the two spaces). */
function missingKey(): S3Error {
  return new S3Error('InvalidArgument', "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", {
    ArgumentName: 'key',
    ArgumentValue: '',
  });
}

/**
 * `--auth permissive`: a wrong signature or an unknown access key acts as the first user, but
 * the policy is still read and enforced (expiration, conditions, content-length-range).
 */
function permissivePolicy(fields: Map<string, string>): PostPolicy {
  const policy = parsePolicyDocument(fields.get('policy') ?? '');
  if ('ok' in policy) throw fromAuthFailure(policy);
  if (Date.now() > policy.expiration.getTime()) throw new S3Error('AccessDenied', 'Invalid according to Policy: Policy expired.');
  return policy;
}

/**
 * The `tagging` field: a Tagging document gives the tags, other XML none, anything else is
 * MalformedXML (docs/spec/bucket-config.md §B1.6).
 */
function formTags(field: string | undefined): { tags?: Tag[] } {
  if (field === undefined || !isTaggingDocument(field)) return {};
  const tags = tagsFromXml(field);
  validateTags(tags, 'object');
  return tags.length > 0 ? { tags } : {};
}

/** Step 3: who signed, which key, and whether the policy and the bucket's ACL allow it. */
function planUpload(ctx: S3Context, bucket: BucketInfo, raw: Record<string, string>, filename: string | undefined): UploadPlan {
  const { config } = ctx.services;
  const fields = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    const lower = name.toLowerCase();
    if (fields.has(lower)) continue;
    // "The variable ${filename} is automatically replaced with the name of the file provided by
    // the user and is recognized by all form fields." Without a file name it stays as written.
    const substitute = filename !== undefined && filename !== '' && !SIGNATURE_FIELDS.has(lower);
    fields.set(lower, substitute ? value.replaceAll('${filename}', filename) : value);
  }

  let user = ctx.auth.user;
  let policy: PostPolicy | undefined;
  const verified = verifyPostPolicySignature(raw, new Date(), (id) => config.users.find((u) => u.accessKeyId === id)?.secretAccessKey);
  if (verified?.ok === true) {
    policy = verified.policy;
    user = config.users.find((u) => u.accessKeyId === verified.accessKeyId);
  } else if (verified !== undefined) {
    const forgivable = verified.code === 'SignatureDoesNotMatch' || verified.code === 'InvalidAccessKeyId';
    if (!(config.authMode === 'permissive' && forgivable)) throw fromAuthFailure(verified);
    policy = permissivePolicy(fields);
    user = config.users[0];
  }
  // UNVERIFIED(S3): a form without a policy but with an Authorization header acts as its signer.
  ctx.auth = policy ? { user, mode: 'post-policy' } : ctx.auth;

  const key = fields.get('key');
  if (key === undefined || key === '') throw missingKey();
  // UNVERIFIED(S3): the conditions see the key after `${filename}` substitution.
  const conditionFields: Record<string, string> = { ...Object.fromEntries(fields), bucket: bucket.name };
  if (policy) {
    const check = checkPostPolicyConditions(policy, conditionFields);
    if (!check.ok) throw fromAuthFailure(check);
  }
  // s3:PutObject on the key, as the form's signer (docs/spec/access.md §8 R8.3): policy, ACL, owner.
  const { tags } = formTags(fields.get('tagging'));
  if (!keyAllowed(ctx, bucket, key, 's3:PutObject', () => formConditionKeys(fields, tags))) throw new S3Error('AccessDenied');

  assertKeyLength(key);
  const sentAcl = fields.get('acl');
  if (bucket.ownership === 'BucketOwnerEnforced') checkObjectAclWrite(bucket, sentAcl, sentAcl === undefined ? undefined : { acl: 'private' });
  const aclField = bucket.ownership === 'BucketOwnerEnforced' ? 'private' : sentAcl ?? 'private';
  // UNVERIFIED(S3): ArgumentName for a bad `acl` field.
  if (!isCannedAcl(aclField)) throw new S3Error('InvalidArgument', undefined, { ArgumentName: 'acl', ArgumentValue: aclField });
  checkObjectAclWrite(bucket, sentAcl, sentAcl === undefined ? undefined : { acl: aclField });
  // The form fields play the part of PutObject's headers (Content-Type, x-amz-meta-*, ...).
  // UNVERIFIED(S3): without a Content-Type field the file part's own type is not used.
  const asHeaders = Object.fromEntries(fields);
  return {
    key,
    user,
    policy,
    conditionFields,
    acl: aclField as CannedAcl,
    meta: { ...metaFromHeaders(asHeaders), ...settingsFrom(ctx.services, bucket, asHeaders, { tags: false }), ...(tags === undefined ? {} : { tags }) },
    md5: expectedMd5(asHeaders),
    algorithms: requestedChecksums(asHeaders),
    declared: declaredChecksums(asHeaders),
  };
}

/**
 * Step 4: the file into storage. Past the policy's maximum, nothing more is written (the
 * staged file is removed) but the part is still read to its end, so the client gets S3's
 * EntityTooLarge with the exact ProposedSize instead of a reset connection.
 */
async function receiveFile(ctx: S3Context, file: Readable, plan: UploadPlan): Promise<StagedBlob> {
  const range = plan.policy ? contentLengthRange(plan.policy) : undefined;
  const sink = new PassThrough();
  let size = 0;
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    file.resume();
  };
  const staging = storageCall(ctx, () => ctx.services.storage.stage(sink, { checksums: plan.algorithms, maxSize: MAX_PUT_SIZE, inline: true }));
  staging.catch(stop);
  const fileRead = new Promise<void>((resolve, reject) => {
    file.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (stopped) return;
      if (range && size > range.max) {
        stop();
        sink.destroy(new Error('content-length-range exceeded'));
        return;
      }
      if (!sink.write(chunk)) {
        file.pause();
        sink.once('drain', () => stopped || file.resume());
      }
    });
    // `finished` also reports a file the parser had already failed before we got here.
    finished(file, (err) => {
      if (err) {
        stop();
        sink.destroy(err);
        reject(new S3Error('MalformedPOSTRequest'));
        return;
      }
      if (!stopped) sink.end();
      resolve();
    });
  });
  const [read, stagedResult] = await Promise.allSettled([fileRead, staging]);
  const staged = stagedResult.status === 'fulfilled' ? stagedResult.value : undefined;
  const fail = async (err: unknown): Promise<never> => {
    if (staged) await ctx.services.storage.discard(staged);
    throw err;
  };
  if (read.status === 'rejected') return fail(read.reason);
  if (plan.policy) {
    // EntityTooLarge / EntityTooSmall with ProposedSize and the allowed bound.
    const sized = checkPostPolicyConditions(plan.policy, plan.conditionFields, size);
    if (!sized.ok) return fail(fromAuthFailure(sized));
  }
  if (stagedResult.status === 'rejected') throw stagedResult.reason;
  return stagedResult.value;
}

/** The object's URL, as S3 puts it in `Location` (the key fully encoded, `/` included). */
function objectLocation(ctx: S3Context, bucket: string, key: string): string {
  const host = headerValue(ctx.headers, H.host) ?? 'localhost';
  const path = ctx.address.style === 'virtual' ? `/${encodeURIComponent(key)}` : `/${bucket}/${encodeURIComponent(key)}`;
  // DEVIATION(S3): S3 answers with https URLs; crossbucket serves plain http.
  return `http://${host}${path}`;
}

/**
 * `success_action_redirect` with `bucket`, `key` and `etag` appended as query parameters; an
 * unusable URL is ignored ("If Amazon S3 cannot interpret the URL, it acts as if the field is
 * not present"). UNVERIFIED(S3): which schemes count as interpretable (here http and https).
 */
export function redirectTarget(url: string, bucket: string, key: string, etag: string): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
  const added = `bucket=${encodeURIComponent(bucket)}&key=${encodeURIComponent(key)}&etag=${encodeURIComponent(etag)}`;
  const search = target.search === '' || target.search === '?' ? '' : target.search.slice(1);
  target.search = search === '' ? added : `${search}&${added}`;
  return target.href;
}

/** Step 5: the answer the form asked for. */
function successResult(ctx: S3Context, bucket: string, fields: Record<string, string>, key: string, etag: string, checksums: ChecksumValues): S3Result {
  const location = objectLocation(ctx, bucket, key);
  const headers = { [H.etag]: etag, [H.location]: location, ...checksumHeaders(checksums) };
  // UNVERIFIED(S3): the legacy `redirect` field answers like success_action_redirect.
  const redirect = fields['success_action_redirect'] ?? fields['redirect'];
  const target = redirect === undefined ? undefined : redirectTarget(redirect, bucket, key, etag);
  if (target !== undefined) return { status: 303, headers: { ...headers, [H.location]: target } };
  switch (fields['success_action_status']) {
    case '200':
      return { status: 200, headers };
    case '201':
      // UNVERIFIED(S3): the document carries no xmlns.
      return { status: 201, headers, body: buildXml('PostResponse', { Location: location, Bucket: bucket, Key: key, ETag: etag }, { xmlns: false }) };
    default:
      // "If the value is not set or if it is set to an invalid value, Amazon S3 returns an empty
      // document with a 204 status code."
      return { status: 204, headers };
  }
}

/** PostObject */
export const postObject: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const contentType = headerValue(ctx.headers, H.contentType);
  if (!isMultipartFormData(contentType)) {
    // verified (a real S3 response quoted in a client's test suite)
    throw new S3Error('PreconditionFailed', undefined, { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' });
  }
  // The fields the signature and policy need (those before `file`) get the body idle time in
  // all and MAX_PRE_FILE_BYTES: an anonymous form to a private bucket cannot hold a connection.
  const form = readPostForm(ctx.body, contentType, { headTimeoutMs: ctx.services.config.bodyIdleTimeoutMs });
  let staged: StagedBlob | undefined;
  const receive = async (): Promise<{ plan: UploadPlan; staged: StagedBlob }> => {
    const { fields, file } = await form.head;
    // verified (react-native-fs#992)
    if (!file) throw new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', { ArgumentName: 'file', ArgumentValue: '0' });
    const plan = planUpload(ctx, bucket, fields, file.filename);
    staged = await receiveFile(ctx, file.stream, plan);
    // The rest of the body (fields after `file` are ignored) must still be well-formed.
    await form.done;
    verifyIntegrity(staged, plan.md5, plan.declared);
    return { plan, staged };
  };
  let received: { plan: UploadPlan; staged: StagedBlob };
  try {
    received = await receive();
  } catch (err) {
    if (staged) await ctx.services.storage.discard(staged);
    // Answer only once the whole request has been read: a browser still sending its body
    // would otherwise see a reset connection instead of the error.
    // Only a small rest is worth waiting for; a large one is left and the answer closes the
    // connection (server/http/body-watch.ts).
    const small = unreadBodyPlan(ctx.body) === 'drain';
    await form.drain(small ? MAX_DRAIN_BYTES : 0, small ? MAX_DRAIN_MS : 0);
    throw err;
  }
  const { plan } = received;
  const info = await storageCall(ctx, () =>
    ctx.services.storage.commitObject(bucket.name, plan.key, received.staged, {
      meta: plan.meta,
      etag: etagOf(received.staged.md5),
      checksums: received.staged.checksums,
      owner: newObjectOwnerId(ctx, bucket, plan.acl),
      acl: plan.acl,
    }),
  );
  const result = successResult(ctx, bucket.name, plan.conditionFields, plan.key, info.etag, info.checksums);
  // docs/spec/versioning.md §4 W2: the new version's id when Enabled.
  result.headers = { ...result.headers, ...newVersionHeader(bucket, info.versionId) };
  return result;
};
