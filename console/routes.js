// @ts-check
/** The console's addresses (hash routes), in one place. */
import { uriEncode } from './sigv4.js';

/**
 * A bucket's Objects tab, at a prefix; `versions` lists every version and delete marker.
 * @param {string} bucket @param {string} [prefix] @param {boolean} [versions]
 */
export function bucketHref(bucket, prefix, versions) {
  const query = [prefix ? `prefix=${uriEncode(prefix)}` : '', versions ? 'versions=1' : ''].filter((q) => q !== '').join('&');
  return `#/buckets/${uriEncode(bucket)}${query === '' ? '' : `?${query}`}`;
}

/** An object's details; with a versionId, that version's. @param {string} bucket @param {string} key @param {string} [versionId] */
export const objectHref = (bucket, key, versionId) =>
  `#/buckets/${uriEncode(bucket)}/object?key=${uriEncode(key)}${versionId === undefined ? '' : `&versionId=${uriEncode(versionId)}`}`;

/** @param {string} bucket */
export const corsHref = (bucket) => `#/buckets/${uriEncode(bucket)}/cors`;
