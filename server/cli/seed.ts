/**
 * The seed file: buckets declared up front, applied at start-up and again on every restart.
 *
 *   {"buckets": [{"name": "site",
 *                 "policy": {"Version": "2012-10-17", "Statement": [...]},   // as put-bucket-policy takes it
 *                 "publicAccessBlock": {"BlockPublicAcls": true, ...},      // or null: removed
 *                 "objectOwnership": "BucketOwnerEnforced",                // or BucketOwnerPreferred, ObjectWriter
 *                 "acl": "private",
 *                 "cors": {"CORSRules": [...]},      // aws-cli's JSON, as for put-bucket-cors
 *                 "upload": "./public",              // a folder, relative to the seed file
 *                 "tags": {"TagSet": [...]}, "lifecycle": {"Rules": [...]},
 *                 "encryption": {"Rules": [...]},    // aws-cli's JSON (server/cli/seed-configs.ts)
 *                 "website": {"IndexDocument": {"Suffix": "index.html"}}}]}  // as for put-bucket-website
 *
 * `"versioning": "Enabled" | "Suspended"` and `"objectLock": {"mode": "GOVERNANCE", "days": 1}` (or
 * `{}`: lock without a default retention; implies versioning Enabled) configure versioning and
 * Object Lock (docs/spec/versioning.md §2, §9).
 *
 * A new bucket gets S3's defaults (all four Block Public Access settings on, BucketOwnerEnforced)
 * and is then set up as a user would on S3 (docs/access.md): a public `acl` makes it ObjectWriter
 * with the public access block removed, a public `policy` removes the public access block, unless
 * the seed says otherwise (server/cli/seed-access.ts). A bucket that exists is kept. `acl`, `cors`,
 * `policy`, `publicAccessBlock`, `objectOwnership`, `tags`, `lifecycle`, `encryption`, `website`,
 * `versioning` and `objectLock`, when given, are set again on every start (`null` removes a
 * configuration); left out, the bucket keeps what it has. Files are
 * uploaded again only when their MD5 or Content-Type changed. The whole file is checked before
 * anything is written, and a mistake names the file, the bucket and the field.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { rawRulesFromAwsJson, validateCorsRules, type AwsCorsJson, type CorsConfiguration, type RawCorsRule } from '../../cors-engine';
import {
  CANNED_ACLS, isCannedAcl, type CannedAcl, type DefaultRetention, type EncryptionSetting, type LifecycleConfiguration,
  type ObjectLockConfig, type ObjectOwnership, type PublicAccessBlock, type Storage, type Tag, type VersioningStatus,
} from '../../storage';
import { ALL_BLOCKED } from '../access/access-decision';
import { BPA_FIELDS, impliedAccess, planAccess } from './seed-access';
import { isValidBucketName } from '../operations/bucket-names';
import { assertKnownMembers, ConfigError, isPlainObject, readJsonFile } from './config-file';
import type { User } from '../config';
import { uploadFolder, type UploadReport } from './seed-upload';
import { seedEncryption, seedLifecycle, seedTags } from './seed-configs';
import { websiteFromJson } from './seed-website';
import type { WebsiteConfiguration } from '../../storage';

/** A seed as written in the file (or passed to `start({ seed })`). */
export interface SeedJson {
  buckets: SeedBucketJson[];
}

export interface SeedBucketJson {
  name: string;
  acl?: CannedAcl;
  /** A bucket policy (the JSON document, or its text); null removes it. */
  policy?: unknown;
  /** aws-cli JSON, `{"BlockPublicAcls": true, ...}` (omitted settings false); null removes it. */
  publicAccessBlock?: Partial<Record<(typeof BPA_FIELDS)[number], boolean>> | null;
  objectOwnership?: ObjectOwnership | null;
  /** aws-cli JSON, `{"CORSRules": [...]}`; null removes the bucket's configuration. */
  cors?: AwsCorsJson | null;
  /** aws-cli JSON as for put-bucket-website (the website user guide); null removes the configuration. */
  website?: unknown;
  /** A folder whose files are uploaded, keys being their paths relative to it. */
  upload?: string;
  /** aws-cli JSON for put-bucket-tagging, put-bucket-lifecycle-configuration, put-bucket-encryption; null removes. */
  tags?: unknown;
  lifecycle?: unknown;
  encryption?: unknown;
  versioning?: VersioningStatus;
  /** `{}`, or a default retention: a mode with days or years. */
  objectLock?: { mode?: string; days?: number; years?: number };
}

/** A checked seed, ready to apply. */
export interface SeedPlan {
  label: string;
  buckets: PlannedBucket[];
}

