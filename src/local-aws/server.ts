import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppConfigStore } from './appconfig.js';
import { authenticate } from './auth.js';
import type { Call } from './call.js';
import { closedPort, DEFAULT_CREDENTIALS, listen, localEnv } from './env.js';
import { applyFault, Delays, FaultQueues } from './faults.js';
import { putSeed, route, type Stores } from './router.js';
import { S3Store } from './s3.js';
import { SecretsStore } from './secrets.js';
import type { ReceivedRequest } from './sigv4.js';
import { SsmStore } from './ssm.js';
import type {
  LocalAws,
  LocalAwsCredentials,
  LocalAwsOptions,
  LocalAwsRequest,
  LocalAwsSeed,
} from './types.js';
import { AwsFailure, type WireFormat, writeAnswer, writeFailure } from './wire.js';

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

/** The stores, the faults, the request log, and how one request is answered. */
class LocalStores {
  readonly stores: Stores;
  readonly faults = new FaultQueues();
  readonly delays = new Delays();
  readonly requests: LocalAwsRequest[] = [];
  readonly credentials: LocalAwsCredentials;
  readonly region: string;
  readonly extension: boolean;

  constructor(
    seed: LocalAwsSeed,
    private readonly options: ServerOptions,
  ) {
    this.credentials = options.credentials ?? DEFAULT_CREDENTIALS;
    this.region = options.region ?? 'us-east-1';
    this.extension = options.appConfigExtension !== false;
    this.stores = {
      s3: new S3Store(),
      ssm: new SsmStore(),
      secrets: new SecretsStore(),
      appconfig: new AppConfigStore(options.appConfigPollIntervalSeconds ?? 0),
    };
    putSeed(this.stores, seed);
  }

  /** A new line of the request log; its status is set when the answer is written (before it leaves). */
  private log(call: Call, res: ServerResponse): LocalAwsRequest {
    const { service, operation, input, resource } = call;
    const entry: LocalAwsRequest = { service, operation, input, resource, status: 0 };
    this.requests.push(entry);
    res.on('close', () => this.options.onRequest?.(entry));
    return entry;
  }

  /** Checks the signature, applies a queued fault, and writes the store's answer. */
  private async serve(call: Call, received: ReceivedRequest, req: IncomingMessage, res: ServerResponse) {
    const entry = this.log(call, res);
    try {
      let region = this.region;
      if (call.format !== 'extension') {
        region = authenticate(received, call.format, this.credentials).region;
        entry.region = region;
      }
      const fault = this.faults.take(call.service, call.operation);
      if (fault && (await applyFault(fault, call, region, req, this.delays)) === 'dropped') return;
      const served = this.stores[call.service].serve(call, region, received);
      entry.status = served.status;
      writeAnswer(res, call.format, served);
    } catch (err) {
      if (err instanceof AwsFailure) Object.assign(entry, { status: err.status, error: err.code });
      throw err;
    }
  }

  /** Answers one HTTP request. */
  async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const received: ReceivedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: await readBody(req),
    };
    await this.options.beforeRequest?.();
    const routed = route(received, this.stores, this.extension);
    let format = routed.format;
    try {
      const call = routed.parse();
      format = call.format;
      await this.serve(call, received, req, res);
    } catch (err) {
      writeFailure(
        res,
        format,
        err instanceof AwsFailure ? err : new AwsFailure(500, INTERNAL[format], String(err)),
      );
    }
  }
}

/** Stops `server`: pending slow answers end, open connections close. */
async function stop(server: Server, local: LocalStores): Promise<void> {
  local.delays.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Starts the server with `seed` in its stores. */
export async function startServer(seed: LocalAwsSeed, options: ServerOptions = {}): Promise<LocalAws> {
  const local = new LocalStores(seed, options);
  const server = createServer((req, res) => {
    local.answer(req, res).catch(() => res.destroy());
  });
  const port = await listen(server, options.port ?? 0);
  const endpoint = `http://127.0.0.1:${port}`;
  const extensionPort = local.extension ? port : await closedPort();
  let stopped: Promise<void> | undefined;
  const close = () => {
    stopped ??= stop(server, local);
    return stopped;
  };
  return {
    endpoint,
    env: localEnv({ endpoint, region: local.region, credentials: local.credentials, extensionPort }),
    requests: local.requests,
    put: (values) => putSeed(local.stores, values),
    remove(service, name) {
      const store = local.stores[service];
      if (store === undefined) throw new TypeError(`remove: unknown service ${JSON.stringify(service)}`);
      store.remove(name);
    },
    fail: (service, fault) => local.faults.add(service, fault),
    clearFaults: (service) => local.faults.clear(service),
    close,
    [Symbol.asyncDispose]: close,
  };
}
