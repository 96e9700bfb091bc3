/**
 * The website endpoint's HTML pages (docs/spec/website.md §4): never XML. One list of Code,
 * Message, the error's own item (Key, BucketName, Method and ResourceType), RequestId and
 * HostId; a failed ErrorDocument adds a second list.
 */
import { STATUS_CODES } from 'node:http';

export interface PageError {
  status: number;
  code: string;
  message: string;
  /** The items between Message and RequestId, in order. */
  items?: Array<[string, string]>;
}

/** UNVERIFIED(S3): values are HTML-escaped. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function li(name: string, value: string): string {
  return `<li>${name}: ${escapeHtml(value)}</li>`;
}

export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

/** §4: lines joined by `\n`, with a trailing `\n`. */
export function errorPage(err: PageError, requestId: string, hostId: string, errorDocument?: { code: string; message: string; key: string }): string {
  const title = statusLine(err.status);
  const lines = [
    '<html>', `<head><title>${title}</title></head>`, '<body>', `<h1>${title}</h1>`, '<ul>',
    li('Code', err.code), li('Message', err.message),
    ...(err.items ?? []).map(([name, value]) => li(name, value)),
    li('RequestId', requestId), li('HostId', hostId), '</ul>',
  ];
  if (errorDocument !== undefined) {
    lines.push(
      '<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>', '<ul>',
      li('Code', errorDocument.code), li('Message', errorDocument.message), li('Key', errorDocument.key), '</ul>',
    );
  }
  lines.push('<hr/>', '</body>', '</html>');
  return lines.join('\n') + '\n';
}
