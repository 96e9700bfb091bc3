/**
 * The environment of a spawned client (aws-cli, boto3, the crossbucket CLI): the machine's own
 * (PATH, HOME, pyenv...) without any AWS_* setting of the caller's, which would change how the
 * client signs, retries or words its errors (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, AWS_PROFILE...).
 */
export function clientEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return { ...env, AWS_PAGER: '', ...extra };
}