export interface PlannedBucket {
  name: string;
  acl?: CannedAcl;
  /** The policy text (validated), or null: removed. */
  policy?: string | null;
  publicAccessBlock?: PublicAccessBlock | null;
  objectOwnership?: ObjectOwnership | null;
  cors?: CorsConfiguration | null;
  website?: WebsiteConfiguration | null;
  /** Absolute folder path. */
  upload?: string;
  tags?: Tag[] | null;
  lifecycle?: LifecycleConfiguration | null;
  encryption?: EncryptionSetting | null;
  versioning?: VersioningStatus;
  objectLock?: ObjectLockConfig;
}

export interface SeedReport {
  label: string;
  buckets: Array<{ name: string; created: boolean } & UploadReport>;
}

const BUCKET_MEMBERS = ['name', 'acl', 'cors', 'upload', 'tags', 'lifecycle', 'encryption', 'website', 'versioning', 'objectLock', 'policy', 'publicAccessBlock', 'objectOwnership'];
const CORS_LISTS = ['AllowedOrigins', 'AllowedMethods', 'AllowedHeaders', 'ExposeHeaders'] as const;

/** Reads and checks a seed file; uploads are relative to the file's folder. */
export function readSeedFile(path: string): SeedPlan {
  return planSeed(readJsonFile(path), path, dirname(resolve(path)));
}

/** Checks a parsed seed. `label` starts every error message; `baseDir` anchors `upload` folders. */
export function planSeed(json: unknown, label: string, baseDir: string): SeedPlan {
  const fail = (path: string, message: string): never => { throw new ConfigError(`${label}: ${path}: ${message}`); };
  if (!isPlainObject(json)) return fail('(top level)', 'expected an object {"buckets": [...]}');
  try {
    assertKnownMembers(json, ['buckets', '$schema'], '');
  } catch (err) {
    return fail('(top level)', (err as Error).message);
  }
  const list = json.buckets;
  if (!Array.isArray(list)) return fail('buckets', 'expected an array of buckets [{"name": "...", ...}]');
  const buckets: PlannedBucket[] = [];
  list.forEach((entry: unknown, i) => {
    const name = isPlainObject(entry) && typeof entry.name === 'string' ? entry.name : undefined;
    const at = `buckets[${i}]${name === undefined ? '' : ` (${JSON.stringify(name)})`}`;
    if (!isPlainObject(entry)) return fail(at, 'expected an object {"name": "...", "acl": "...", "cors": {...}, "upload": "..."}');
    try {
      assertKnownMembers(entry, BUCKET_MEMBERS, '');
    } catch (err) {
      return fail(at, (err as Error).message);
    }
    if (name === undefined) return fail(`${at}.name`, 'required: the bucket name (a string)');
    if (!isValidBucketName(name)) {
      return fail(`${at}.name`, `"${name}" is not a valid bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit`);
    }
    const twin = buckets.findIndex((b) => b.name === name);
    if (twin !== -1) return fail(`${at}.name`, `"${name}" is already declared by buckets[${twin}]`);
    const bucket: PlannedBucket = { name };
    if (entry.acl !== undefined) {
      if (typeof entry.acl !== 'string' || !isCannedAcl(entry.acl)) {
        return fail(`${at}.acl`, `${JSON.stringify(entry.acl)} is not a canned ACL: ${CANNED_ACLS.join(', ')}`);
      }
      bucket.acl = entry.acl as CannedAcl;
    }
    planAccess(entry, bucket, (path, message) => fail(`${at}${path}`, message));
    if (entry.cors === null) bucket.cors = null;
    else if (entry.cors !== undefined) bucket.cors = corsFromJson(entry.cors, (path, message) => fail(`${at}.cors${path}`, message));
    if (entry.tags !== undefined) bucket.tags = entry.tags === null ? null : seedTags(entry.tags, (m) => fail(`${at}.tags`, m));
    if (entry.lifecycle !== undefined) bucket.lifecycle = entry.lifecycle === null ? null : seedLifecycle(entry.lifecycle, (m) => fail(`${at}.lifecycle`, m));
    if (entry.encryption !== undefined) bucket.encryption = entry.encryption === null ? null : seedEncryption(entry.encryption, (m) => fail(`${at}.encryption`, m));
    if (entry.website === null) bucket.website = null;
    else if (entry.website !== undefined) bucket.website = websiteFromJson(entry.website, (path, message) => fail(`${at}.website${path}`, message));
    if (entry.versioning !== undefined) {
      if (entry.versioning !== 'Enabled' && entry.versioning !== 'Suspended') return fail(`${at}.versioning`, `${JSON.stringify(entry.versioning)}: expected "Enabled" or "Suspended"`);
      bucket.versioning = entry.versioning;
    }
    if (entry.objectLock !== undefined) {
      bucket.objectLock = objectLockFromJson(entry.objectLock, (path, message) => fail(`${at}.objectLock${path}`, message));
      if (bucket.versioning === 'Suspended') return fail(`${at}.versioning`, 'a bucket with Object Lock is always versioned: "Suspended" is not allowed');
    }
    if (entry.upload !== undefined) {
      if (typeof entry.upload !== 'string' || entry.upload === '') return fail(`${at}.upload`, 'expected a folder path (relative to the seed file)');
      const folder = resolve(baseDir, entry.upload);
      let isDir = false;
      try { isDir = statSync(folder).isDirectory(); } catch { /* reported below */ }
      if (!isDir) return fail(`${at}.upload`, `${entry.upload}: no such folder (looked for ${folder})`);
      bucket.upload = folder;
    }
    buckets.push(bucket);
  });
  return { label, buckets };
}

