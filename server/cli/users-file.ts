/**
 * Several users from a JSON file (`--users-file` / CROSSBUCKET_USERS_FILE):
 * `[{"accessKeyId": "alice", "secretAccessKey": "...", "displayName": "Alice"}]`.
 * The first user owns the buckets a seed file creates and is the one permissive mode acts as.
 */
import { assertKnownMembers, ConfigError, isPlainObject, readJsonFile } from './config-file';
import { makeUser, type User } from '../config';

const MEMBERS = ['accessKeyId', 'secretAccessKey', 'displayName'] as const;

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
    const { accessKeyId, secretAccessKey, displayName } = entry;
    if (typeof accessKeyId !== 'string' || !validAccessKeyId(accessKeyId)) {
      throw new ConfigError(`${path}.accessKeyId: expected 1 to 128 characters among A-Z a-z 0-9 . _ ~ + -, got ${JSON.stringify(accessKeyId)}`);
    }
    if (typeof secretAccessKey !== 'string' || secretAccessKey === '') {
      throw new ConfigError(`${path}.secretAccessKey: expected a non-empty string`);
    }
    if (displayName !== undefined && (typeof displayName !== 'string' || displayName === '')) {
      throw new ConfigError(`${path}.displayName: expected a non-empty string (or leave it out: the access key ID is used)`);
    }
    const twin = users.findIndex((u) => u.accessKeyId === accessKeyId);
    if (twin !== -1) throw new ConfigError(`${path}.accessKeyId: "${accessKeyId}" is already the access key ID of [${twin}]`);
    users.push(makeUser(accessKeyId, secretAccessKey, displayName));
  });
  return users;
}

export function readUsersFile(path: string): User[] {
  return usersFromJson(readJsonFile(path), path);
}
