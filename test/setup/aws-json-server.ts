/**
 * A local endpoint speaking the AWS JSON 1.1 protocol as the real services do, for SSM and Secrets
 * Manager tests (there is no server to install for them). Started by the test file, on 127.0.0.1 and
 * a free port; the AWS SDK's own clients and strataconf's light transport both talk to it.
 *
 * What it holds to (checked against the SDK's deserializers and the services' answers):
 * - `POST /`, the operation in `X-Amz-Target: <prefix>.<Operation>`, body and answer
 *   `application/x-amz-json-1.1`; any other method, path or content type is refused.
 * - Errors are a JSON body `{ "__type": NAME, <message member>: TEXT }` with HTTP 400 for the
 *   client's errors (throttling and access denied included, as AWS JSON services answer) and 500 for
 *   the service's; `__type` may carry a namespace (`com.amazon.coral.service#AccessDeniedException`),
 *   which the SDK strips. Each answer carries `x-amzn-RequestId`.
 * - An `Authorization` header is required (`MissingAuthenticationTokenException` otherwise); `verify`
 *   checks the SigV4 signature when the test gives one.
 *
 * Faults for failure tests: `fail(fault)` queues one answer that replaces the next request's
 * (`{ status, type, message }`, or `'reset'` to destroy the socket, or `'stall'` to never answer).
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { type KnownCredentials, verifySigV4 } from './sigv4-verify.js';

/** An error the service answers with. */
export interface AwsJsonError {
  status: number;
  /** `__type`: the error's name, with or without a namespace. */
  type: string;
  message?: string;
  /** The member holding the message: `message` or `Message`, as the service's model says. @default 'message' */
  messageKey?: 'message' | 'Message';
}

/** Thrown by an operation handler to answer with an error. */
export class ServiceError extends Error {
  constructor(readonly answer: AwsJsonError) {
    super(answer.type);
  }
}

/** A request as the server received it, for signature checks and assertions. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One line of the request log. */
export interface LoggedCall {
  operation: string;
  input: Record<string, unknown>;
  status: number;
}

export type Verify = (req: ReceivedRequest) => Promise<AwsJsonError | undefined>;

export type Fault = AwsJsonError | 'reset' | 'stall';

interface Decision {
  input: Record<string, unknown>;
  output?: unknown;
  error?: AwsJsonError;
  fault?: 'reset' | 'stall';
}

export type Operation = (input: Record<string, unknown>) => unknown;

export interface AwsJsonServerOptions {
  /** The `X-Amz-Target` prefix: `AmazonSSM`, `secretsmanager`. */
  targetPrefix: string;
  operations: Record<string, Operation>;
  /** Checks a request (its signature); returns the error to answer, or undefined to go on. */
  verify?: Verify;
}

export interface AwsJsonServer {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  /** Every request answered, oldest first. */
  calls: LoggedCall[];
  /** Queues faults that answer the next requests instead of the operation, in order. */
  fail(...faults: Fault[]): void;
  /** Drops the faults not used yet (a retry on a fresh socket may need fewer than were queued). */
  clearFaults(): void;
  /** Replaces the signature check (undefined: none). */
  setVerify(verify: AwsJsonServerOptions['verify']): void;
  close(): Promise<void>;
}

const JSON_11 = 'application/x-amz-json-1.1';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

function sendError(res: ServerResponse, e: AwsJsonError): void {
  send(res, e.status, { __type: e.type, [e.messageKey ?? 'message']: e.message ?? e.type });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const badRequest = (type: string, message: string): AwsJsonError => ({ status: 400, type, message });

/** Refuses what a real endpoint refuses before the operation runs. */
function protocolError(req: ReceivedRequest, prefix: string): AwsJsonError | undefined {
  if (req.method !== 'POST' || req.url !== '/') return { status: 404, type: 'UnknownOperationException' };
  if (!String(req.headers['content-type'] ?? '').startsWith(JSON_11))
    return badRequest('UnknownOperationException', `content type must be ${JSON_11}`);
  if (req.headers.authorization === undefined)
    return badRequest('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const target = String(req.headers['x-amz-target'] ?? '');
  if (!target.startsWith(`${prefix}.`)) return badRequest('UnknownOperationException', 'unknown target');
  return undefined;
}

/** Starts the server on 127.0.0.1, port 0. */
export async function startAwsJsonServer(opts: AwsJsonServerOptions): Promise<AwsJsonServer> {
  const calls: LoggedCall[] = [];
  const faults: Fault[] = [];
  let verify = opts.verify;

  /** What the server answers, before the log line is written: an output, an error, or nothing. */
  async function decide(received: ReceivedRequest, operation: string): Promise<Decision> {
    const refused = protocolError(received, opts.targetPrefix);
    if (refused) return { input: {}, error: refused };
    const rejected = await verify?.(received);
    if (rejected !== undefined) return { input: {}, error: rejected };
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(received.body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return { input: {}, error: badRequest('SerializationException', 'body is not JSON') };
    }
    const fault = faults.shift();
    if (fault === 'reset' || fault === 'stall') return { input, fault };
    if (fault) return { input, error: fault };
    const handler = opts.operations[operation];
    if (!handler) return { input, error: badRequest('UnknownOperationException', operation) };
    try {
      return { input, output: handler(input) };
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      return { input, error: err.answer };
    }
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const received: ReceivedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: await readBody(req),
    };
    const operation = String(req.headers['x-amz-target'] ?? '').slice(opts.targetPrefix.length + 1);
    const d = await decide(received, operation);
    calls.push({ operation, input: d.input, status: d.error?.status ?? (d.fault ? 0 : 200) });
    if (d.fault === 'reset') req.socket.resetAndDestroy();
    else if (d.error) sendError(res, d.error);
    else if (d.fault === undefined) send(res, 200, d.output);
  }

  const server: Server = createServer((req, res) => {
    answer(req, res).catch((err: unknown) => {
      sendError(res, { status: 500, type: 'InternalFailure', message: String(err) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    fail: (...more) => faults.push(...more),
    clearFaults: () => {
      faults.length = 0;
    },
    setVerify: (next) => {
      verify = next;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A 400 validation error, as AWS JSON services word them. */
export function validationError(message: string): ServiceError {
  return new ServiceError(badRequest('ValidationException', message));
}

/** The credentials the test endpoints accept by default (pass them to clients, or stub them in the env). */
export const TEST_CREDENTIALS: KnownCredentials = {
  accessKeyId: 'AKIDLOCALTEST',
  secretAccessKey: 'local-test-secret',
};

/**
 * A `verify` hook checking each request's SigV4 signature with the AWS SDK's own signer
 * (sigv4-verify.ts): a request signed with other credentials, or tampered with, is refused as AWS
 * JSON services refuse it (`UnrecognizedClientException`, `InvalidSignatureException`).
 */
export function sigV4(credentials: KnownCredentials[] = [TEST_CREDENTIALS]): Verify {
  return async (req) => {
    const verdict = await verifySigV4(req, { credentials });
    if (verdict.ok) return undefined;
    const type =
      verdict.code === 'InvalidAccessKeyId'
        ? 'UnrecognizedClientException'
        : verdict.code === 'SignatureDoesNotMatch'
          ? 'InvalidSignatureException'
          : verdict.code;
    return { status: 400, type, message: verdict.message };
  };
}
