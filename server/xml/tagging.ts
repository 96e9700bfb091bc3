/**
 * The `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` document of
 * Put/GetBucketTagging, Put/GetObjectTagging and the POST Object `tagging` field
 * (docs/spec/bucket-config.md §B1). Structure only: the tag rules are server/operations/tag-rules.ts.
 */
import type { Tag } from '../../storage';
import { S3Error } from '../errors';
import { buildXml, list, parseXml, text, type XmlNode } from './xml';

/** The tags of a Tagging document, in order. A Tag without Key or Value, or another root: MalformedXML. */
export function tagsFromXml(body: Buffer | string): Tag[] {
  const doc = parseXml(body, 1024 * 1024, { preserveWhitespace: true });
  const root = doc.Tagging;
  if (root === undefined) throw new S3Error('MalformedXML');
  const set = typeof root === 'object' && !Array.isArray(root) ? root.TagSet : undefined;
  if (set === undefined) return [];
  return list(set, 'Tag').map((tag) => {
    const key = text(tag, 'Key');
    const value = text(tag, 'Value');
    if (key === undefined || value === undefined) throw new S3Error('MalformedXML');
    return { key, value };
  });
}

/** Whether a POST Object `tagging` field is a Tagging document (other XML: no tags; not XML: MalformedXML). */
export function isTaggingDocument(body: string): boolean {
  return parseXml(body).Tagging !== undefined;
}

export function tagsToXml(tags: Tag[]): string {
  const node: XmlNode = { TagSet: { Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) } };
  return buildXml('Tagging', node);
}
