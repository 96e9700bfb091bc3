/** Query parameters every S3 listing shares: page sizes and `encoding-type=url`. */
import type { S3Context } from '../context';
import { S3Error } from '../errors';

/** A non-negative integer query parameter (InvalidArgument otherwise); capped at `cap`. */
export function intParam(ctx: S3Context, name: string, fallback: number, cap = Number.MAX_SAFE_INTEGER): number {
  const v = ctx.query.get(name);
  if (v === undefined) return fallback;
  if (!/^\d{1,10}$/.test(v) || Number(v) > 2147483647) {
    throw new S3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: v });
  }
  return Math.min(Number(v), cap);
}

/** `encoding-type=url`: keys and prefixes percent-encoded in the reply (slashes kept). */
export function keyEncoder(ctx: S3Context): (s: string) => string {
  const type = ctx.query.get('encoding-type');
  if (type === undefined) return (s) => s;
  if (type !== 'url') throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: type });
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}
