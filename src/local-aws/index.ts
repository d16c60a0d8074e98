import { startServer } from './server.js';
import type { LocalAws, LocalAwsOptions, LocalAwsSeed } from './types.js';

/**
 * `startLocalAws`, loaded by `strataconf/testing` only when it is called: importing the testing
 * entry loads none of the server.
 */

function checkOptions(options: LocalAwsOptions): void {
  const { port, region, credentials } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536))
    throw new TypeError(`startLocalAws: port must be an integer from 0 to 65535, not ${String(port)}`);
  if (region !== undefined && (typeof region !== 'string' || region === ''))
    throw new TypeError('startLocalAws: region must be a region name, e.g. eu-west-1');
  if (
    credentials !== undefined &&
    (typeof credentials?.accessKeyId !== 'string' || typeof credentials.secretAccessKey !== 'string')
  )
    throw new TypeError('startLocalAws: credentials need an accessKeyId and a secretAccessKey');
}

/** Starts the local AWS stores (see `startLocalAws` in strataconf/testing). */
export async function startLocalAws(
  seed: LocalAwsSeed = {},
  options: LocalAwsOptions = {},
): Promise<LocalAws> {
  checkOptions(options);
  return startServer(seed, options);
}
