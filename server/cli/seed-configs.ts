/**
 * Bucket configurations in a seed file, in aws-cli's JSON (as for put-bucket-tagging,
 * put-bucket-lifecycle-configuration, put-bucket-encryption): turned into the S3 XML and checked
 * by the same code as the REST calls (docs/spec/bucket-config.md §B1–§B3), so a seed accepts
 * exactly what PUT would.
 */
import type { EncryptionSetting, LifecycleConfiguration, Tag } from '../../storage';
import { isS3Error } from '../errors';
import { validateTags } from '../operations/tag-rules';
import { encryptionFromXml } from '../xml/bucket-settings';
import { lifecycleFromXml } from '../xml/lifecycle-configuration';
import { tagsFromXml } from '../xml/tagging';
import { buildXml, type XmlNode, type XmlValue } from '../xml/xml';

/** aws-cli's plural list members → the repeated XML element. */
const LISTS: Record<string, string> = {
  Rules: 'Rule', Transitions: 'Transition', NoncurrentVersionTransitions: 'NoncurrentVersionTransition', Tags: 'Tag',
};

function toXml(json: unknown): XmlValue {
  if (json === null || json === undefined) return undefined;
  if (typeof json === 'string' || typeof json === 'number' || typeof json === 'boolean') return String(json);
  if (Array.isArray(json)) return json.map(toXml);
  const out: XmlNode = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === 'TagSet' && Array.isArray(value)) out.TagSet = { Tag: value.map(toXml) };
    else out[LISTS[name] ?? name] = toXml(value);
  }
  return out;
}

/** A refusal of the REST validation, as a message for the seed's error. */
function checked<T>(fn: () => T, fail: (message: string) => never): T {
  try {
    return fn();
  } catch (err) {
    if (isS3Error(err)) return fail(`${err.message} [${err.code}]`);
    throw err;
  }
}

const document = (root: string, json: unknown) => buildXml(root, (toXml(json) ?? {}) as XmlNode, { xmlns: false });

/** `"tags": {"TagSet": [{"Key": "env", "Value": "dev"}]}` */
export function seedTags(json: unknown, fail: (message: string) => never): Tag[] {
  return checked(() => {
    const tags = tagsFromXml(document('Tagging', json));
    validateTags(tags, 'bucket');
    return tags;
  }, fail);
}

/** `"lifecycle": {"Rules": [{"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}}]}` */
export function seedLifecycle(json: unknown, fail: (message: string) => never): LifecycleConfiguration {
  return checked(() => lifecycleFromXml(Buffer.from(document('LifecycleConfiguration', json)), 'all_storage_classes_128K'), fail);
}

/** `"encryption": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}` */
export function seedEncryption(json: unknown, fail: (message: string) => never): EncryptionSetting {
  return checked(() => encryptionFromXml(Buffer.from(document('ServerSideEncryptionConfiguration', json))), fail);
}
