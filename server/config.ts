/** Server configuration: the resolved options `buildApp` and `main` work from. */
import { createHash } from 'node:crypto';

export interface User {
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * Canonical ID of the user's account, as S3 shows it in Owner elements and ACLs (an owner is
   * an account, never a user: docs/spec/access.md §6 R6.4).
   */
  id: string;
  displayName: string;
  /** The 12-digit account the user belongs to (docs/spec/access.md §1). */
  accountId: string;
  /** The IAM user name: the users file's `userName`, by default the access key ID. */
  userName: string;
  /** `arn:aws:iam::ACCOUNT:user/NAME`. */
  arn: string;
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
/** The default user's account: LocalStack's, so `ExpectedBucketOwner: '000000000000'` carries over. */
export const DEFAULT_ACCOUNT_ID = '000000000000';
export const ADMIN_PREFIX = '/_crossbucket';
/** S3 closes a connection whose request body has sent nothing for about 20 seconds. */
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 20_000;

/** A 64-hex canonical ID derived from the access key, stable across restarts. */
export function canonicalIdFor(accessKeyId: string): string {
  return createHash('sha256').update(`crossbucket:${accessKeyId}`).digest('hex');
}

/** A stable 12-digit account id derived from the access key (users without `accountId`). */
export function accountIdFor(accessKeyId: string): string {
  const n = BigInt(`0x${createHash('sha256').update(`crossbucket-account:${accessKeyId}`).digest('hex').slice(0, 16)}`);
  return (n % 1_000_000_000_000n).toString().padStart(12, '0');
}

/** The canonical ID of an account named only by its id (no user derived it from an access key). */
export function accountCanonicalId(accountId: string): string {
  return createHash('sha256').update(`crossbucket-account:${accountId}`).digest('hex');
}

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

export interface UserOptions {
  displayName?: string;
  /** 12 digits; default: derived from the access key (every user its own account). */
  accountId?: string;
  /** IAM user name (the last segment of the ARN); default: the access key ID. */
  userName?: string;
}

/**
 * A user. Without `accountId` the user is alone in an account derived from its access key, and
 * the account's canonical ID is the one crossbucket always derived from that key (data written
 * before accounts existed keeps its owner). DEVIATION(S3): a user's canonical ID is its
 * account's, so two users of one account share it.
 */
export function makeUser(accessKeyId: string, secretAccessKey: string, displayNameOrOptions: string | UserOptions = {}): User {
  const options = typeof displayNameOrOptions === 'string' ? { displayName: displayNameOrOptions } : displayNameOrOptions;
  const accountId = options.accountId ?? (accessKeyId === DEFAULT_ACCESS_KEY_ID ? DEFAULT_ACCOUNT_ID : accountIdFor(accessKeyId));
  const id = options.accountId === undefined ? canonicalIdFor(accessKeyId) : accountCanonicalId(accountId);
  const userName = options.userName ?? accessKeyId;
  return { accessKeyId, secretAccessKey, id, displayName: options.displayName ?? accessKeyId, accountId, userName, arn: `arn:aws:iam::${accountId}:user/${userName}` };
}

/**
 * One canonical ID per account: users that name (with `accountId`) the account another user
 * derives from its access key share that user's canonical ID.
 */
export function linkAccounts(users: User[]): User[] {
  const derived = new Map<string, string>();
  for (const u of users) if (u.id === canonicalIdFor(u.accessKeyId)) derived.set(u.accountId, u.id);
  return users.map((u) => ({ ...u, id: derived.get(u.accountId) ?? u.id }));
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
