import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * One HTTP exchange over `node:http` / `node:https`, loaded on first use (only the one the endpoint
 * needs: a Lambda talking to AWS never loads `node:http`'s client for it, a test against 127.0.0.1
 * never loads TLS). Node's global agent keeps connections alive (Node >= 19), so a warm invocation
 * reuses the socket of the last one.
 */

/** A request ready to go out (already signed). */
export interface HttpRequest {
  protocol: 'http:' | 'https:';
  hostname: string;
  port?: number;
  method: string;
  /** Path and query, encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** An answer; `body` is a stream only when the caller asked for one and the status is 2xx. */
export interface HttpResponse<B = Buffer> {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: B;
}

type RequestFn = typeof import('node:https').request;

const modules: Partial<Record<HttpRequest['protocol'], Promise<RequestFn>>> = {};

function requestFn(protocol: HttpRequest['protocol']): Promise<RequestFn> {
  modules[protocol] ??=
    protocol === 'https:'
      ? import('node:https').then((m) => m.request)
      : import('node:http').then((m) => m.request as RequestFn);
  return modules[protocol];
}

/** The reason `signal` fired, as an Error (what the caller's deadline put there). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(typeof reason === 'string' ? reason : 'The operation was aborted');
  error.name = 'AbortError';
  return error;
}

/**
 * Error bodies are small (a code, a message, a request id); a larger one is cut to its start,
 * which holds them, so a 403 with a huge body is still read as the 403 it is.
 */
export const MAX_ERROR_BODY = 64 * 1024;

/** The bound of a 2xx body read into memory when the caller names none. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** The error of an answer above its bound: a failure of that request, never unbounded memory. */
export function tooLargeError(maxBytes: number): Error {
  return Object.assign(new Error(`the answer is larger than ${maxBytes} bytes`), {
    name: 'ResponseTooLarge',
    code: 'ETOOLARGE',
    maxBytes,
  });
}

/**
 * Reads `res` into one Buffer of at most `maxBytes`. Past the bound the read settles first (cut to
 * `maxBytes` when `truncate`, else failed with `ETOOLARGE`) and then the socket is destroyed, so
 * nothing more is read and the destroy's own events cannot settle it another way.
 */
export function readAll(res: IncomingMessage, maxBytes: number, truncate = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
    };
    res.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (total + chunk.length > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - total));
        settle(() => (truncate ? resolve(Buffer.concat(chunks)) : reject(tooLargeError(maxBytes))));
        res.destroy();
        return;
      }
      total += chunk.length;
      chunks.push(chunk);
    });
    res.on('end', () => settle(() => resolve(Buffer.concat(chunks))));
    res.on('error', (err) => settle(() => reject(err)));
    res.on('aborted', () =>
      settle(() => reject(Object.assign(new Error('the answer broke off'), { code: 'ECONNRESET' }))),
    );
    res.on('close', () =>
      settle(() => reject(Object.assign(new Error('the answer broke off'), { code: 'ECONNRESET' }))),
    );
  });
}

/** Where a request connects: its own host, unless a test redirected it (see `redirectConnections`). */
export type ConnectTo = (req: HttpRequest) => Pick<HttpRequest, 'protocol' | 'hostname' | 'port'>;

let connectTo: ConnectTo | undefined;

/**
 * For tests only: connect every request where `to` says (`127.0.0.1` over plain HTTP) while it keeps
 * its own `Host` header, path and signature, so the default AWS host names (`bucket.s3.REGION.
 * amazonaws.com`, FIPS, dual-stack) can be exercised against a local server without DNS, TLS or
 * root. `undefined` restores normal connections. Not exported from the package.
 */
export function redirectConnections(to: ConnectTo | undefined): void {
  connectTo = to;
}

/** The answer's head; the body is left unread (the caller reads or destroys it). */
function exchange(req: HttpRequest, signal: AbortSignal): Promise<IncomingMessage> {
  const to = connectTo?.(req) ?? req;
  return requestFn(to.protocol).then((send) => open(send, { ...req, ...to }, signal));
}

function open(send: RequestFn, req: HttpRequest, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        protocol: req.protocol,
        hostname: req.hostname,
        port: req.port,
        method: req.method,
        path: req.path,
        headers: req.headers,
        signal,
      },
      resolve,
    );
    outgoing.on('error', (err) => {
      if (signal.aborted) return reject(abortReason(signal));
      // A kept-alive socket the server closed while idle (or while a Lambda was frozen): the request
      // never reached the server, so the caller may send it again without counting an attempt.
      if (outgoing.reusedSocket) Object.assign(err, { staleSocket: true });
      reject(err);
    });
    outgoing.end(req.body);
  });
}

/**
 * Sends `req`. A 2xx answer's body is the open stream when `stream` is true, else it is read
 * (up to `maxBytes`, 1 MiB unless given: a larger or endless body fails with `ETOOLARGE` and the
 * connection is closed); any other answer's body is read (its first 64 KiB) for the error it carries.
 * Rejects with Node's error (`code` `ECONNREFUSED`, ...) or, once `signal` fires, with its reason.
 */
export async function httpSend(
  req: HttpRequest,
  opts: { signal: AbortSignal; stream?: boolean; maxBytes?: number },
): Promise<HttpResponse<Buffer | IncomingMessage>> {
  const { signal } = opts;
  if (signal.aborted) throw abortReason(signal);
  const res = await exchange(req, signal);
  const statusCode = res.statusCode ?? 0;
  const ok = statusCode >= 200 && statusCode < 300;
  if (ok && opts.stream) return { statusCode, headers: res.headers, body: res };
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (ok && Number(res.headers['content-length']) > maxBytes) {
    res.destroy();
    throw tooLargeError(maxBytes);
  }
  try {
    const body = ok ? await readAll(res, maxBytes) : await readAll(res, MAX_ERROR_BODY, true);
    return { statusCode, headers: res.headers, body };
  } catch (err) {
    throw signal.aborted ? abortReason(signal) : err;
  }
}
