/** bench/requests.ts: the benchmark's GET with Origin is signed as a browser's script signs it. */
import t from 'tap';
import { CORS_ORIGIN, CROSSBUCKET_CREDENTIALS, getObjectRequest } from '../../bench/requests';

t.test('a GET with Origin carries the Origin unsigned', async (t) => {
  const target = { origin: 'http://127.0.0.1:9000', creds: CROSSBUCKET_CREDENTIALS };
  const withOrigin = getObjectRequest(target, 'k', 'GET', CORS_ORIGIN);
  const without = getObjectRequest(target, 'k', 'GET');
  t.equal(withOrigin.headers.origin, CORS_ORIGIN, 'the Origin is sent');
  const signedHeaders = (r: typeof without) => /SignedHeaders=([^,]+)/.exec(r.headers.authorization ?? '')?.[1];
  t.equal(signedHeaders(withOrigin), 'host;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date', 'Origin is not among the signed headers');
  t.equal(signedHeaders(withOrigin), signedHeaders(without), 'the same headers signed as without an Origin');
  t.notOk('origin' in without.headers, 'no Origin when none is given');
});
