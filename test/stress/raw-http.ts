/**
 * Bytes on a TCP socket, for requests no HTTP client will send: lying lengths, broken
 * aws-chunked framing, oversized headers, a client that hangs up mid-body.
 */
import { connect } from 'node:net';

export interface RawResponse {
  status: number | undefined;
  headers: Record<string, string>;
  body: string;
  /** Everything received, unparsed. */
  raw: string;
  /** The server closed or reset the connection. */
  closed: boolean;
}

function parse(raw: Buffer): { status: number; headers: Record<string, string>; body: Buffer; complete: boolean } | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = raw.subarray(end + 4);
  const length = headers['content-length'];
  return { status, headers, body, complete: length !== undefined && body.length >= Number(length) };
}

/**
 * Writes `chunks` (pausing `pauseMs` between them), half-closes if `end`, and resolves with
 * the first complete response, or with what arrived when the server closed the connection or
 * `waitMs` passed.
 */
export function rawRequest(endpoint: string, chunks: Array<string | Buffer>, options: { end?: boolean; destroy?: boolean; waitMs?: number; pauseMs?: number } = {}): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const raw = Buffer.concat(received);
      const parsed = parse(raw);
      socket.destroy();
      resolve({
        status: parsed?.status, headers: parsed?.headers ?? {}, body: parsed?.body.toString('utf8') ?? '',
        raw: raw.toString('latin1'), closed,
      });
    };
    const timer = setTimeout(() => finish(false), options.waitMs ?? 10_000);
    socket.on('data', (d: Buffer) => {
      received.push(d);
      if (parse(Buffer.concat(received))?.complete) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', async () => {
      for (const c of chunks) {
        if (socket.destroyed) return;
        socket.write(c);
        if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
      }
      if (options.destroy) socket.destroy();
      else if (options.end) socket.end();
    });
  });
}

/** `METHOD path HTTP/1.1` + headers + blank line. */
export function head(method: string, path: string, headers: Record<string, string | number>): string {
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
}

export interface Conversation {
  /** Everything the server sent. */
  text: string;
  /** The server closed the connection before the client's time limit. */
  closed: boolean;
  ms: number;
}

/**
 * Writes each step (a string, or a pause in ms), then collects what the server sends until it
 * closes the connection, `until` matches what arrived, or `waitMs` passes.
 */
export function converse(port: number, steps: Array<string | Buffer | number>, options: { waitMs?: number; until?: (text: string) => boolean } = {}): Promise<Conversation> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), options.waitMs ?? 5000);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (options.until?.(Buffer.concat(chunks).toString('latin1'))) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', async () => {
      for (const step of steps) {
        if (socket.destroyed) return;
        if (typeof step === 'number') await new Promise((r) => setTimeout(r, step));
        else socket.write(step);
      }
    });
  });
}

/** The status codes of every response in `text`, in order. */
export function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
}
