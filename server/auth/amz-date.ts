/**
 * SigV4 timestamps. AWS SigV4: "The date must be in ISO 8601 basic format, YYYYMMDD'T'HHMMSS'Z'"
 * (the X-Amz-Date header or parameter), and the credential scope uses "YYYYMMDD".
 */

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SHORT_DATE = /^\d{8}$/;

/** Parses `20150830T123600Z`; undefined when the text is not exactly that form or not a date. */
export function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(ms);
  // Reject roll-overs such as month 13 or 31 February.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  return date;
}

/** True for a credential-scope date `YYYYMMDD`. */
export function isShortDate(value: string): boolean {
  return SHORT_DATE.test(value);
}

/** `2015-08-30T12:36:00.000Z` → `20150830T123600Z`. */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** S3's `<ServerTime>` form: ISO 8601 without milliseconds, `2015-06-04T22:26:16Z`. */
export function formatIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
