/**
 * s3rver (the best-known Node S3 emulator) in its own process, configured like crossbucket is
 * for the benchmark: the same bucket, the same ten CORS rules (s3rver takes them as XML through
 * `configureBuckets`), files in a temp directory, logging off. Node 20 needs
 * NODE_OPTIONS=--openssl-legacy-provider for its continuation tokens; the orchestrator sets it.
 *
 *   node dist/bench/s3rver-server.js --port P --dir DIR
 */
import { parseArgs } from 'node:util';
import { BUCKET, corsXml } from './requests';

interface S3rverInstance { run(): Promise<{ port: number }>; close(): Promise<void> }
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as S3rverClass;

if (require.main === module) {
  const { values } = parseArgs({ options: { port: { type: 'string' }, dir: { type: 'string' } } });
  const server = new S3rver({
    port: Number(values.port ?? '0'),
    address: '127.0.0.1',
    silent: true,
    directory: values.dir,
    configureBuckets: [{ name: BUCKET, configs: [corsXml()] }],
  });
  server.run().catch((err: unknown) => {
    process.stderr.write(`s3rver: ${String(err)}\n`);
    process.exit(1);
  });
  process.on('SIGTERM', () => { server.close().then(() => process.exit(0), () => process.exit(1)); });
}
