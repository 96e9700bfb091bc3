/**
 * The website endpoint (docs/spec/website.md §3), step by step: anonymous only (no signature is
 * looked at), GET and HEAD, RedirectAllRequestsTo, routing rules, index documents, the folder
 * 302, website redirect locations, the ErrorDocument, HTML error pages; CORS as on REST.
 * What an anonymous caller may read is decided by the same authorize() as the REST endpoint's
 * GetObject / HeadObject, so ACLs (and bucket policies, where they exist) apply unchanged.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ObjectInfo, WebsiteConfiguration } from '../../storage';
import { authorize } from '../access/authorize';
import type { S3Context, S3Result } from '../context';
import { applyActualCors, preflightDecision } from '../cors/cors-enforce';
import { S3_ERRORS, isS3Error, type S3ErrorCode } from '../errors';
import { H } from '../headers';
import { sendResult } from '../http/reply';
import { getObject, headObject } from '../operations/object-get';
import { objectHeaders } from '../operations/object-meta';
import { errorPage, type PageError } from './website-pages';
import { keyPath, redirectAll, ruleBeforeLookup, ruleOnError, ruleRedirect, type Redirect } from './routing-rules';

type Lookup =
  | { state: 'readable'; info: ObjectInfo }
  /** §3.10c: the object exists and the anonymous caller may not read it. */
  | { state: 'forbidden' }
  /** §3.10e: no such key; 404 to a caller who may list the bucket, 403 to anyone else. */
  | { state: 'missing'; status: 403 | 404 };

/** The request as the website sees it: the bucket, the decoded key, the scheme and Host for redirects. */
interface Site {
  ctx: S3Context;
  reply: FastifyReply;
  head: boolean;
  scheme: string;
  host: string;
}

function pageError(code: S3ErrorCode, items?: Array<[string, string]>, message?: string): PageError {
  const [status, defaultMessage] = S3_ERRORS[code];
  return { status, code, message: message ?? defaultMessage, ...(items === undefined ? {} : { items }) };
}

/** §3.15, §3.16, §4: an HTML page with the error headers; HEAD gets the headers only. */
function sendPage(site: Site, err: PageError, extraHeaders: Record<string, string> = {}, errorDocument?: { code: string; message: string; key: string }): FastifyReply {
  const { reply, ctx } = site;
  const hostId = String(reply.getHeader(H.amzId2) ?? '');
  const headers: Record<string, string> = {
    ...extraHeaders,
    [H.contentType]: 'text/html; charset=utf-8',
    [H.amzErrorCode]: err.code,
    [H.amzErrorMessage]: err.message,
  };
  const body = site.head ? undefined : errorPage(err, ctx.requestId, hostId, errorDocument);
  return sendResult(reply, { status: err.status, headers, ...(body === undefined ? {} : { body }) });
}

/** A redirect: the status and Location, an empty body (§3.6, §3.10a, §3.13). */
function sendRedirect(site: Site, redirect: Redirect): FastifyReply {
  return sendResult(site.reply, { status: redirect.status, headers: { [H.location]: redirect.location, [H.contentLength]: '0' } });
}

/** The context authorize() and the GetObject handler see: anonymous, the website's key, no query. */
function objectContext(site: Site, key: string): S3Context {
  const { object: _object, ...rest } = site.ctx;
  return { ...rest, operation: site.head ? 'HeadObject' : 'GetObject', key, query: new Map(), auth: { user: undefined, mode: 'anonymous' } };
}

/** §3.10: the object as an anonymous GetObject may read it (the shared access decision). */
function lookup(site: Site, key: string): { lookup: Lookup; ctx: S3Context } {
  const ctx = objectContext(site, key);
  // A current delete marker is no object (docs/spec/versioning.md §5 R3; docs/spec/website.md §3.10).
  const found = () => (ctx.object?.deleteMarker ? undefined : ctx.object);
  try {
    authorize(ctx);
  } catch (err) {
    if (!isS3Error(err) || err.code !== 'AccessDenied') throw err;
    return { lookup: found() === undefined ? { state: 'missing', status: 403 } : { state: 'forbidden' }, ctx };
  }
  const info = found();
  if (info === undefined) return { lookup: { state: 'missing', status: 404 }, ctx };
  return { lookup: { state: 'readable', info }, ctx };
}

function lookupError(found: Exclude<Lookup, { state: 'readable' }>, key: string): PageError {
  if (found.state === 'missing' && found.status === 404) return pageError('NoSuchKey', [['Key', key]]);
  return pageError('AccessDenied');
}

/** A readable object: 301 to its redirect location, or GetObject / HeadObject (conditions, Range). */
async function serveObject(site: Site, ctx: S3Context, info: ObjectInfo): Promise<FastifyReply> {
  // §3.10a: the stored value verbatim (`/page2.html` stays a path).
  if (info.meta.websiteRedirect !== undefined) return sendRedirect(site, { status: 301, location: info.meta.websiteRedirect });
  let result: S3Result;
  try {
    result = await (site.head ? headObject : getObject)(ctx);
  } catch (err) {
    if (!isS3Error(err)) throw err;
    // §3.10b: a condition that decides is 304 (headers, no body) or a 412 page.
    if (err.code === 'NotModified') return sendResult(site.reply, { status: 304, headers: err.headers });
    return sendPage(site, { status: err.status, code: err.code, message: err.message });
  }
  return sendResult(site.reply, result);
}

