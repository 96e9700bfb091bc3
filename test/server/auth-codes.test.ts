/**
 * Every error code `server/auth` can produce is in the one error table (server/errors.ts), so
 * `fromAuthFailure` never falls back to AccessDenied for a code it does not know; and the
 * statuses are S3's.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { S3_ERRORS, fromAuthFailure } from '../../server/errors';

const AUTH_DIR = join(__dirname, '..', '..', 'server', 'auth');

function codesInAuth(): Set<string> {
  const codes = new Set<string>();
  for (const file of readdirSync(AUTH_DIR).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(AUTH_DIR, file), 'utf8');
    for (const m of text.matchAll(/(?:authFailure|new AuthError)\(\s*'([A-Za-z0-9]+)'/g)) codes.add(m[1] ?? '');
    // The AuthErrorCode union lists them all too.
    const union = /export type AuthErrorCode =([^;]+);/.exec(text)?.[1];
    if (union) for (const m of union.matchAll(/'([A-Za-z0-9]+)'/g)) codes.add(m[1] ?? '');
  }
  return codes;
}

t.test('every code server/auth produces is in S3_ERRORS and keeps its code through fromAuthFailure', async (t) => {
  const codes = codesInAuth();
  t.ok(codes.size >= 15, `found ${codes.size} codes`);
  for (const code of codes) {
    t.ok(Object.hasOwn(S3_ERRORS, code), `${code} is in the error table`);
    const err = fromAuthFailure({ code, message: 'm', extra: { A: 'b' } });
    t.equal(err.code, code);
    t.same(err.extras, { A: 'b' });
  }
});

t.test('auth statuses as S3 sends them', async (t) => {
  const expected: Record<string, number> = {
    SignatureDoesNotMatch: 403,
    InvalidAccessKeyId: 403,
    AccessDenied: 403,
    RequestTimeTooSkewed: 403,
    AuthorizationHeaderMalformed: 400,
    AuthorizationQueryParametersError: 400,
    XAmzContentSHA256Mismatch: 400,
    InvalidChunkSizeError: 403,
    IncompleteBody: 400,
    MalformedTrailerError: 400,
    MissingSecurityHeader: 400,
    InvalidArgument: 400,
    InvalidRequest: 400,
    UnresolvableGrantByEmailAddress: 400,
    UnexpectedContent: 400,
    MalformedACLError: 400,
  };
  for (const [code, status] of Object.entries(expected)) t.equal(S3_ERRORS[code as keyof typeof S3_ERRORS]?.[0], status, code);
});
