/**
 * Signs a request with AWS SigV4 in the Authorization header: the client side of sigv4.ts, for
 * crossbucket's own commands (`crossbucket explain`). Built from the same canonical-request
 * functions the verifier uses, so what it signs is what the server checks. Pure: the time and
 * the secret are parameters.
 *
 * AWS SigV4, "Elements of an AWS API request signature": canonical request → string to sign →
 * signing key → signature → `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
 * Signature=…`.
 */
import { formatAmzDate } from './amz-date';
import { buildCanonicalRequest, buildStringToSign, canonicalHeaders, type HeaderMap } from './canonical-request';
import { deriveSigningKey, EMPTY_SHA256, hmacSha256 } from './signing-key';
import { ALGORITHM } from './signing-context';
import { canonicalQueryString, canonicalUri, parseQuery, splitRawUrl } from './uri-encode';

export interface SignRequestInput {
  method: string;
  /** Path and query as they will be sent (already percent-encoded). */
  rawUrl: string;
  /** The Host header as it will be sent (`127.0.0.1:9000`). */
  host: string;
  /** Further headers to sign (lower-case names). */
  headers?: Record<string, string>;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service?: string;
  now: Date;
  /** Hex SHA-256 of the body; default: the empty body's. */
  payloadHash?: string;
}

/** The headers to send: the input's, plus host, x-amz-date, x-amz-content-sha256 and authorization. */
export function signRequestV4(input: SignRequestInput): Record<string, string> {
  const amzDate = formatAmzDate(input.now);
  const date = amzDate.slice(0, 8);
  const service = input.service ?? 's3';
  const payloadHash = input.payloadHash ?? EMPTY_SHA256;
  const headers: Record<string, string> = {
    ...input.headers,
    host: input.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': payloadHash,
  };
  const signedHeaders = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower: HeaderMap = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const { path, query } = splitRawUrl(input.rawUrl);
  const canonicalRequest = buildCanonicalRequest({
    method: input.method.toUpperCase(),
    canonicalUri: canonicalUri(path),
    canonicalQuery: canonicalQueryString(parseQuery(query)),
    canonicalHeaders: canonicalHeaders(lower, signedHeaders),
    signedHeaders: signedHeaders.join(';'),
    payloadHash,
  });
  const scope = `${date}/${input.region}/${service}/aws4_request`;
  const stringToSign = buildStringToSign(ALGORITHM, amzDate, scope, canonicalRequest);
  const signature = hmacSha256(deriveSigningKey(input.secretAccessKey, date, input.region, service), stringToSign).toString('hex');
  headers.authorization = `${ALGORITHM} Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return headers;
}
