/**
 * Several users from a JSON file (`--users-file` / CROSSBUCKET_USERS_FILE):
 * `[{"accessKeyId": "alice", "secretAccessKey": "...", "displayName": "Alice"}]`, optionally with
 * `"accountId": "111111111111"` (users naming one account share it; default: an account of its
 * own derived from the access key) and `"userName"` (the ARN's NAME; default: the access key ID).
 * The first user owns the buckets a seed file creates and is the one permissive mode acts as.
 */
import { assertKnownMembers, ConfigError, isPlainObject, readJsonFile } from './config-file';
import { ACCOUNT_ID, linkAccounts, makeUser, type User } from '../config';

const MEMBERS = ['accessKeyId', 'secretAccessKey', 'displayName', 'accountId', 'userName'] as const;
/** IAM user names: letters, digits and `+=,.@_-`, up to 64. */
const USER_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * Access key IDs appear in the SigV4 credential scope (`ID/date/region/s3/aws4_request`) and the
 * SigV2 `AWS ID:signature` header, so `/`, `:`, `,`, `=` and whitespace cannot be part of one.
 */
const ACCESS_KEY_ID = /^[A-Za-z0-9._~+-]{1,128}$/;

export function validAccessKeyId(id: string): boolean {
  return ACCESS_KEY_ID.test(id);
}

/** Checks parsed users JSON; `label` (the file name) starts every error message. */
export function usersFromJson(json: unknown, label: string): User[] {
  if (!Array.isArray(json) || json.length === 0) {
    throw new ConfigError(`${label}: expected a non-empty array [{"accessKeyId": "...", "secretAccessKey": "...", "displayName": "..."}]`);
  }
  const users: User[] = [];
  json.forEach((entry: unknown, i) => {
    const path = `${label}: [${i}]`;
    if (!isPlainObject(entry)) throw new ConfigError(`${path}: expected an object {"accessKeyId", "secretAccessKey", "displayName"}`);
    assertKnownMembers(entry, MEMBERS, path);
    const { accessKeyId, secretAccessKey, displayName, accountId, userName } = entry;
    if (typeof accessKeyId !== 'string' || !validAccessKeyId(accessKeyId)) {
      throw new ConfigError(`${path}.accessKeyId: expected 1 to 128 characters among A-Z a-z 0-9 . _ ~ + -, got ${JSON.stringify(accessKeyId)}`);
    }
    if (typeof secretAccessKey !== 'string' || secretAccessKey === '') {
      throw new ConfigError(`${path}.secretAccessKey: expected a non-empty string`);
    }
    if (displayName !== undefined && (typeof displayName !== 'string' || displayName === '')) {
      throw new ConfigError(`${path}.displayName: expected a non-empty string (or leave it out: the access key ID is used)`);
    }
    if (accountId !== undefined && (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId))) {
      throw new ConfigError(`${path}.accountId: expected 12 digits (an AWS account id, e.g. "111111111111"), got ${JSON.stringify(accountId)}`);
    }
    if (userName !== undefined && (typeof userName !== 'string' || !USER_NAME.test(userName))) {
      throw new ConfigError(`${path}.userName: expected an IAM user name (1 to 64 of A-Z a-z 0-9 + = , . @ _ -), got ${JSON.stringify(userName)}`);
    }
    const twin = users.findIndex((u) => u.accessKeyId === accessKeyId);
    if (twin !== -1) throw new ConfigError(`${path}.accessKeyId: "${accessKeyId}" is already the access key ID of [${twin}]`);
    const user = makeUser(accessKeyId, secretAccessKey, {
      ...(displayName === undefined ? {} : { displayName }),
      ...(accountId === undefined ? {} : { accountId }),
      ...(userName === undefined ? {} : { userName }),
    });
    const sameArn = users.findIndex((u) => u.arn === user.arn);
    if (sameArn !== -1) throw new ConfigError(`${path}.userName: ${user.arn} is already the ARN of [${sameArn}]`);
    users.push(user);
  });
  return linkAccounts(users);
}

export function readUsersFile(path: string): User[] {
  return usersFromJson(readJsonFile(path), path);
}
