/**
 * PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus
 * (docs/spec/access.md §4, §5 R5.3, R5.8). The document is validated by policy-engine and stored
 * exactly as put; the compiled form is cached per bucket (server/access/policy-cache.ts) and
 * dropped when storage reports the change.
 */
import { isPublicPolicy, parsePolicy, POLICY_TOO_LARGE_MESSAGE, type KnownAccount } from '../../policy-engine';
import type { ServerConfig } from '../config';
import type { Handler } from '../context';
import { S3Error } from '../errors';
import { H } from '../headers';
import { readDocument } from '../body/small-body';
import { policyStatusXml } from '../xml/access-configurations';
import { requireBucket } from './common';

/** What is read of a PutBucketPolicy body; the 20 KB limit (§4 R4.3 step 1) is the engine's. */
const MAX_POLICY_BODY = 1024 * 1024;

/** The configured accounts and their users, so a policy naming an unknown user of one is refused (§4 R4.3 step 7). */
function knownAccounts(config: ServerConfig): KnownAccount[] {
  const accounts = new Map<string, string[]>();
  for (const u of config.users) accounts.set(u.accountId, [...(accounts.get(u.accountId) ?? []), u.userName]);
  return [...accounts].map(([accountId, userNames]) => ({ accountId, userNames }));
}

/** PutBucketPolicy: 204; MalformedPolicy with the engine's message; a public policy under BlockPublicPolicy is 403. */
export const putBucketPolicy: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const body = await readDocument(ctx, { maxBytes: MAX_POLICY_BODY, tooLarge: () => new S3Error('MalformedPolicy', POLICY_TOO_LARGE_MESSAGE) });
  const parsed = parsePolicy(body.toString('utf8'), { bucket: bucket.name, knownAccounts: knownAccounts(ctx.services.config) });
  if (!parsed.ok) throw new S3Error('MalformedPolicy', parsed.error.message);
  // §5 R5.3 (§4 R4.3 step 12): the stored policy is left as it was.
  if (bucket.publicAccessBlock?.blockPublicPolicy === true && isPublicPolicy(parsed.policy)) throw new S3Error('AccessDenied');
  ctx.services.storage.setBucketPolicy(bucket.name, parsed.policy.text);
  return { status: 204 };
};

/** GetBucketPolicy: the document exactly as put (§4 R4.2), or 404 NoSuchBucketPolicy. */
export const getBucketPolicy: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const text = ctx.services.storage.getBucketPolicy(bucket.name);
  if (text === undefined) throw new S3Error('NoSuchBucketPolicy', undefined, { BucketName: bucket.name });
  return { headers: { [H.contentType]: 'application/json' }, body: text };
};

/** DeleteBucketPolicy: 204 with or without a policy (§4 R4.2). */
export const deleteBucketPolicy: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.storage.setBucketPolicy(bucket.name, undefined);
  return { status: 204 };
};

/** GetBucketPolicyStatus: IsPublic by S3's definition, from the policy alone (§5 R5.7, R5.8). */
export const getBucketPolicyStatus: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const state = ctx.services.policies.state(bucket.name);
  if (state === undefined) throw new S3Error('NoSuchBucketPolicy', undefined, { BucketName: bucket.name });
  return { body: policyStatusXml(state.isPublic) };
};
