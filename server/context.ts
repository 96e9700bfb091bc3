/** What every operation handler receives, and what it returns. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { ObjectInfo, Storage } from '../storage';
import type { ServerConfig, User } from './config';
import type { Operation } from './operation-names';
import type { CompiledCors } from '../cors-engine';
import type { CompiledPolicy } from '../policy-engine';
import type { EventBus } from './events';

/** The verified identity of a request, and what the body decoder needs from its signature. */
export interface AuthInfo {
  /** undefined: anonymous. */
  user: User | undefined;
  mode: 'header' | 'query' | 'post-policy' | 'anonymous';
  /** `x-amz-content-sha256` as signed (or UNSIGNED-PAYLOAD). */
  payloadHash?: string;
  signingKey?: Buffer;
  seedSignature?: string;
  scope?: string;
  amzDate?: string;
  /** 4 (AWS4-HMAC-SHA256) or 2 (AWS) for a verified signature; undefined when anonymous. */
  signatureVersion?: 2 | 4;
}

/** Where a request is addressed: bucket and key from the path or the Host, and the query. */
export interface Address {
  bucket?: string;
  /** The decoded key; undefined for bucket- and service-level requests. */
  key?: string;
  /** 'website': the website endpoint's Host (server/http/website-host.ts, docs/spec/website.md §3). */
  style: 'path' | 'virtual' | 'website';
  /** The REGION of a `s3-website-REGION` host. */
  websiteRegion?: string;
  /** The raw (still-encoded) path, as sent. */
  rawPath: string;
  rawQuery: string;
  query: Map<string, string>;
}

/** A bucket's compiled CORS rules, or why there are none. */
export type BucketCorsState = 'missing' | 'no-cors' | CompiledCors;

/** The compiled CORS rules of every bucket (server/cors/cors-cache.ts keeps them). */
export interface CorsRules {
  state(bucket: string): BucketCorsState;
  rules(bucket: string): CompiledCors | undefined;
}

/** A bucket's stored policy, validated and compiled once (server/access/policy-cache.ts keeps them). */
export interface BucketPolicyState {
  compiled: CompiledPolicy;
  /** docs/spec/access.md §5 R5.7, for RestrictPublicBuckets and GetBucketPolicyStatus. */
  isPublic: boolean;
}

/** The compiled bucket policies (undefined: the bucket has none). */
export interface PolicyRules {
  state(bucket: string): BucketPolicyState | undefined;
}

export interface Services {
  storage: Storage;
  config: ServerConfig;
  cors: CorsRules;
  policies: PolicyRules;
  /** Canonical ID → user, for Owner display names. */
  usersById: Map<string, User>;
  /** CORS verdicts, access decisions and object changes, for the console and embedders (server/events.ts). */
  events: EventBus;
}

export interface S3Context {
  requestId: string;
  operation: Operation;
  method: string;
  address: Address;
  bucket: string | undefined;
  key: string | undefined;
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  /** The peer address (aws:SourceIp) and whether the connection is TLS (aws:SecureTransport). */
  sourceIp: string;
  secure: boolean;
  /** The unread request body. */
  body: IncomingMessage;
  auth: AuthInfo;
  /** The object row authorize() read for GetObject/HeadObject (undefined: no such key), reused by the handler. */
  object?: ObjectInfo;
  /**
   * PutObjectTagging on a bucket with a policy: authorize() left the decision to the handler,
   * which makes it once the body's tags (s3:RequestObjectTag/*) are known.
   */
  tagAccessPending?: boolean;
  services: Services;
  log: FastifyBaseLogger;
}

export interface S3Result {
  status?: number;
  headers?: Record<string, string | number | undefined>;
  body?: string | Buffer | Readable;
}

/**
 * An operation. One whose work is synchronous (GetObject and HeadObject: a lookup and a buffer or
 * a file stream) returns its result, and the route answers it in the same turn, without a promise
 * and a turn of the microtask queue (docs/benchmarks.md "Issue 19, sixteenth round").
 */
export type Handler = (ctx: S3Context) => S3Result | Promise<S3Result>;

/** What a request's context is made from, before anything is authenticated. */
export interface ContextSource {
  requestId: string;
  operation: Operation;
  method: string;
  address: Address;
  headers: IncomingHttpHeaders;
  sourceIp: string;
  secure: boolean;
  body: IncomingMessage;
  services: Services;
  log: FastifyBaseLogger;
}

/** A request's context as it arrives: bucket, key and query from its address, anonymous until authenticated. */
export function newContext(c: ContextSource): S3Context {
  return {
    requestId: c.requestId,
    operation: c.operation,
    method: c.method,
    address: c.address,
    bucket: c.address.bucket,
    key: c.address.key,
    query: c.address.query,
    headers: c.headers,
    sourceIp: c.sourceIp,
    secure: c.secure,
    body: c.body,
    auth: { user: undefined, mode: 'anonymous' },
    services: c.services,
    log: c.log,
  };
}
