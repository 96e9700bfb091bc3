/**
 * Helpers for the website tests (docs/spec/website.md): an app over fresh storage, signed REST
 * calls to set buckets up, and anonymous requests to the website endpoint by Host.
 */
import { injectApp } from '../helpers/server';
import { createAclBucket, md5Base64, s3 } from '../helpers/s3-inject';

export const PORT = 9000;
export const websiteHostOf = (bucket: string, region?: string) => `${bucket}.s3-website${region === undefined ? '' : `-${region}`}.localhost:${PORT}`;
export const W = (bucket: string) => `http://${websiteHostOf(bucket)}`;

export type App = ReturnType<typeof injectApp>;

export interface WebsiteXml {
  index?: string;
  error?: string;
  redirectAll?: { host: string; protocol?: string };
  rules?: string[];
}

export function routingRule(r: { prefix?: string; code?: string; protocol?: string; host?: string; rkpw?: string; rkw?: string; redirectCode?: string }): string {
  const condition = r.prefix === undefined && r.code === undefined ? '' : `<Condition>${r.prefix === undefined ? '' : `<KeyPrefixEquals>${r.prefix}</KeyPrefixEquals>`}${r.code === undefined ? '' : `<HttpErrorCodeReturnedEquals>${r.code}</HttpErrorCodeReturnedEquals>`}</Condition>`;
  const parts = [
    r.protocol === undefined ? '' : `<Protocol>${r.protocol}</Protocol>`,
    r.host === undefined ? '' : `<HostName>${r.host}</HostName>`,
    r.rkpw === undefined ? '' : `<ReplaceKeyPrefixWith>${r.rkpw}</ReplaceKeyPrefixWith>`,
    r.rkw === undefined ? '' : `<ReplaceKeyWith>${r.rkw}</ReplaceKeyWith>`,
    r.redirectCode === undefined ? '' : `<HttpRedirectCode>${r.redirectCode}</HttpRedirectCode>`,
  ];
  return `<RoutingRule>${condition}<Redirect>${parts.join('')}</Redirect></RoutingRule>`;
}

export function websiteXml(w: WebsiteXml): string {
  const all = w.redirectAll === undefined ? '' : `<RedirectAllRequestsTo><HostName>${w.redirectAll.host}</HostName>${w.redirectAll.protocol === undefined ? '' : `<Protocol>${w.redirectAll.protocol}</Protocol>`}</RedirectAllRequestsTo>`;
  const index = w.index === undefined ? '' : `<IndexDocument><Suffix>${w.index}</Suffix></IndexDocument>`;
  const error = w.error === undefined ? '' : `<ErrorDocument><Key>${w.error}</Key></ErrorDocument>`;
  const rules = w.rules === undefined ? '' : `<RoutingRules>${w.rules.join('')}</RoutingRules>`;
  return `<WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${all}${index}${error}${rules}</WebsiteConfiguration>`;
}

export function websiteApp(config: Parameters<typeof injectApp>[0] = {}) {
  const a = injectApp(config);
  const app = a.app;
  return {
    ...a,
    /**
     * A bucket its anonymous visitors may read (docs/spec/website.md §5 default: `public-read`).
     * The one place that makes a bucket public for these tests: ACLs on, made as on S3 since 2023
     * (ObjectWriter, public access block removed, then the ACL: docs/access.md).
     */
    async bucket(name: string, acl = 'public-read') {
      const res = await createAclBucket(app, name, acl);
      if (res.statusCode !== 200) throw new Error(`CreateBucket ${name}: ${res.statusCode} ${res.body}`);
    },
    async put(bucket: string, key: string, body: string, headers: Record<string, string> = {}) {
      const res = await s3(app, { method: 'PUT', bucket, key, body, headers: { 'x-amz-acl': 'public-read', ...headers } });
      if (res.statusCode !== 200) throw new Error(`PutObject ${key}: ${res.statusCode} ${res.body}`);
      return res.headers.etag as string;
    },
    putWebsiteRaw(bucket: string, xml: string) {
      return s3(app, { method: 'PUT', bucket, query: { website: '' }, body: xml, headers: { 'content-md5': md5Base64(xml) } });
    },
    async website(bucket: string, w: WebsiteXml) {
      const xml = websiteXml(w);
      const res = await s3(app, { method: 'PUT', bucket, query: { website: '' }, body: xml, headers: { 'content-md5': md5Base64(xml) } });
      if (res.statusCode !== 200) throw new Error(`PutBucketWebsite ${bucket}: ${res.statusCode} ${res.body}`);
    },
    async cors(bucket: string, xml: string) {
      const res = await s3(app, { method: 'PUT', bucket, query: { cors: '' }, body: xml, headers: { 'content-md5': md5Base64(xml) } });
      if (res.statusCode !== 200) throw new Error(`PutBucketCors ${bucket}: ${res.statusCode} ${res.body}`);
    },
    /** An anonymous request to the website endpoint (no signature). */
    web(method: string, bucket: string, path: string, headers: Record<string, string> = {}, region?: string) {
      return app.inject({ method: method as 'GET', url: path, headers: { host: websiteHostOf(bucket, region), ...headers } });
    },
  };
}

/** The `<li>` items of a website error page, as [name, value]. */
export function pageItems(html: string): Array<[string, string]> {
  return [...html.matchAll(/<li>([^:<]+): ([^<]*)<\/li>/g)].map((m) => [m[1] ?? '', m[2] ?? '']);
}