type Fail = (path: string, message: string) => never;

/** `{}` or `{"mode": "GOVERNANCE" | "COMPLIANCE", "days": n}` / `"years": n` (docs/spec/versioning.md §9 K3). */
function objectLockFromJson(json: unknown, fail: Fail): ObjectLockConfig {
  if (!isPlainObject(json)) return fail('', 'expected an object: {} or {"mode": "GOVERNANCE", "days": 1}');
  try {
    assertKnownMembers(json, ['mode', 'days', 'years'], '');
  } catch (err) {
    return fail('', (err as Error).message);
  }
  const { mode, days, years } = json;
  if (mode === undefined && days === undefined && years === undefined) return { enabled: true };
  if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') return fail('.mode', `${JSON.stringify(mode)}: expected "GOVERNANCE" or "COMPLIANCE"`);
  if ((days === undefined) === (years === undefined)) return fail('', 'give exactly one of "days" and "years"');
  const period = days ?? years;
  if (typeof period !== 'number' || !Number.isInteger(period) || period <= 0) return fail(days !== undefined ? '.days' : '.years', 'expected a positive whole number');
  const rule: DefaultRetention = { mode };
  if (days !== undefined) rule.days = period;
  else rule.years = period;
  return { enabled: true, rule };
}

/** aws-cli CORS JSON → the stored configuration, or a failure naming the rule and member at fault. */
function corsFromJson(json: unknown, fail: Fail): CorsConfiguration {
  const read = rawRulesFromAwsJson(json);
  if (!read.ok) {
    // The reader's messages start with the path they concern: `CORSRules[0].AllowedMethods must be ...`.
    const m = /^(CORSRules(?:\[\d+\])?(?:\.[A-Za-z]+)?(?:\[\d+\])?) (.*)$/.exec(read.error.message);
    if (m?.[1] !== undefined && m[2] !== undefined) return fail(`.${m[1]}`, m[2]);
    return fail('', read.error.message);
  }
  const result = validateCorsRules(read.raw);
  if (result.ok) return result.config;
  const { code, message } = result.error;
  if (code === 'MalformedXML') {
    // The engine's schema message is generic; say which member is missing.
    if (read.raw.length === 0) return fail('.CORSRules', `at least one rule is required [${code}: ${message}]`);
    for (let i = 0; i < read.raw.length; i++) {
      const rule = read.raw[i] as RawCorsRule;
      if (rule.allowedOrigins.length === 0) return fail(`.CORSRules[${i}].AllowedOrigins`, `required: at least one origin, e.g. ["http://localhost:5173"] [${code}: ${message}]`);
      if (rule.allowedMethods.length === 0) return fail(`.CORSRules[${i}].AllowedMethods`, `required: at least one of GET, PUT, HEAD, POST, DELETE [${code}: ${message}]`);
    }
  }
  return fail(locateCorsError(read.raw, code, message), `${message} [${code}]`);
}

const PROBE: RawCorsRule = { ids: [], allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [], maxAgeSeconds: [] };
const FIELD: Record<(typeof CORS_LISTS)[number], keyof RawCorsRule> = {
  AllowedOrigins: 'allowedOrigins', AllowedMethods: 'allowedMethods', AllowedHeaders: 'allowedHeaders', ExposeHeaders: 'exposeHeaders',
};

/**
 * Finds which rule, member and value the engine refused, by asking the engine again about each
 * value alone: the message stays the engine's, the path is ours.
 */
