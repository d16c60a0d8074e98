import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AppConfigStore } from './appconfig.js';
import { authenticate } from './auth.js';
import type { Call } from './call.js';
import { closedPort, DEFAULT_CREDENTIALS, listen, localEnv } from './env.js';
import { FaultQueues } from './faults.js';
import { putSeed, route, type Stores } from './router.js';
import { S3Store } from './s3.js';
import { SecretsStore } from './secrets.js';
import type { ReceivedRequest } from './sigv4.js';
import { SsmStore } from './ssm.js';
import type {
  LocalAws,
  LocalAwsFault,
  LocalAwsOptions,
  LocalAwsRequest,
  LocalAwsSeed,
  LocalAwsService,
} from './types.js';
import {
  AwsFailure,
  defaultMessage,
  defaultStatus,
  type WireFormat,
  writeAnswer,
  writeFailure,
} from './wire.js';

/**
 * The server behind `startLocalAws` and `strataconf local`: one port on 127.0.0.1 for every store.
 * Each request is routed, parsed, its signature checked, then a queued fault or the store answers,
 * and it goes into the request log.
 */

/** What the CLI adds to the public options. */
export interface ServerOptions extends LocalAwsOptions {
  /** Runs before each request is routed (the CLI reads changed files there). */
  beforeRequest?: () => Promise<void>;
  /** Called once for each request, when it was answered (or dropped). */
  onRequest?: (request: LocalAwsRequest) => void;
}

const INTERNAL: Record<WireFormat, string> = {
  s3: 'InternalError',
  ssm: 'InternalServerError',
  secrets: 'InternalServiceError',
  appconfig: 'InternalServerException',
  extension: 'InternalServerException',
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the server with `seed` in its stores. */
export async function startServer(seed: LocalAwsSeed, options: ServerOptions = {}): Promise<LocalAws> {
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  const region = options.region ?? 'us-east-1';
  const extension = options.appConfigExtension !== false;
  const stores: Stores = {
    s3: new S3Store(),
    ssm: new SsmStore(),
    secrets: new SecretsStore(),
    appconfig: new AppConfigStore(options.appConfigPollIntervalSeconds ?? 0),
  };
  putSeed(stores, seed);
  const faults = new FaultQueues();
  const requests: LocalAwsRequest[] = [];
  const waits = new Set<() => void>();
  let closed = false;

  /** Resolves true after `ms`, or false at once when the server closes first. */
  const wait = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waits.delete(done);
        resolve(!closed);
      };
      const timer = setTimeout(done, ms);
      waits.add(done);
    });

  /** The fault's answer: undefined to answer normally, 'dropped' when the connection was reset or the server closed. */
  async function applyFault(fault: LocalAwsFault, call: Call, signedRegion: string, req: IncomingMessage) {
    const delay = fault.delayMs ?? (fault.code === 'Slow' ? 5000 : 0);
    if (delay > 0 && !(await wait(delay))) return 'dropped';
    if (fault.code === 'Slow') return undefined;
    if (fault.code === 'ECONNRESET') {
      req.socket.resetAndDestroy();
      return 'dropped';
    }
    throw new AwsFailure(
      fault.status ?? defaultStatus(call.format, fault.code),
      fault.code,
      fault.message ?? defaultMessage(call.service, fault.code, call.operation, call.arn(signedRegion)),
    );
  }

  function log(call: Call, res: ServerResponse): LocalAwsRequest {
    const entry: LocalAwsRequest = {
      service: call.service,
      operation: call.operation,
      input: call.input,
      resource: call.resource,
      status: 0,
    };
    requests.push(entry);
    // The status is set when the answer is written (before it leaves), so a client that has its
    // answer always finds it in the log; an answer never written leaves 0.
    res.on('close', () => options.onRequest?.(entry));
    return entry;
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const received: ReceivedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: await readBody(req),
    };
    await options.beforeRequest?.();
    const routed = route(received, stores, extension);
    let format = routed.format;
    try {
      const call = routed.parse();
      format = call.format;
      const entry = log(call, res);
      try {
        let signedRegion = region;
        if (call.format !== 'extension') {
          signedRegion = authenticate(received, call.format, credentials).region;
          entry.region = signedRegion;
        }
        const fault = faults.take(call.service, call.operation);
        if (fault && (await applyFault(fault, call, signedRegion, req)) === 'dropped') return;
        const served = stores[call.service].serve(call, signedRegion, received);
        entry.status = served.status;
        writeAnswer(res, format, served);
      } catch (err) {
        if (err instanceof AwsFailure) Object.assign(entry, { status: err.status, error: err.code });
        throw err;
      }
    } catch (err) {
      const failure = err instanceof AwsFailure ? err : new AwsFailure(500, INTERNAL[format], String(err));
      writeFailure(res, format, failure);
    }
  }

  const server = createServer((req, res) => {
    answer(req, res).catch(() => res.destroy());
  });
  const port = await listen(server, options.port ?? 0);
  const endpoint = `http://127.0.0.1:${port}`;
  const extensionPort = extension ? port : await closedPort();
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const done of [...waits]) done();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return {
    endpoint,
    env: localEnv({ endpoint, region, credentials, extensionPort }),
    requests,
    put: (values) => putSeed(stores, values),
    remove(service: LocalAwsService, name: string) {
      const store = stores[service];
      if (store === undefined) throw new TypeError(`remove: unknown service ${JSON.stringify(service)}`);
      store.remove(name);
    },
    fail: (service, fault) => faults.add(service, fault),
    clearFaults: (service) => faults.clear(service),
    close,
    [Symbol.asyncDispose]: close,
  };
}
