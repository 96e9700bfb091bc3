/**
 * The rate workloads' client: keep-alive sockets, one request in flight on each, that write a
 * request's bytes (built once per signed request) and read from the answer only what the
 * measurement needs: the status, the framing (Content-Length or chunked), whether
 * Access-Control-Allow-Origin came, and the body of an error.
 *
 * Why not undici: on this 2-core machine undici's Pool spent 60-70 µs of the client core per small
 * request, and the client core sat at 95-100% through the preflight, HEAD and GET runs, so those
 * rows measured the client, not the server (the bare node:http ceiling was held to the same rate).
 * This client spends ~25 µs per request and leaves the server core the slower side.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { SignedRequest } from './sigv4';

/** `end`: when the last body byte arrived (performance.now()), before any client-side decoding. */
export interface Outcome { status: number; bytes: number; cors: boolean; end: number; body?: string }

export interface Sender {
  send(r: SignedRequest, body?: Buffer, keepBody?: boolean): Promise<Outcome>;
  close(): Promise<void>;
}

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
/** Each connection's read buffer: a large GET's download arrives in reads of up to this much. */
const READ_BUFFER_BYTES = 1024 * 1024;
const CRLF = Buffer.from('\r\n', 'latin1');

/** A request's head, built once per signed request (the GET pool reuses each one many times). */
const heads = new WeakMap<SignedRequest, Buffer>();

function headOf(r: SignedRequest, bodyLength: number | undefined): Buffer {
  let head = heads.get(r);
  if (head !== undefined) return head;
  let text = `${r.method} ${r.url} HTTP/1.1\r\n`;
  let length = false;
  for (const [name, value] of Object.entries(r.headers)) {
    text += `${name}: ${value}\r\n`;
    if (name.toLowerCase() === 'content-length') length = true;
  }
  if (bodyLength !== undefined && !length) text += `content-length: ${bodyLength}\r\n`;
  head = Buffer.from(`${text}\r\n`, 'latin1');
  heads.set(r, head);
  return head;
}

interface Pending {
  method: string;
  keepBody: boolean;
  resolve(o: Outcome): void;
  reject(e: Error): void;
}

/** One connection: parses each answer as its bytes arrive. */
class Connection {
  readonly socket: Socket;
  private buf: Buffer | null = null;
  private pending: Pending | null = null;
  /** Once the head is read: the answer's state. */
  private status = 0;
  private cors = false;
  private chunked = false;
  private close = false;
  private headRead = false;
  /** Content-Length framing: where the body ends in `buf`. Chunked: where the next chunk line starts. */
  private at = 0;
  private bodyBytes = 0;
  private body: Buffer[] | null = null;
  /** A Content-Length body that is not kept: only its bytes are counted (`received` of `at`). */
  private counting = false;
  private received = 0;
  dead = false;

  constructor(port: number, host: string, private readonly onIdle: (c: Connection) => void) {
    // Reads land in the connection's own buffer, reused: node's default allocates a new 64 KiB
    // buffer per read, and a large GET's download held the client core at 92-95% that way
    // (docs/benchmarks.md, "Issue 19, seventeenth round").
    this.socket = connect({ port, host, onread: { buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES), callback: (n, buf) => this.read(n, buf as Buffer) } });
    this.socket.setNoDelay(true);
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  send(head: Buffer, body: Buffer | undefined, p: Pending): void {
    this.pending = p;
    if (body === undefined || body.length === 0) {
      this.socket.write(head);
    } else {
      this.socket.cork();
      this.socket.write(head);
      this.socket.write(body);
      this.socket.uncork();
    }
  }

  private fail(err: Error): void {
    this.dead = true;
    const p = this.pending;
    this.pending = null;
    if (p !== null) p.reject(err);
  }

  /** `n` bytes read into `buf`, which the next read overwrites: counted in place, or copied to be parsed. */
  private read(n: number, buf: Buffer): boolean {
    if (this.counting && this.pending !== null) this.count(n);
    else this.data(Buffer.from(buf.subarray(0, n)));
    return true;
  }

  private data(chunk: Buffer): void {
    if (this.pending === null) { this.socket.destroy(); this.fail(new Error('bytes arrived with no request in flight')); return; }
    if (this.counting) { this.count(chunk.length); return; }
    this.buf = this.buf === null ? chunk : Buffer.concat([this.buf, chunk]);
    if (!this.headRead && !this.readHead()) return;
    const buf = this.buf;
    let done: boolean;
    if (this.chunked) {
      done = this.readChunks(buf);
      // The chunks walked are dropped: the next read is appended to the unread rest only (a
      // large chunked download appended to all of it copied the whole body again per read).
      if (!done) { this.buf = buf.subarray(this.at); this.at = 0; }
    } else {
      done = buf.length >= this.at;
      if (buf.length > this.at) { this.socket.destroy(); this.fail(new Error('more bytes than the answer framed')); return; }
    }
    if (done) this.finish(buf);
  }

