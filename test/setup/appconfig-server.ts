/**
 * A protocol-faithful AppConfigData endpoint (REST-JSON, as @aws-sdk/client-appconfigdata speaks
 * it) and an AppConfig agent (the Lambda extension's localhost API), on 127.0.0.1, for tests.
 * No AppConfig server can be installed here; test/integration/appconfig-contract.test.ts proves
 * this one faithful with the real SDK client before any strataconf test relies on it.
 *
 * - `POST /configurationsessions` (JSON body with the three identifiers) -> 201
 *   `{ InitialConfigurationToken }`, or 404 ResourceNotFoundException.
 * - `GET /configuration?configuration_token=T` -> 200 with headers `Next-Poll-Configuration-Token`,
 *   `Next-Poll-Interval-In-Seconds`, `Content-Type`, `Version-Label` and the configuration as the
 *   body, empty when this session already received that version. Tokens are single-use; a used,
 *   unknown or expired one is 400 BadRequestException.
 * - Errors: `x-amzn-errortype` header and a JSON body `{ "Message": ... }`, with the status the
 *   service model gives (400, 404, 429, 500; 403 AccessDeniedException).
 * - Each API request's SigV4 signature is recomputed with AWS's own signer (sigv4-verify.ts) against
 *   the known `credentials`: a mismatch is answered 403 as AppConfig would, and counted.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type KnownCredentials, verifySigV4 } from './sigv4-verify.js';

export interface HostedConfiguration {
  content: string;
  contentType: string;
  version: string;
}

/** A fault to answer instead of the next requests: an HTTP status with an AWS error name. */
export interface Fault {
  status: number;
  name: string;
  /** How many requests get it. @default 1 */
  times?: number;
  /** Which operation it hits. @default any */
  on?: 'start' | 'latest' | 'agent';
}

export interface LoggedCall {
  operation: 'start' | 'latest' | 'agent' | 'other';
  status: number;
  /** The signature's credential scope (`eu-west-1/appconfig`), when it verified. */
  scope?: string;
  /** The Authorization header's access key id, or undefined when unsigned. */
  accessKeyId?: string;
}

interface Session {
  key: string;
  delivered?: string;
  expired?: boolean;
}

export interface AppConfigTestServer {
  /** `http://127.0.0.1:PORT` of the AppConfigData API. */
  endpoint: string;
  /** Port of the agent (the Lambda extension's API). */
  agentPort: number;
  /** Deploys a configuration (a new version) at `app/env/profile`. */
  deploy(path: string, config: HostedConfiguration): void;
  /** Removes a configuration. */
  remove(path: string): void;
  /** Answers the next requests with a fault. */
  fail(fault: Fault): void;
  /** Forgets pending faults, the request log and the poll interval. */
  reset(): void;
  /** Makes every issued token expired (as after ~24 hours). */
  expireTokens(): void;
  /** Next-Poll-Interval-In-Seconds to answer. @default 0 */
  pollInterval: number;
  /** Every request so far, in order. */
  calls: LoggedCall[];
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

function awsError(res: ServerResponse, status: number, name: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${name}:http://internal.amazon.com/`,
  });
  res.end(JSON.stringify({ Message: message }));
}

