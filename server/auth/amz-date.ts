/**
 * SigV4 timestamps. AWS SigV4: "The date must be in ISO 8601 basic format, YYYYMMDD'T'HHMMSS'Z'"
 * (the X-Amz-Date header or parameter), and the credential scope uses "YYYYMMDD".
 */
import { lastAnswer } from './last-answer';

const SHORT_DATE = /^\d{8}$/;

/** The number written by the ASCII digits value[from, to), or -1 if one is not a digit. */
function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Parses `20150830T123600Z` (exactly `YYYYMMDD'T'HHMMSS'Z'`); undefined when the text is not
 * that form or not a date. Read digit by digit: no match arrays on every signed request. A new
 * Date each time (callers may keep it), from the previous request's time when the text repeats
 * (requests signed in the same second).
 */
export function parseAmzDate(value: string): Date | undefined {
  const ms = amzDateMs(value);
  return ms === undefined ? undefined : new Date(ms);
}

const amzDateMs = lastAnswer((value: string): number | undefined => parseDigits(value)?.getTime());

function parseDigits(value: string): Date | undefined {
  if (value.length !== 16 || value.charCodeAt(8) !== 0x54 || value.charCodeAt(15) !== 0x5a) return undefined;
  const y = digits(value, 0, 4);
  const mo = digits(value, 4, 6);
  const d = digits(value, 6, 8);
  const h = digits(value, 9, 11);
  const mi = digits(value, 11, 13);
  const s = digits(value, 13, 15);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
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
