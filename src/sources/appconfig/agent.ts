import type { IncomingMessage } from 'node:http';
import { MAX_ERROR_BODY, readAll, tooLargeError } from '../../aws/http.js';
import { stateMap } from '../../process-state.js';
import type { Answer, AppConfigLocation } from './wire.js';

/**
 * The AppConfig Lambda extension (the agent): it polls AppConfig in the background and serves the
 * latest configuration on localhost, so a read is a local HTTP GET with no signing and no AWS SDK.
 * Whether it is there is learnt once per execution environment and port: the first read probes it
 * (see {@link PROBE_MS}); a port that refuses, does not answer within the probe, or answers as
 * something else (a 404, an HTML page) is not the extension, and every later read goes to the API.
 */

/**
 * The longest wait for the extension's first byte while it is not known to be there: 500 ms (less
 * when `timeoutMs` is short: a third of it). The extension answers from memory in about a
 * millisecond, and a profile it has not fetched yet within a few hundred; a port that accepts and
 * never answers then costs half a second once, and the API still has the rest of `timeoutMs`.
 */
export const PROBE_MS = 500;

/** The probe's length for a layer whose load may take `timeoutMs`. */
export function probeMs(timeoutMs: number): number {
  return Math.min(PROBE_MS, Math.floor(timeoutMs / 3));
}

/** Whether the extension answered on a port, per port, for this execution environment. */
const answered = stateMap<number, boolean>();

/** What this environment learnt of the extension on `port`: true (it answered), false (not there), or not yet. */
export function extensionKnown(port: number): boolean | undefined {
  return answered.get(port);
}

/** Records whether the extension on `port` answered. */
export function learnExtension(port: number, present: boolean): void {
  answered.set(port, present);
}

/** The agent's port: `AWS_APPCONFIG_EXTENSION_HTTP_PORT`, else 2772 (the extension's default). */
export function agentPort(env: Record<string, string | undefined> = process.env): number {
  const port = Number(env.AWS_APPCONFIG_EXTENSION_HTTP_PORT);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : 2772;
}

/** An error answer of the extension, shaped like the AWS SDK's for the shared failure table. */
export class AgentError extends Error {
  override readonly name: string;
  readonly $metadata: { httpStatusCode: number };
  constructor(status: number) {
    // Never the body: what answered may not be the extension, and its page is nobody's message.
    super(`the AppConfig extension answered HTTP ${status}`);
    this.name = status === 404 ? 'ResourceNotFoundException' : `AgentHttp${status}`;
    this.$metadata = { httpStatusCode: status };
  }
}

/** What answered on the port was not the extension (an HTML page), or nothing answered in time. */
export class NotTheExtension extends Error {
  override readonly name = 'NotTheExtension';
}

const segment = encodeURIComponent;

/** Options of one read from the extension. */
export interface AgentRead {
  /** The largest configuration read; a larger one fails with `ETOOLARGE`. */
  maxBytes: number;
  /** While the extension is not known to be there: the longest wait for its first byte. */
  probeMs?: number;
}

async function toAnswer(res: IncomingMessage, maxBytes: number): Promise<Answer> {
  const status = res.statusCode ?? 0;
  const contentType = res.headers['content-type'];
  if (status !== 200) {
    await readAll(res, MAX_ERROR_BODY, true).catch(() => undefined);
    throw new AgentError(status);
  }
  if (/^\s*text\/html\b/i.test(contentType ?? '')) {
    res.destroy();
    throw new NotTheExtension('the port answered with an HTML page');
  }
  if (Number(res.headers['content-length']) > maxBytes) {
    res.destroy();
    throw tooLargeError(maxBytes);
  }
  const content = await readAll(res, maxBytes);
  const version = res.headers['configuration-version'] ?? res.headers.configurationversion;
  return {
    content,
    ...(contentType === undefined ? {} : { contentType }),
    ...(typeof version === 'string' ? { version } : {}),
  };
}

/** One GET of the configuration from the agent on `port`, stopped by `signal` (and by the probe). */
export async function readFromAgent(
  location: AppConfigLocation,
  port: number,
  signal: AbortSignal,
  read: AgentRead,
): Promise<Answer> {
  const { request } = await import('node:http');
  const path = `/applications/${segment(location.application)}/environments/${segment(location.environment)}/configurations/${segment(location.profile)}`;
  return new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', signal }, (res) => {
      clearTimeout(probe);
      toAnswer(res, read.maxBytes).then(resolve, reject);
    });
    const probe =
      read.probeMs === undefined
        ? undefined
        : setTimeout(() => {
            req.destroy(new NotTheExtension(`no answer from the port within ${read.probeMs} ms`));
          }, read.probeMs);
    req.on('error', (err) => {
      clearTimeout(probe);
      reject(err);
    });
    req.end();
  });
}
