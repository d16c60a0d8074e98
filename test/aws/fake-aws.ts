/**
 * A tiny AWS-like endpoint on 127.0.0.1 for the transport's tests: every request's signature is
 * checked with AWS's own signer (`verifySigV4`), then `answer` decides what the service says.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type KnownCredentials, sendAwsError, type Verified, verifySigV4 } from '../setup/sigv4-verify.js';

export const CREDENTIALS: KnownCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session token/with+odd=chars',
};

/** One request the endpoint received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  verdict: Verified;
}

export type Answer = (req: Received, res: ServerResponse, index: number) => void;

export interface FakeAws {
  endpoint: string;
  /** Added to the server's clock: an hour makes every client's signature RequestTimeTooSkewed. */
  clockOffsetMs: number;
  received: Received[];
  close(): Promise<void>;
}

export async function startFakeAws(
  answer: Answer,
  protocol: 'json' | 'rest-json' | 'rest-xml' = 'json',
): Promise<FakeAws> {
  const received: Received[] = [];
  const state = { clockOffsetMs: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const now = Date.now() + state.clockOffsetMs;
      const verdict = await verifySigV4(
        { method: req.method, url: req.url, headers: req.headers, body },
        { credentials: [CREDENTIALS], now },
      );
      if (!verdict.ok) return sendAwsError(res, protocol, verdict, now);
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: body.toString(),
        verdict,
      };
      received.push(entry);
      answer(entry, res, received.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** `json(res, 200, { ... })`. */
export function json(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', ...headers });
  res.end(JSON.stringify(value));
}

/** The environment the light path reads, pointing every service at `endpoint`. */
export function lightEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDENTIALS.sessionToken ?? '',
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: endpoint,
  };
}
