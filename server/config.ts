/** Server configuration: the resolved options `buildApp` and `main` work from. */
import { createHash } from 'node:crypto';

export interface User {
  accessKeyId: string;
  secretAccessKey: string;
  /** Canonical user ID, as S3 shows it in Owner elements and ACLs. */
  id: string;
  displayName: string;
}

export type AuthMode = 'sigv4' | 'permissive';

export interface ServerConfig {
  region: string;
  /** Extra base domains for virtual-hosted addressing, beside localhost and s3.localhost. */
  baseDomains: string[];
  users: User[];
  /** sigv4: signatures verified. permissive: any well-formed credentials act as the first user. */
  authMode: AuthMode;
  /** Mounted outside the S3 namespace (bucket names cannot start with `_`). */
  adminPrefix: string;
  /**
   * Whether `POST {adminPrefix}/reset` may be used (signed by the first user). Off unless the
   * server was started with `--admin-reset` (the CLI) or by `start()` (test embedding).
   */
  adminReset: boolean;
  /**
   * The addresses this server answers on, beside the loopback names and the base domains: the
   * bound address (or every interface address when bound to 0.0.0.0 / ::). The admin API
   * refuses any other Host (docs/security.md).
   */
  serverAddresses: string[];
  /** Whether the web console is served at `{adminPrefix}/console/` (docs/console.md); `--console off` turns it off. */
  console: boolean;
  /** A request body idle this long is answered 400 RequestTimeout and its connection closed (0: never). */
  bodyIdleTimeoutMs: number;
}

export const DEFAULT_ACCESS_KEY_ID = 'crossbucket';
export const DEFAULT_SECRET_ACCESS_KEY = 'crossbucket-secret';
export const DEFAULT_REGION = 'us-east-1';
export const ADMIN_PREFIX = '/_crossbucket';
/** S3 closes a connection whose request body has sent nothing for about 20 seconds. */
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 20_000;

/** A 64-hex canonical ID derived from the access key, stable across restarts. */
export function canonicalIdFor(accessKeyId: string): string {
  return createHash('sha256').update(`crossbucket:${accessKeyId}`).digest('hex');
}

export function makeUser(accessKeyId: string, secretAccessKey: string, displayName = accessKeyId): User {
  return { accessKeyId, secretAccessKey, id: canonicalIdFor(accessKeyId), displayName };
}

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    region: DEFAULT_REGION,
    baseDomains: [],
    users: [makeUser(DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY)],
    authMode: 'sigv4',
    adminPrefix: ADMIN_PREFIX,
    adminReset: false,
    serverAddresses: [],
    console: true,
    bodyIdleTimeoutMs: DEFAULT_BODY_IDLE_TIMEOUT_MS,
    ...overrides,
  };
}
