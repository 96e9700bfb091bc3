/**
 * The SigV4 credential: `<access key id>/<YYYYMMDD>/<region>/<service>/aws4_request`
 * (AWS SigV4, "Credential scope").
 */
import { isShortDate } from './amz-date';
import { lastAnswer } from './last-answer';

export interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  /** `date/region/service/aws4_request`. */
  scope: string;
}

export type CredentialProblem =
  | { problem: 'malformed' }
  | { problem: 'date'; value: string }
  | { problem: 'service'; value: string }
  | { problem: 'terminal'; value: string };

/**
 * Parses a credential. The last four `/` parts are the scope; what precedes them is the access
 * key id. Any region is accepted (the configured one is used only in error text).
 */
export const parseCredential: (value: string) => Credential | CredentialProblem =
  // A client signs request after request with the same credential: the last one parsed is reused.
  lastAnswer((value: string) => Object.freeze(parse(value)));

function parse(value: string): Credential | CredentialProblem {
  const parts = value.split('/');
  if (parts.length < 5) return { problem: 'malformed' };
  const [date, region, service, terminal] = parts.slice(-4) as [string, string, string, string];
  const accessKeyId = parts.slice(0, -4).join('/');
  if (accessKeyId === '' || region === '') return { problem: 'malformed' };
  if (!isShortDate(date)) return { problem: 'date', value: date };
  if (service !== 's3') return { problem: 'service', value: service };
  if (terminal !== 'aws4_request') return { problem: 'terminal', value: terminal };
  return { accessKeyId, date, region, service, scope: `${date}/${region}/${service}/${terminal}` };
}

export function isCredentialProblem(c: Credential | CredentialProblem): c is CredentialProblem {
  return 'problem' in c;
}
