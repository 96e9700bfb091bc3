/**
 * The website endpoint's hosts (docs/spec/website.md §3): `BUCKET.s3-website.BASE[:PORT]` and
 * `BUCKET.s3-website-REGION.BASE[:PORT]`, BASE being `localhost`, `s3.localhost` or a configured
 * base domain. The same server and port answer them; the Host alone selects the website rules.
 * A bucket whose own name ends such a host (`s3-website`, `x.s3-website-eu-west-1`) is reached
 * path style on the REST endpoint.
 */
import type { Address } from '../context';
import { lastAnswerIn } from '../auth/last-answer';

export interface WebsiteHost {
  /** undefined: no bucket label (`s3-website.localhost`). */
  bucket: string | undefined;
  /** The region in `s3-website-REGION`; undefined for `s3-website`. */
  region: string | undefined;
}

const ENDPOINT_LABEL = /^s3-website(?:-([a-z0-9-]+))?$/;

/** The website bucket and region a Host names, or undefined for a REST host (frozen: it may be shared). */
export function websiteHost(host: string | undefined, baseDomains: readonly string[]): WebsiteHost | undefined {
  return host ? siteOfHost(host, baseDomains) : undefined;
}

/** A client sends the same Host request after request: the previous answer, for the same server's base domains. */
const siteOfHost = lastAnswerIn((host: string, baseDomains: readonly string[]) => {
  const site = parseWebsiteHost(host, baseDomains);
  return site === undefined ? undefined : Object.freeze(site);
});

function parseWebsiteHost(host: string, baseDomains: readonly string[]): WebsiteHost | undefined {
  let name = host.toLowerCase();
  if (name.startsWith('[')) return undefined;
  const colon = name.lastIndexOf(':');
  if (colon >= 0) name = name.slice(0, colon);
  name = name.replace(/\.$/, '');
  for (const base of baseDomains) {
    if (!name.endsWith('.' + base)) continue;
    const prefix = name.slice(0, -(base.length + 1));
    const dot = prefix.lastIndexOf('.');
    const label = prefix.slice(dot + 1);
    const m = ENDPOINT_LABEL.exec(label);
    if (!m) return undefined;
    return { bucket: dot < 0 ? undefined : prefix.slice(0, dot), region: m[1] };
  }
  return undefined;
}

/** The address of a website request: the bucket from the Host; the key is the website's own (website-serve.ts). */
export function websiteAddress(url: string, site: WebsiteHost): Address {
  const q = url.indexOf('?');
  const address: Address = {
    style: 'website', rawPath: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? '' : url.slice(q + 1), query: new Map(),
  };
  if (site.bucket !== undefined) address.bucket = site.bucket;
  if (site.region !== undefined) address.websiteRegion = site.region;
  return address;
}
