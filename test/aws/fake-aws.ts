/**
 * A tiny AWS-like endpoint on 127.0.0.1 for the transport's tests: every request's signature is
 * checked by the local stores' verifier (proven against AWS's own signer in
 * test/local-aws/sigv4.test.ts) and refused as the protocol's service refuses it; then `answer`
 * decides what the service says.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { refusal } from '../../src/local-aws/auth.js';
import { type Verified, verifySigV4 } from '../../src/local-aws/sigv4.js';
import type { LocalAwsCredentials } from '../../src/local-aws/types.js';
import { failureAnswer, writeAnswer } from '../../src/local-aws/wire.js';

export const CREDENTIALS: LocalAwsCredentials = {
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

/** The wire format whose refusals a protocol's services answer with. */
const FORMAT = { json: 'ssm', 'rest-json': 'appconfig', 'rest-xml': 's3' } as const;

export async function startFakeAws(
  answer: Answer,
  protocol: 'json' | 'rest-json' | 'rest-xml' = 'json',
): Promise<FakeAws> {
  const received: Received[] = [];
  const state = { clockOffsetMs: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const now = Date.now() + state.clockOffsetMs;
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      const verdict = verifySigV4(request, { credentials: CREDENTIALS, now });
      if (!verdict.ok) {
        const refused = failureAnswer(FORMAT[protocol], refusal(verdict, FORMAT[protocol], now));
        // The server's clock in `Date`: a client learns its skew from it.
        return writeAnswer(res, FORMAT[protocol], {
          ...refused,
          headers: { ...refused.headers, date: new Date(now).toUTCString() },
        });
      }
      const entry = {
        method: request.method,
        url: request.url,
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
