import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalAwsCredentials } from './types.js';

/** The port, the credentials and the environment of a local server. */

/** The credentials a server accepts unless told others. */
export const DEFAULT_CREDENTIALS: LocalAwsCredentials = {
  accessKeyId: 'AKIDLOCALAWS',
  secretAccessKey: 'local-aws-secret-access-key',
  sessionToken: 'local-aws-session-token',
};

/** Listens on 127.0.0.1:`port` (0: a free one); resolves the port. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A port nothing listens on (one that was free a moment ago): a missing AppConfig extension. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe, 0);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The environment that points AWS SDK clients and strataconf at the server. */
export function localEnv(at: {
  endpoint: string;
  region: string;
  credentials: LocalAwsCredentials;
  extensionPort: number;
}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: at.endpoint,
    AWS_ENDPOINT_URL_SSM: at.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: at.endpoint,
    AWS_ENDPOINT_URL_APPCONFIGDATA: at.endpoint,
    AWS_REGION: at.region,
    AWS_ACCESS_KEY_ID: at.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: at.credentials.secretAccessKey,
    // Empty rather than absent: it then replaces a token left in the shell from real credentials.
    AWS_SESSION_TOKEN: at.credentials.sessionToken ?? '',
    AWS_APPCONFIG_EXTENSION_HTTP_PORT: String(at.extensionPort),
  };
}
