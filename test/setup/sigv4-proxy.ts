/**
 * A reverse proxy that lets through only requests AWS would accept: every request's SigV4
 * signature is recomputed by `verifySigV4` (AWS's own signer); a mismatch gets AWS's error answer,
 * anything else goes on to `target` (s3rver, which checks no signature) unchanged.
 *
 * @example
 * ```ts
 * const proxy = await startSigV4Proxy({ target: s3Server().endpoint,
 *   credentials: [{ accessKeyId: 'S3RVER', secretAccessKey: 'a secret+/with spaces', sessionToken: 't' }] });
 * vi.stubEnv('AWS_ENDPOINT_URL_S3', proxy.endpoint);
 * proxy.clockOffsetMs = 60 * 60_000;   // the server's clock an hour ahead: RequestTimeTooSkewed
 * proxy.verdicts;                      // every request's verdict, oldest first
 * await proxy.close();
 * ```
 * (s3rver only knows the access key id `S3RVER`, so keep that id and vary the secret and token.)
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type KnownCredentials,
  type Rejected,
  sendAwsError,
  type Verified,
  verifySigV4,
} from './sigv4-verify.js';

export interface SigV4Proxy {
  /** `http://127.0.0.1:PORT`. */
  endpoint: string;
  /** Added to the proxy's clock (simulates a client whose clock is off by minus this). */
  clockOffsetMs: number;
  /** Every request's verdict, oldest first. */
  readonly verdicts: (Verified | Rejected)[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startSigV4Proxy(opts: {
  target: string;
  credentials: KnownCredentials[];
  protocol?: 'rest-xml' | 'json' | 'rest-json';
}): Promise<SigV4Proxy> {
  const target = new URL(opts.target);
  const proxy = {
    endpoint: '',
    clockOffsetMs: 0,
    verdicts: [] as (Verified | Rejected)[],
    close: async () => {},
  };
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const now = Date.now() + proxy.clockOffsetMs;
    const verdict = await verifySigV4(
      { method: req.method, url: req.url, headers: req.headers, body },
      { credentials: opts.credentials, now },
    );
    proxy.verdicts.push(verdict);
    if (!verdict.ok) return sendAwsError(res, opts.protocol ?? 'rest-xml', verdict, now);
    const upstream = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
