/**
 * The command line: `crossbucket [serve] [options]` starts the server; `crossbucket explain`
 * asks a running server why a browser request would be allowed or refused.
 */
import { parseCliConfig, usage } from './cli-config';
import { runExplain } from './explain-cli';
import { start } from './start';

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'explain') {
    process.exitCode = await runExplain(argv.slice(1));
    return;
  }
  if (argv[0] === 'serve') argv = argv.slice(1);
  const parsed = parseCliConfig(argv, process.env);
  if (parsed.help) {
    process.stdout.write(usage());
    return;
  }
  const o = parsed.options;
  const running = await start({
    port: o.port, host: o.host, dataDir: o.dataDir, durability: o.durability,
    config: o.config, logLevel: o.logLevel, prettyLogs: o.prettyLogs ?? process.stdout.isTTY === true,
  });
  const { accessKeyId, secretAccessKey } = running.credentials;
  const lines = [
    `crossbucket listening on ${running.endpoint}  (data: ${running.dataDir})`,
    `  credentials: AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_DEFAULT_REGION=${running.region}`,
    `  try:         aws --endpoint-url ${running.endpoint} s3 ls`,
  ];
  if (o.config.authMode === 'permissive') {
    lines.push('  !!! PERMISSIVE AUTH: any credentials are accepted and act as the first user. Signatures are NOT checked. !!!');
  }
  process.stderr.write(lines.join('\n') + '\n');
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    running.app.log.info({ signal }, 'shutting down');
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
