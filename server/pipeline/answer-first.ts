/**
 * The requests answered before fastify's request pipeline, from a `request` listener put in front
 * of fastify's own: allowed CORS preflights (preflight-first.ts) and GetObject / HeadObject
 * (read-first.ts), the requests a browser and an application send most. fastify's routing, its
 * request and reply objects and its hooks were a fifth of a preflight's CPU and a tenth of a GET's
 * (docs/benchmarks.md, "Issue 19, eighth round" and "twentieth round").
 *
 * Only plain requests are taken: no body, an origin-form target of at most MAX_PATH_LENGTH
 * characters that fastify can decode, outside the admin API's prefix, a Host that is not a website
 * endpoint, while the server is not closing. Everything else goes to fastify as before.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Address, Services } from '../context';
import { MAX_PATH_LENGTH, parseAddress } from '../http/addressing';
import { websiteHost } from '../http/website-host';
import { answeredPreflight } from './preflight-first';
import { answeredRead } from './read-first';

/** Puts the early answers in front of fastify's own `request` listener on `app.server`. */
export function answerFirst(app: FastifyInstance, services: Services, baseDomains: string[]): void {
  const server = app.server;
  const [fastifyListener] = server.listeners('request') as RequestListener[];
  if (fastifyListener === undefined) return;
  let closing = false;
  // From here fastify answers 503 to new requests (return503OnClosing): they are left to it.
  app.addHook('preClose', (done) => { closing = true; done(); });
  const adminPrefix = services.config.adminPrefix;
  const log = app.log;
  server.removeListener('request', fastifyListener);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method;
    if (method === 'OPTIONS' || method === 'GET' || method === 'HEAD') {
      const address = closing ? undefined : plainAddress(req, baseDomains, adminPrefix);
      if (address !== undefined) {
        if (method === 'OPTIONS' ? answeredPreflight(req, res, services, address, log) : answeredRead(req, res, services, address, log)) return;
      }
    }
    fastifyListener(req, res);
  });
}

/** The address of a request that may be answered here; undefined: fastify's pipeline takes it. */
function plainAddress(req: IncomingMessage, baseDomains: string[], adminPrefix: string): Address | undefined {
  const url = req.url;
  const headers = req.headers;
  if (url === undefined || url.charCodeAt(0) !== 0x2f || url.length > MAX_PATH_LENGTH) return undefined;
  // A body would be left on the keep-alive connection (fastify's path reads or drains it).
  if ((headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined) return undefined;
  // The admin API's routes (server/admin.ts) are fastify's.
  if (url.startsWith(adminPrefix) && (url.length === adminPrefix.length || url[adminPrefix.length] === '/' || url[adminPrefix.length] === '?')) return undefined;
  if (websiteHost(headers.host, baseDomains) !== undefined) return undefined;
  // fastify refuses a path it cannot decode (InvalidURI); parseAddress would not.
  if (url.includes('%') && !decodable(url)) return undefined;
  return parseAddress(url, headers.host, baseDomains);
}

function decodable(url: string): boolean {
  const q = url.indexOf('?');
  try {
    decodeURIComponent(q < 0 ? url : url.slice(0, q));
    return true;
  } catch {
    return false;
  }
}