function accessKeyOf(req: IncomingMessage): string | undefined {
  return /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

/** The credentials the test clients sign with. */
export const TEST_CREDENTIALS: KnownCredentials = {
  accessKeyId: 'AKIDAPPCONFIG',
  secretAccessKey: 'appconfig/test+secret key',
};

export async function startAppConfigServer(
  options: { credentials?: KnownCredentials[] } = {},
): Promise<AppConfigTestServer> {
  const credentials = options.credentials ?? [TEST_CREDENTIALS];
  const configs = new Map<string, HostedConfiguration>();
  const sessions = new Map<string, Session>();
  const faults: Fault[] = [];
  const calls: LoggedCall[] = [];

  const takeFault = (operation: LoggedCall['operation']): Fault | undefined => {
    const fault = faults.find((f) => f.on === undefined || f.on === operation);
    if (fault === undefined) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
    return fault;
  };

  function issue(key: string, delivered?: string): string {
    const token = `${randomUUID()}${randomUUID()}`.replace(/-/g, '');
    sessions.set(token, { key, ...(delivered === undefined ? {} : { delivered }) });
    return token;
  }

  async function api(req: IncomingMessage, res: ServerResponse, log: LoggedCall): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    log.operation =
      req.method === 'POST' && url.pathname === '/configurationsessions'
        ? 'start'
        : req.method === 'GET' && url.pathname === '/configuration'
          ? 'latest'
          : 'other';
    const received = { method: req.method, url: req.url, headers: req.headers, body };
    const verified = await verifySigV4(received, { credentials });
    if (!verified.ok) return awsError(res, verified.status, verified.code, verified.message);
    log.scope = `${verified.region}/${verified.service}`;
    const fault = takeFault(log.operation);
    if (fault) return awsError(res, fault.status, fault.name, `injected ${fault.name}`);
    if (log.operation === 'start') {
      const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      const key = `${input.ApplicationIdentifier}/${input.EnvironmentIdentifier}/${input.ConfigurationProfileIdentifier}`;
      if (!configs.has(key))
        return awsError(res, 404, 'ResourceNotFoundException', `Configuration ${key} not found`);
      res.writeHead(201, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ InitialConfigurationToken: issue(key) }));
    }
    if (log.operation === 'latest') {
      const token = url.searchParams.get('configuration_token') ?? '';
      const session = sessions.get(token);
      sessions.delete(token);
      if (!session || session.expired) {
        return awsError(
          res,
          400,
          'BadRequestException',
          'Request parameters are invalid: ConfigurationToken',
        );
      }
      const config = configs.get(session.key);
      if (!config)
        return awsError(res, 404, 'ResourceNotFoundException', `Configuration ${session.key} not found`);
      const fresh = session.delivered !== config.version;
      res.writeHead(200, {
        'next-poll-configuration-token': issue(session.key, config.version),
        'next-poll-interval-in-seconds': String(server.pollInterval),
        'content-type': config.contentType,
        ...(fresh ? { 'version-label': config.version } : {}),
      });
      return void res.end(fresh ? config.content : '');
    }
    awsError(res, 404, 'UnknownOperationException', 'no such operation');
  }

  function agent(req: IncomingMessage, res: ServerResponse, log: LoggedCall): void {
    log.operation = 'agent';
    const match = /^\/applications\/([^/]+)\/environments\/([^/]+)\/configurations\/([^/]+)$/.exec(
      req.url ?? '',
    );
    const fault = takeFault('agent');
    if (fault) {
      res.writeHead(fault.status, { 'content-type': 'application/text' });
      return void res.end(`${fault.name}: injected`);
    }
    const key = match ? match.slice(1).map(decodeURIComponent).join('/') : '';
    const config = configs.get(key);
    if (!config) {
      res.writeHead(404, { 'content-type': 'application/text' });
      return void res.end('ResourceNotFoundException: the configuration was not found');
    }
    res.writeHead(200, { 'content-type': config.contentType, 'configuration-version': config.version });
    res.end(config.content);
  }

  const handle =
    (route: (req: IncomingMessage, res: ServerResponse, log: LoggedCall) => void | Promise<void>) =>
    (req: IncomingMessage, res: ServerResponse) => {
      const log: LoggedCall = { operation: 'other', status: 0, accessKeyId: accessKeyOf(req) };
      calls.push(log);
      res.on('finish', () => {
        log.status = res.statusCode;
      });
      Promise.resolve(route(req, res, log)).catch((err: unknown) =>
        awsError(res, 500, 'InternalServerException', String(err)),
      );
    };

  const apiServer = createServer(handle(api));
  const agentServer = createServer(handle(agent));
  const [apiPort, agentPort] = await Promise.all([listen(apiServer), listen(agentServer)]);
  const server: AppConfigTestServer = {
    endpoint: `http://127.0.0.1:${apiPort}`,
    agentPort,
    pollInterval: 0,
    calls,
    deploy: (path, config) => void configs.set(path, config),
    remove: (path) => void configs.delete(path),
    fail: (fault) => void faults.push({ ...fault }),
    reset() {
      faults.length = 0;
      calls.length = 0;
      server.pollInterval = 0;
    },
    expireTokens() {
      for (const session of sessions.values()) session.expired = true;
    },
    async close() {
      await Promise.all(
        [apiServer, agentServer].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
  return server;
}
