/**
 * Who may use the admin API (docs/security.md): a request addressed to one of this server's own
 * names, signed by a configured user. `/_crossbucket/health` is open; explain and reset are not.
 *
 * The Host check is what stops a web page from reaching the admin API through DNS rebinding (a
 * name the attacker controls, pointed at 127.0.0.1): a browser always sends the page's host
 * name. Every other client could send any Host, which is why the signature is required as well.
 */
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { User } from '../config';
import { S3Error } from '../errors';
import { authenticate } from './authenticate';

/** The host name of a Host header value: lower case, port and brackets removed, no final dot. */
export function hostName(host: string): string {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[')) {
    const end = name.indexOf(']');
    return end < 0 ? name : name.slice(1, end);
  }
  const colon = name.lastIndexOf(':');
  if (colon >= 0) name = name.slice(0, colon);
  return name.replace(/\.$/, '');
}

function isLoopback(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1' || name === '0:0:0:0:0:0:0:1';
}

/**
 * Whether a Host header names this server: a loopback name (`localhost`, `*.localhost`,
 * `127.x.x.x`, `[::1]`), a base domain or a subdomain of one, or one of the addresses it
 * listens on.
 */
export function isOwnHost(host: string | undefined, baseDomains: readonly string[], serverAddresses: readonly string[]): boolean {
  if (host === undefined || host.trim() === '') return false;
  const name = hostName(host);
  if (isLoopback(name)) return true;
  if (baseDomains.some((d) => name === d || name.endsWith(`.${d}`))) return true;
  return serverAddresses.some((a) => hostName(a.includes(':') && !a.startsWith('[') ? `[${a}]` : a) === name);
}

/** Refuses a request whose Host is not one of this server's names (403 AccessDenied). */
export function checkAdminHost(request: FastifyRequest, baseDomains: readonly string[], serverAddresses: readonly string[]): void {
  const host = request.headers.host;
  if (!isOwnHost(host, baseDomains, serverAddresses)) {
    throw new S3Error('AccessDenied',
      `The admin API answers only requests addressed to this server (localhost, 127.0.0.1, [::1], a base domain or the bound address), not Host ${JSON.stringify(host ?? '')}.`);
  }
}

/**
 * The configured user who signed the request. The signature is always verified here, even under
 * `--auth permissive`: anonymous requests and credentials that do not verify are refused.
 */
export function authenticateAdmin(request: FastifyRequest): User {
  const auth = authenticate(request.s3, request, { strict: true });
  if (auth.user === undefined) {
    throw new S3Error('AccessDenied', 'The admin API needs a request signed (AWS SigV4) by a configured user.');
  }
  return auth.user;
}
