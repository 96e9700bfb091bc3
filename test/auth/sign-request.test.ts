/**
 * signRequestV4 (server/auth/sign-request.ts), the signer of `crossbucket explain`: the same
 * Authorization header as the AWS SDK's own signer, so it is not merely consistent with our
 * verifier (which shares its canonical-request code).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import t from 'tap';
import { signRequestV4 } from '../../server/auth/sign-request';

t.test('signRequestV4 – agrees with @smithy/signature-v4', async (t) => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const now = new Date('2024-05-06T07:08:09Z');
  const query = { bucket: 'site', origin: 'http://app.test:5173', method: 'put', header: 'content-type,x-amz-date', key: 'a b/ü(1)*' };
  const enc = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const rawQuery = Object.entries(query).map(([k, v]) => `${k}=${enc(v)}`).join('&');
  const ours = signRequestV4({ method: 'GET', rawUrl: `/_crossbucket/explain?${rawQuery}`, host: '127.0.0.1:9000', ...credentials, region: 'eu-west-3', now });
  const signer = new SignatureV4({ service: 's3', region: 'eu-west-3', credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const theirs = await signer.sign({
    method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: '/_crossbucket/explain', query,
    headers: { host: '127.0.0.1:9000', 'x-amz-content-sha256': ours['x-amz-content-sha256'] ?? '' },
  } as never, { signingDate: now }) as unknown as { headers: Record<string, string> };
  t.equal(ours['x-amz-date'], '20240506T070809Z');
  t.equal(ours.authorization, theirs.headers.authorization);
  t.match(ours.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240506\/eu-west-3\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
});