/** §3.11, §3.12: a 4xx after the lookup: a routing rule, else the ErrorDocument, else the page. */
async function serveError(site: Site, config: WebsiteConfiguration, key: string, err: PageError, extraHeaders: Record<string, string> = {}): Promise<FastifyReply> {
  const rule = ruleOnError(config.routingRules ?? [], key, err.status);
  if (rule !== undefined) return sendRedirect(site, ruleRedirect(rule, key, site));
  const documentKey = config.errorDocument?.key;
  if (documentKey === undefined || err.status < 400 || err.status > 499) return sendPage(site, err, extraHeaders);
  const doc = lookup(site, documentKey);
  if (doc.lookup.state !== 'readable') {
    const failed = lookupError(doc.lookup, documentKey);
    return sendPage(site, err, extraHeaders, { code: failed.code, message: failed.message, key: documentKey });
  }
  const info = doc.lookup.info;
  // §3.12: a redirect on the error document wins; the status is lost.
  if (info.meta.websiteRedirect !== undefined) return sendRedirect(site, { status: 301, location: info.meta.websiteRedirect });
  const headers = { ...objectHeaders(doc.ctx, info), [H.contentLength]: info.size };
  const storage = site.ctx.services.storage;
  const body = site.head || info.size === 0 ? undefined : storage.readObjectBytes(info) ?? storage.readObject(info);
  return sendResult(site.reply, { status: err.status, headers, ...(body === undefined ? {} : { body }) });
}

function decodeKey(rawPath: string): string | undefined {
  try {
    return decodeURIComponent(rawPath.startsWith('/') ? rawPath.slice(1) : rawPath);
  } catch {
    return undefined;
  }
}

async function serveGet(site: Site): Promise<FastifyReply> {
  const { ctx } = site;
  const { services } = ctx;
  const region = ctx.address.websiteRegion;
  // §3.18: another region's endpoint. UNVERIFIED(S3): the code.
  if (region !== undefined && region !== services.config.region) return sendPage(site, pageError('IncorrectEndpoint'));
  // §3.18 DEVIATION(S3): a host without a bucket label is NoSuchBucket here; S3 redirects to aws.amazon.com/s3/.
  if (ctx.bucket === undefined) return sendPage(site, pageError('NoSuchBucket'));
  // §3.3, §3.4
  if (services.storage.getBucket(ctx.bucket) === undefined) return sendPage(site, pageError('NoSuchBucket', [['BucketName', ctx.bucket]]));
  const config = services.storage.settings.get(ctx.bucket, 'website');
  if (config === undefined) return sendPage(site, pageError('NoSuchWebsiteConfiguration', [['BucketName', ctx.bucket]]));
  // §3.6
  const all = redirectAll(config, ctx.address.rawPath, ctx.address.rawQuery, site.scheme);
  if (all !== undefined) return sendRedirect(site, all);
  // §3.7: the query string is ignored. UNVERIFIED(S3).
  const key = decodeKey(ctx.address.rawPath);
  if (key === undefined) return sendPage(site, pageError('InvalidURI'));
  const rules = config.routingRules ?? [];
  // §3.8
  const early = ruleBeforeLookup(rules, key);
  if (early !== undefined) return sendRedirect(site, ruleRedirect(early, key, site));
  // §3.9
  const suffix = config.indexDocument?.suffix ?? '';
  const lookupKey = key === '' || key.endsWith('/') ? key + suffix : key;
  const found = lookup(site, lookupKey);
  if (found.lookup.state === 'readable') return serveObject(site, found.ctx, found.lookup.info);
  if (found.lookup.state === 'missing' && key !== '' && !key.endsWith('/')) {
    // §3.10d: `key/` has an index document: 302 to the folder.
    const folder = lookup(site, `${key}/${suffix}`);
    if (folder.lookup.state === 'readable') {
      const location = `/${keyPath(key)}/`;
      return sendPage(site, pageError('Found'), { [H.location]: location });
    }
  }
  return serveError(site, config, key, lookupError(found.lookup, lookupKey));
}

/** §3.17: a preflight on the website endpoint, answered as on REST; refusals are HTML pages. UNVERIFIED(S3). */
function servePreflight(site: Site): FastifyReply {
  // The path names an object (`/` the bucket), as on the REST endpoint.
  const decision = preflightDecision({ ...site.ctx, key: decodeKey(site.ctx.address.rawPath) ?? '' });
  if (decision.allowed) return sendResult(site.reply, { status: 200, headers: { ...decision.headers, [H.contentLength]: '0' } });
  const items: Array<[string, string]> = [];
  if (decision.method !== undefined) items.push(['Method', decision.method]);
  if (decision.resourceType !== undefined) items.push(['ResourceType', decision.resourceType]);
  return sendPage(site, { status: decision.status, code: decision.code, message: decision.message, items });
}

/** Every request whose Host is a website endpoint (server/http/website-host.ts) comes here, whatever its method. */
export async function serveWebsite(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const ctx = request.s3;
  const site: Site = { ctx, reply, head: request.method === 'HEAD', scheme: request.protocol, host: request.headers.host ?? '' };
  try {
    // §3.1: Authorization, presigned parameters and cookies are never looked at.
    if (request.method === 'OPTIONS') return servePreflight(site);
    applyActualCors(ctx, reply);
    // §3.2: checked first. UNVERIFIED(S3): before the bucket lookup.
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendPage(site, pageError('MethodNotAllowed', [['Method', request.method], ['ResourceType', 'OBJECT']]));
    }
    return await serveGet(site);
  } catch (err) {
    if (!isS3Error(err)) {
      reply.log.error({ err }, 'internal error');
      return sendPage(site, pageError('InternalError'));
    }
    return sendPage(site, { status: err.status, code: err.code, message: err.message });
  }
}