  /** false: the head is not complete yet. */
  private readHead(): boolean {
    const buf = this.buf as Buffer;
    const end = buf.indexOf(HEAD_END);
    if (end < 0) return false;
    const head = buf.toString('latin1', 0, end).toLowerCase();
    const p = this.pending as Pending;
    this.status = Number(head.slice(9, 12));
    this.cors = head.includes('\r\naccess-control-allow-origin:');
    this.chunked = head.includes('\r\ntransfer-encoding: chunked');
    this.close = head.includes('\r\nconnection: close');
    const bodyStart = end + 4;
    let length = 0;
    const cl = head.indexOf('\r\ncontent-length:');
    if (cl >= 0) length = Number.parseInt(head.slice(cl + 17), 10);
    if (p.method === 'HEAD' || this.status === 204 || this.status === 304) { length = 0; this.chunked = false; }
    this.headRead = true;
    this.body = p.keepBody || this.status >= 300 ? [] : null;
    this.bodyBytes = 0;
    this.buf = buf.subarray(bodyStart);
    this.at = this.chunked ? 0 : length;
    if (!this.chunked && this.body === null) {
      // A body nobody reads (a large GET): counted as it arrives, never gathered.
      this.counting = true;
      const already = this.buf.length;
      this.buf = null;
      this.received = 0;
      this.count(already);
      return false;
    }
    return true;
  }

  /** Counting mode: `n` more body bytes arrived. */
  private count(n: number): void {
    this.received += n;
    if (this.received > this.at) { this.socket.destroy(); this.fail(new Error('more bytes than the answer framed')); return; }
    if (this.received === this.at) {
      this.counting = false;
      this.finish(null);
    }
  }

  /** Walks whole chunks from `at`; true once the last (empty) chunk and its CRLF are in. */
  private readChunks(buf: Buffer): boolean {
    for (;;) {
      const line = buf.indexOf(CRLF, this.at);
      if (line < 0) return false;
      const size = Number.parseInt(buf.toString('latin1', this.at, line), 16);
      const dataStart = line + 2;
      if (size === 0) {
        if (buf.indexOf(HEAD_END, line) !== line) return false;
        this.at = line + 4;
        return true;
      }
      if (buf.length < dataStart + size + 2) return false;
      this.bodyBytes += size;
      if (this.body !== null) this.body.push(buf.subarray(dataStart, dataStart + size));
      this.at = dataStart + size + 2;
    }
  }

  private finish(buf: Buffer | null): void {
    const end = performance.now();
    const p = this.pending as Pending;
    const bytes = this.chunked ? this.bodyBytes : this.at;
    const out: Outcome = { status: this.status, bytes, cors: this.cors, end };
    if (this.body !== null && buf !== null) {
      const parts = this.chunked ? this.body : [buf.subarray(0, this.at)];
      out.body = Buffer.concat(parts).toString('utf8');
    }
    this.pending = null;
    this.buf = null;
    this.headRead = false;
    this.body = null;
    if (this.close) { this.dead = true; this.socket.end(); }
    p.resolve(out);
    if (!this.dead) this.onIdle(this);
  }
}

export function rawSender(origin: string, connections: number): Sender {
  const url = new URL(origin);
  const port = Number(url.port);
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const waiting: Array<() => void> = [];
  const onIdle = (c: Connection): void => {
    const next = waiting.shift();
    if (next !== undefined) { idle.push(c); next(); } else idle.push(c);
  };
  function take(): Connection | undefined {
    for (let c = idle.pop(); c !== undefined; c = idle.pop()) if (!c.dead) return c;
    for (const c of all) if (c.dead) all.delete(c);
    if (all.size >= connections) return undefined;
    const c = new Connection(port, url.hostname, onIdle);
    all.add(c);
    return c;
  }
  return {
    async send(r, body, keepBody = false) {
      let c = take();
      while (c === undefined) {
        await new Promise<void>((resolve) => waiting.push(resolve));
        c = take();
      }
      const conn = c;
      const head = headOf(r, body?.length);
      return new Promise<Outcome>((resolve, reject) => conn.send(head, body, { method: r.method, keepBody, resolve, reject }));
    },
    async close() {
      for (const c of all) c.socket.destroy();
      all.clear();
    },
  };
}
