/**
 * Issue 3, word for word: a cloud provider's "Setting CORS rules on a bucket" guide run with the
 * real `aws` CLI and curl against crossbucket (docs/spec/cors.md §1D, §1B).
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { startServer, tempDir } from '../helpers/server';
import { clientEnv } from '../helpers/client-env';

/** The issue's cors.json, byte for byte. */
const CORS_JSON = `{"CORSRules": [{
  "AllowedOrigins": ["http://localhost:5173", "http://www.localhost:5173"],
  "AllowedHeaders": ["*"],
  "AllowedMethods": ["GET", "HEAD", "POST", "PUT", "DELETE"],
  "MaxAgeSeconds": 3000,
  "ExposeHeaders": ["Etag"]
}]}
`;

function available(command: string): string | undefined {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout}${r.stderr}`.trim() : undefined;
}

const awsVersion = available('aws');
const curlVersion = available('curl');
if (awsVersion === undefined || curlVersion === undefined) {
  const missing = `aws-cli CORS e2e: ${awsVersion === undefined ? '`aws`' : '`curl`'} is not installed`;
  if (process.env.CI) {
    t.fail(`${missing}; CI must install it (Debian: apt-get install -y awscli curl)`);
  } else {
    process.stderr.write(`\n!!! ${missing}: SKIPPING the aws-cli CORS test !!!\n\n`);
    t.plan(0, `SKIPPED: ${missing}`);
  }
} else {
  t.test('aws-cli + curl: put-bucket-cors, get-bucket-cors, a preflight to site.localhost, delete-bucket-cors', async (t) => {
    const s = await startServer();
    t.teardown(() => s.close());
    const dir = tempDir('cb-awscli-');
    t.teardown(() => dir.remove());
    writeFileSync(join(dir.dir, 'cors.json'), CORS_JSON);
    // The machine's environment (PATH, HOME, pyenv...) without any AWS_* setting of its own.
    const env: NodeJS.ProcessEnv = clientEnv();
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: 'crossbucket', AWS_SECRET_ACCESS_KEY: 'crossbucket-secret', AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(dir.dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir.dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
    });
    const run = (command: string, args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(command, args, { cwd: dir.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', `http://localhost:${s.port}`, ...args]);
    // crossbucket listens on 127.0.0.1 only; aws-cli resolves localhost itself.
    let r = await aws('s3api', 'create-bucket', '--bucket', 'site');
    t.equal(r.code, 0, r.stderr);

    r = await aws('s3api', 'put-bucket-cors', '--bucket', 'site', '--cors-configuration', 'file://cors.json');
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, '', 'put-bucket-cors prints nothing');

    r = await aws('s3api', 'get-bucket-cors', '--bucket', 'site');
    t.equal(r.code, 0, r.stderr);
    t.strictSame(JSON.parse(r.stdout), JSON.parse(CORS_JSON), 'get-bucket-cors prints the JSON that was put');

    // curl resolves *.localhost to loopback itself.
    const preflight = async (origin: string) => {
      const c = await run('curl', ['-s', '-i', '-X', 'OPTIONS', '-H', `Origin: ${origin}`, '-H', 'Access-Control-Request-Method: GET', `http://site.localhost:${s.port}/index.html`]);
      t.equal(c.code, 0, c.stderr);
      const [head = '', body = ''] = c.stdout.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      return { statusLine, headers, body };
    };
    const ok = await preflight('http://localhost:5173');
    t.equal(ok.statusLine, 'HTTP/1.1 200 OK');
    t.match(ok.headers, {
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE',
      'access-control-expose-headers': 'Etag',
      'access-control-max-age': '3000',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
      'content-length': '0',
    });
    t.equal(ok.headers['content-type'], undefined);
    t.equal(ok.body, '');
    const www = await preflight('http://www.localhost:5173');
    t.equal(www.headers['access-control-allow-origin'], 'http://www.localhost:5173', 'the second origin is echoed, not the list');
    const other = await preflight('http://localhost:3000');
    t.equal(other.statusLine, 'HTTP/1.1 403 Forbidden');
    t.equal(other.headers['access-control-allow-origin'], undefined);
    t.match(other.body, '<Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed.');

    r = await aws('s3api', 'delete-bucket-cors', '--bucket', 'site');
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, '');

    r = await aws('s3api', 'get-bucket-cors', '--bucket', 'site');
    // aws-cli v1 exits 255 on a service error, v2 exits 254.
    t.equal(r.code, /^aws-cli\/1\./.test(awsVersion) ? 255 : 254, awsVersion);
    t.equal(r.stdout, '');
    t.equal(r.stderr.trim(), 'An error occurred (NoSuchCORSConfiguration) when calling the GetBucketCors operation: The CORS configuration does not exist');
    const gone = await preflight('http://localhost:5173');
    t.equal(gone.statusLine, 'HTTP/1.1 403 Forbidden');
    t.match(gone.body, '<Message>CORSResponse: CORS is not enabled for this bucket.</Message>');
  });
}
