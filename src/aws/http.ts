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

/** Error bodies are small; a larger one is cut (its start holds the code and message). */
const MAX_ERROR_BODY = 64 * 1024;

/** Reads `res` into one Buffer; above `maxBytes` the stream is destroyed and the read fails. */
export function readAll(res: IncomingMessage, maxBytes: number, truncate = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    res.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        if (truncate) {
          chunks.push(chunk);
          res.destroy();
          resolve(Buffer.concat(chunks).subarray(0, maxBytes));
          return;
        }
        res.destroy();
        reject(
          Object.assign(new Error(`the answer is larger than ${maxBytes} bytes`), { code: 'ETOOLARGE' }),
        );
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.on('aborted', () => reject(Object.assign(new Error('the answer broke off'), { code: 'ECONNRESET' })));
  });
}

/** The answer's head; the body is left unread (the caller reads or destroys it). */
function exchange(send: RequestFn, req: HttpRequest, signal: AbortSignal): Promise<IncomingMessage> {
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
    outgoing.on('error', (err) => reject(signal.aborted ? abortReason(signal) : err));
    outgoing.end(req.body);
  });
}

/**
 * Sends `req`. A 2xx answer's body is the open stream when `stream` is true, else it is read
 * (up to `maxBytes`); any other answer's body is read (its first 64 KiB) for the error it carries.
 * Rejects with Node's error (`code` `ECONNREFUSED`, ...) or, once `signal` fires, with its reason.
 */
export async function httpSend(
  req: HttpRequest,
  opts: { signal: AbortSignal; stream?: boolean; maxBytes?: number },
): Promise<HttpResponse<Buffer | IncomingMessage>> {
  const { signal } = opts;
  if (signal.aborted) throw abortReason(signal);
  const res = await exchange(await requestFn(req.protocol), req, signal);
  const statusCode = res.statusCode ?? 0;
  const ok = statusCode >= 200 && statusCode < 300;
  if (ok && opts.stream) return { statusCode, headers: res.headers, body: res };
  try {
    const body = ok
      ? await readAll(res, opts.maxBytes ?? Number.POSITIVE_INFINITY)
      : await readAll(res, MAX_ERROR_BODY, true);
    return { statusCode, headers: res.headers, body };
  } catch (err) {
    throw signal.aborted ? abortReason(signal) : err;
  }
}
