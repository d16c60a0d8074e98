import type { Answer, AppConfigLocation } from './wire.js';

/**
 * The AppConfig Lambda extension (the agent): it polls AppConfig in the background and serves the
 * latest configuration on localhost, so a read is a local HTTP GET with no signing and no AWS SDK.
 * When nothing listens on its port, the connection is refused at once and the caller falls back to
 * the API: a missing agent is never waited for.
 */

/** The agent's port: `AWS_APPCONFIG_EXTENSION_HTTP_PORT`, else 2772 (the extension's default). */
export function agentPort(env: Record<string, string | undefined> = process.env): number {
  const port = Number(env.AWS_APPCONFIG_EXTENSION_HTTP_PORT);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : 2772;
}

/** An error shaped like the AWS SDK's (name, `$metadata.httpStatusCode`), for the shared classifier. */
export class AgentError extends Error {
  override readonly name: string;
  readonly $metadata: { httpStatusCode: number };
  constructor(status: number, body: string) {
    // The agent's message names the resource; it never holds configuration values.
    super(`the AppConfig agent answered HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.name = status === 404 ? 'ResourceNotFoundException' : `AgentHttp${status}`;
    this.$metadata = { httpStatusCode: status };
  }
}

/** True when the agent is not there: nothing listens on its port. */
export function isAgentAbsent(err: unknown): boolean {
  return (err as { code?: unknown } | undefined)?.code === 'ECONNREFUSED';
}

const segment = encodeURIComponent;

/** One GET of the configuration from the agent on `port`. */
export async function readFromAgent(
  location: AppConfigLocation,
  port: number,
  signal: AbortSignal,
): Promise<Answer> {
  const { request } = await import('node:http');
  const path = `/applications/${segment(location.application)}/environments/${segment(location.environment)}/configurations/${segment(location.profile)}`;
  return new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const status = res.statusCode ?? 0;
        if (status !== 200) return reject(new AgentError(status, body.toString('utf8')));
        const contentType = res.headers['content-type'];
        const version = res.headers['configuration-version'] ?? res.headers.configurationversion;
        resolve({
          content: body,
          ...(contentType === undefined ? {} : { contentType }),
          ...(typeof version === 'string' ? { version } : {}),
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
