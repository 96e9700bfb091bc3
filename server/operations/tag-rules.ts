/**
 * Tag rules (docs/spec/bucket-config.md §B1.3–§B1.5): limits, characters, the `aws:` prefix,
 * duplicate keys, and the `x-amz-tagging` header as a URL query string.
 */
import type { Tag } from '../../storage';
import { S3Error } from '../errors';
import { H } from '../headers';

export const MAX_OBJECT_TAGS = 10;
export const MAX_BUCKET_TAGS = 50;
const MAX_KEY_CHARS = 128;
const MAX_VALUE_CHARS = 256;
/** Letters, digits, whitespace and `+ - = . _ : / @` (§B1.3). */
const ALLOWED = /^[\p{L}\p{M}\p{N}\p{Z}\s+\-=._:/@]*$/u;

const chars = (s: string) => [...s].length;

const headerError = (value: string) => new S3Error('InvalidArgument',
  "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
  { ArgumentName: H.amzTagging, ArgumentValue: value });

/** Validates a tag set for a bucket or an object; InvalidTag (400) naming the offending tag. */
export function validateTags(tags: Tag[], scope: 'bucket' | 'object'): void {
  const max = scope === 'bucket' ? MAX_BUCKET_TAGS : MAX_OBJECT_TAGS;
  // UNVERIFIED(S3): the count messages (§B1.4).
  if (tags.length > max) {
    throw new S3Error('InvalidTag', scope === 'bucket' ? `Bucket tag count cannot be greater than ${max}` : `Object tags cannot be greater than ${max}`);
  }
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (seen.has(key)) throw new S3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
    if (key.startsWith('aws:')) {
      throw new S3Error('InvalidTag', scope === 'bucket' ? 'System tags cannot be added/updated by requester' : 'Your TagKey cannot be prefixed with aws:', { TagKey: key });
    }
    if (key === '' || chars(key) > MAX_KEY_CHARS || !ALLOWED.test(key)) throw new S3Error('InvalidTag', 'The TagKey you have provided is invalid', { TagKey: key });
    if (chars(value) > MAX_VALUE_CHARS || !ALLOWED.test(value)) throw new S3Error('InvalidTag', 'The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
  }
}

/**
 * `x-amz-tagging: tag1=v1&tag2=&tag3` (§B1.5): a URL query string; empty segments are skipped, a
 * name without `=` has an empty value. A repeated name or a character a tag cannot hold:
 * InvalidArgument naming the header.
 */
export function parseTaggingHeader(value: string): Tag[] {
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (const segment of value.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    let key: string;
    let tagValue: string;
    try {
      key = decodeURIComponent((eq < 0 ? segment : segment.slice(0, eq)).replace(/\+/g, ' '));
      tagValue = eq < 0 ? '' : decodeURIComponent(segment.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      throw headerError(value);
    }
    if (seen.has(key) || !ALLOWED.test(key) || !ALLOWED.test(tagValue)) throw headerError(value);
    seen.add(key);
    tags.push({ key, value: tagValue });
  }
  validateTags(tags, 'object');
  return tags;
}
