import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small Lambda Runtime API (the interface the Lambda service offers a runtime inside one
 * execution environment): the runtime polls `GET .../invocation/next`, answers with
 * `POST .../invocation/{id}/response` or `/error`, and reports a failed init with `POST .../init/error`.
 * One server serves one runtime process: one execution environment.
 */

/** How Lambda reports a function error: the body the runtime posts. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** One invocation, as the caller of Lambda sees it. */
export interface Invocation {
  requestId: string;
  /** The handler's result, or the error Lambda would report. */
  outcome: { ok: true; result: unknown } | { ok: false; error: LambdaError };
  /** From the event being handed to the runtime to its answer: Lambda's "Duration". */
  durationMs: number;
  /** From `invoke()` to the answer, waiting for the init included. */
  totalMs: number;
}

interface Pending {
  requestId: string;
  body: string;
  deadlineMs: number;
  calledAt: number;
  deliveredAt?: number;
  resolve(invocation: Invocation): void;
  reject(error: Error): void;
}

const PREFIX = '/2018-06-01/runtime';

export class RuntimeApi {
  /** `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  readonly address: string;
  /** When the runtime first asked for work: the end of its init. */
  firstPollAt: number | undefined;
  /** Resolves when the runtime reports a failed init. */
  readonly initError: Promise<LambdaError>;
  private readonly queue: Pending[] = [];
  private readonly inflight = new Map<string, Pending>();
  private waiting: ServerResponse | undefined;
  private reportInitError!: (error: LambdaError) => void;

  private constructor(private readonly server: ReturnType<typeof createServer>) {
    const { port } = server.address() as AddressInfo;
    this.address = `127.0.0.1:${port}`;
    this.initError = new Promise((resolve) => {
      this.reportInitError = resolve;
    });
    server.on('request', (req, res) => void this.route(req, res));
  }

  /** Starts a server on a free port of 127.0.0.1. */
  static async start(): Promise<RuntimeApi> {
    const server = createServer({ keepAlive: true });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RuntimeApi(server);
  }

  /** Queues an event for the runtime and resolves with its answer. */
  invoke(event: unknown, { timeoutMs = 30_000 } = {}): Promise<Invocation> {
    return new Promise((resolve, reject) => {
      const calledAt = performance.now();
      const pending: Pending = {
        requestId: randomUUID(),
        body: JSON.stringify(event),
        deadlineMs: Date.now() + timeoutMs,
        calledAt,
        resolve,
        reject,
      };
      this.queue.push(pending);
      this.dispatch();
    });
  }

  /** Fails every invocation not answered yet (the runtime process died). */
  abandon(reason: string): void {
    for (const pending of [...this.queue, ...this.inflight.values()]) pending.reject(new Error(reason));
    this.queue.length = 0;
    this.inflight.clear();
  }

  async close(): Promise<void> {
    this.abandon('the Runtime API was closed');
    this.waiting?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private dispatch(): void {
    const res = this.waiting;
    const next = this.queue.shift();
    if (!res || !next) {
      if (next) this.queue.unshift(next);
      return;
    }
    this.waiting = undefined;
    next.deliveredAt = performance.now();
    this.inflight.set(next.requestId, next);
    res.writeHead(200, {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': next.requestId,
      'lambda-runtime-deadline-ms': String(next.deadlineMs),
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
      'lambda-runtime-trace-id': `Root=1-${Date.now().toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    });
    res.end(next.body);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) {
      this.firstPollAt ??= performance.now();
      this.waiting = res;
      this.dispatch();
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === 'POST' && match)
      return this.answer(decodeURIComponent(match[1] ?? ''), match[2], body, res);
    if (req.method === 'POST' && url === `${PREFIX}/init/error`) {
      this.reportInitError(parseError(body));
      return accepted(res);
    }
    res.writeHead(404).end();
  }

  private answer(requestId: string, kind: string | undefined, body: string, res: ServerResponse): void {
    const pending = this.inflight.get(requestId);
    if (!pending) {
      res.writeHead(400).end();
      return;
    }
    this.inflight.delete(requestId);
    const now = performance.now();
    const outcome =
      kind === 'response'
        ? { ok: true as const, result: body === '' ? null : JSON.parse(body) }
        : { ok: false as const, error: parseError(body) };
    pending.resolve({
      requestId,
      outcome,
      durationMs: now - (pending.deliveredAt ?? pending.calledAt),
      totalMs: now - pending.calledAt,
    });
    accepted(res);
  }
}

function accepted(res: ServerResponse): void {
  res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
}

function parseError(body: string): LambdaError {
  const parsed = JSON.parse(body) as Partial<LambdaError>;
  return {
    errorType: String(parsed.errorType),
    errorMessage: String(parsed.errorMessage),
    ...(parsed.trace ? { trace: parsed.trace } : {}),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
