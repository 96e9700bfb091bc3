/**
 * The admin API, outside the S3 namespace (bucket names cannot start with `_`):
 *   GET  /_crossbucket/health
 *   GET  /_crossbucket/explain?bucket=B&origin=O&method=M[&header=H...][&key=K]
 *   POST /_crossbucket/reset?mode=objects|all   (needs `x-crossbucket-admin: reset`, which a
 *        browser cannot send cross-origin without a preflight we never allow)
 */
import type { FastifyInstance } from 'fastify';
import { evaluateActual, evaluatePreflight } from '../cors-engine';
import { normaliseBaseDomains } from './http/addressing';
import type { Services } from './context';

export function explainCors(services: Services, q: { bucket: string; origin: string; method: string; headers: string[]; key?: string }) {
  const state = services.cors.state(q.bucket);
  const acrh = q.headers.length > 0 ? q.headers.join(', ') : undefined;
  const preflight = evaluatePreflight({
    origin: q.origin,
    accessControlRequestMethod: q.method,
    accessControlRequestHeaders: acrh,
    bucket: state,
    resourceType: q.key === undefined ? 'BUCKET' : 'OBJECT',
  });
  const actual = evaluateActual({ origin: q.origin, method: q.method, cors: typeof state === 'string' ? undefined : state });
  return {
    bucket: q.bucket,
    origin: q.origin,
    method: q.method,
    requestHeaders: q.headers,
    bucketState: typeof state === 'string' ? state : 'has-cors',
    preflight: preflight.allowed
      ? { allowed: true, status: 200, headers: preflight.headers }
      : { allowed: false, status: preflight.status, code: preflight.code, message: preflight.message },
    actualResponseHeaders: actual.headers,
    explanation: preflight.explanation,
  };
}

export function registerAdmin(app: FastifyInstance, services: Services): void {
  const prefix = services.config.adminPrefix;
  // A virtual-hosted request's path is a key (`site.localhost/_crossbucket/health` is the object
  // `_crossbucket/health`): the admin API answers only hosts that name no bucket.
  const bases = normaliseBaseDomains(services.config.baseDomains).map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const constraints = { host: new RegExp(`^(?!.+\\.(?:${bases})(?::\\d+)?$)`, 'i') };
  app.get(`${prefix}/health`, { constraints }, async () => ({ ok: true }));
  app.get(`${prefix}/explain`, { constraints }, async (request, reply) => {
    const q = request.query as Record<string, string | string[] | undefined>;
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
    const bucket = one(q.bucket);
    const origin = one(q.origin);
    const method = one(q.method) ?? 'GET';
    if (!bucket || !origin) return reply.code(400).send({ error: 'bucket and origin are required' });
    const headers = ([] as string[]).concat(q.header ?? []).flatMap((h) => h.split(',')).map((h) => h.trim()).filter((h) => h !== '');
    const key = one(q.key);
    return explainCors(services, { bucket, origin, method: method.toUpperCase(), headers, ...(key === undefined ? {} : { key }) });
  });
  app.post(`${prefix}/reset`, { constraints }, async (request, reply) => {
    if (request.headers['x-crossbucket-admin'] !== 'reset') return reply.code(403).send({ error: 'send x-crossbucket-admin: reset' });
    const mode = (request.query as { mode?: string }).mode === 'all' ? 'all' : 'objects';
    await services.storage.reset(mode);
    return { ok: true, mode };
  });
}