function locateCorsError(raw: RawCorsRule[], code: string, message: string): string {
  const same = (rules: RawCorsRule[]) => {
    const r = validateCorsRules(rules);
    return !r.ok && r.error.code === code && r.error.message === message;
  };
  if (raw.length === 0 || raw.length > 100) return '.CORSRules';
  for (let i = 0; i < raw.length; i++) {
    const rule = raw[i] as RawCorsRule;
    if (!same([rule])) continue;
    for (const member of CORS_LISTS) {
      const values = rule[FIELD[member]];
      for (let j = 0; j < values.length; j++) {
        if (same([{ ...PROBE, [FIELD[member]]: [values[j]] }])) return `.CORSRules[${i}].${member}[${j}]`;
      }
    }
    if (rule.ids.length > 0 && same([{ ...PROBE, ids: rule.ids }])) return `.CORSRules[${i}].ID`;
    return `.CORSRules[${i}]`;
  }
  return '.CORSRules';
}

export interface ApplyTarget {
  storage: Storage;
  /** Owner of the buckets the seed creates, and of the files it uploads. */
  owner: User;
  region: string;
}

/** Applies a checked seed: creates what is missing, sets declared ACLs and CORS, syncs folders. */
export async function applySeed(plan: SeedPlan, target: ApplyTarget): Promise<SeedReport> {
  const { storage } = target;
  const report: SeedReport = { label: plan.label, buckets: [] };
  for (const b of plan.buckets) {
    const existing = storage.getBucket(b.name);
    const created = existing === undefined;
    const implied = impliedAccess(b, created ? {} : { ownership: existing.ownership });
    if (created) {
      storage.createBucket({
        name: b.name, createdAt: new Date(), owner: target.owner.id, acl: b.acl ?? 'private', region: target.region,
        ...(b.publicAccessBlock === null || implied.removeBlock ? {} : { publicAccessBlock: b.publicAccessBlock ?? { ...ALL_BLOCKED } }),
        ...(b.objectOwnership === null ? {} : { ownership: b.objectOwnership ?? implied.ownership ?? 'BucketOwnerEnforced' }),
      });
    } else {
      if (b.objectOwnership !== undefined) storage.setObjectOwnership(b.name, b.objectOwnership ?? undefined);
      else if (implied.ownership !== undefined) storage.setObjectOwnership(b.name, implied.ownership);
      if (b.publicAccessBlock !== undefined) storage.setPublicAccessBlock(b.name, b.publicAccessBlock ?? undefined);
      else if (implied.removeBlock) storage.setPublicAccessBlock(b.name, undefined);
      if (b.acl !== undefined && existing.acl !== b.acl) storage.setBucketAcl(b.name, b.acl);
    }
    // Object Lock needs versioning Enabled first, as PutObjectLockConfiguration does.
    const versioning = b.objectLock !== undefined ? 'Enabled' : b.versioning;
    if (versioning !== undefined && storage.getBucket(b.name)?.versioning !== versioning) {
      if (versioning === 'Suspended' && storage.getBucket(b.name)?.objectLock) {
        throw new ConfigError(`${plan.label}: bucket "${b.name}": has Object Lock, so its versioning cannot be "Suspended"`);
      }
      storage.setBucketVersioning(b.name, versioning);
    }
    if (b.objectLock !== undefined) storage.setBucketObjectLock(b.name, b.objectLock);
    if (b.policy !== undefined) storage.setBucketPolicy(b.name, b.policy ?? undefined);
    if (b.cors !== undefined) {
      storage.setBucketCors(b.name, b.cors === null ? undefined : b.cors);
    }
    if (b.tags !== undefined) storage.settings.set(b.name, 'tagging', b.tags === null || b.tags.length === 0 ? undefined : b.tags);
    if (b.lifecycle !== undefined) storage.settings.set(b.name, 'lifecycle', b.lifecycle ?? undefined);
    if (b.encryption !== undefined) storage.settings.set(b.name, 'encryption', b.encryption ?? undefined);
    if (b.website !== undefined) storage.settings.set(b.name, 'website', b.website ?? undefined);
    const bucket = storage.getBucket(b.name);
    let uploads: UploadReport = { uploaded: 0, unchanged: 0 };
    if (b.upload !== undefined && bucket) {
      uploads = await uploadFolder(storage, bucket, b.upload, target.owner.id, `${plan.label}: bucket "${b.name}"`);
    }
    report.buckets.push({ name: b.name, created, ...uploads });
  }
  return report;
}

/** One line for the start-up banner: `crossbucket.json: site (created, 3 uploaded, 0 unchanged)`. */
export function describeSeed(report: SeedReport): string {
  const parts = report.buckets.map((b) => `${b.name} (${b.created ? 'created' : 'kept'}, ${b.uploaded} uploaded, ${b.unchanged} unchanged)`);
  return `${report.label}: ${parts.length === 0 ? 'no buckets' : parts.join(', ')}`;
}
