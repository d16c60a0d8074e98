/**
 * An endpoint on 127.0.0.1 that answers whatever a test tells it to, as a broken AWS endpoint, a
 * proxy in the way or another service on a port would: an error answer quoting the credentials, an
 * HTML page with a 200, a body that never ends. It records every request, and when each one's
 * connection closed (so a test can tell that the client gave up on a request, with no timing).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Resolves when the request's connection closes (the client aborted, or the answer ended). */
  closed: Promise<void>;
}

export type Answer = (req: Seen, res: ServerResponse) => void;

export interface HostileEndpoint {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  port: number;
  seen: Seen[];
  /** What the endpoint answers from now on. */
  answer: Answer;
  close(): Promise<void>;
}

export async function startHostileEndpoint(answer: Answer): Promise<HostileEndpoint> {
  const state = { answer, seen: [] as Seen[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closed,
      };
      state.seen.push(entry);
      state.answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** Writes `chunk` for as long as the client reads (an answer that never ends); stops when it goes away. */
export function endless(res: ServerResponse, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  const chunk = Buffer.alloc(16 * 1024, 'x');
  const more = () => {
    while (!res.destroyed && res.write(chunk)) {
      // keep writing until the socket's buffer is full
    }
  };
  res.on('drain', more);
  more();
}

/** An answer that never comes: the request is read, and nothing is sent. */
export function never(): void {}
