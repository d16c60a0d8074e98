/**
 * A reverse proxy that lets through only requests AWS would accept: every request's SigV4
 * signature is recomputed by the local stores' verifier (proven against AWS's own signer in
 * test/local-aws/sigv4.test.ts); a refused one gets S3's error answer, anything else goes on to
 * `target` (s3rver, which checks no signature) unchanged.
 *
 * @example
 * ```ts
 * const proxy = await startSigV4Proxy({ target: s3Server().endpoint,
 *   credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'a secret+/with spaces', sessionToken: 't' } });
 * vi.stubEnv('AWS_ENDPOINT_URL_S3', proxy.endpoint);
 * proxy.clockOffsetMs = 60 * 60_000;   // the server's clock an hour ahead: RequestTimeTooSkewed
 * proxy.verdicts;                      // every request's verdict, oldest first
 * await proxy.close();
 * ```
 * (s3rver only knows the access key id `S3RVER`, so keep that id and vary the secret and token.)
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { refusal } from '../../src/local-aws/auth.js';
import { type Rejected, type Verified, verifySigV4 } from '../../src/local-aws/sigv4.js';
import type { LocalAwsCredentials } from '../../src/local-aws/types.js';
import { failureAnswer, writeAnswer } from '../../src/local-aws/wire.js';

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
  credentials: LocalAwsCredentials;
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
    const verdict = verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
      { credentials: opts.credentials, now },
    );
    proxy.verdicts.push(verdict);
    if (!verdict.ok) {
      const refused = failureAnswer('s3', refusal(verdict, 's3', now));
      return writeAnswer(res, 's3', {
        ...refused,
        headers: { ...refused.headers, date: new Date(now).toUTCString() },
      });
    }
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
