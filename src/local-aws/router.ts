import { type AppConfigStore, isExtensionRequest } from './appconfig.js';
import type { Call } from './call.js';
import { parseS3, type S3Store } from './s3.js';
import { parseSecrets, type SecretsStore } from './secrets.js';
import { type ReceivedRequest, signedService } from './sigv4.js';
import { parseSsm, type SsmStore } from './ssm.js';
import type { LocalAwsSeed, LocalAwsService } from './types.js';
import type { WireFormat } from './wire.js';

/**
 * Which store a request is for, on the one port every store shares: the AppConfig extension's
 * unsigned path, then the JSON 1.1 target (`AmazonSSM.*`, `secretsmanager.*`), then the service of
 * the signature's credential scope, then the path (an unsigned AppConfigData call is still
 * AppConfigData's to refuse); anything else is S3's.
 */

/** The stores of one server. */
export interface Stores {
  s3: S3Store;
  ssm: SsmStore;
  secrets: SecretsStore;
  appconfig: AppConfigStore;
}

/** A request routed to a store: the format its errors are written in, and its parser. */
export interface Route {
  service: LocalAwsService;
  format: WireFormat;
  parse(): Call;
}

const BY_SIGNING_NAME: Record<string, LocalAwsService> = {
  s3: 's3',
  ssm: 'ssm',
  secretsmanager: 'secrets',
  appconfig: 'appconfig',
};

function serviceOf(req: ReceivedRequest): LocalAwsService {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    if (target.startsWith('AmazonSSM.')) return 'ssm';
    if (target.startsWith('secretsmanager.')) return 'secrets';
  }
  const signed = signedService(req.headers);
  if (signed !== undefined) return BY_SIGNING_NAME[signed] ?? 's3';
  const path = req.url.split('?')[0];
  if (path === '/configurationsessions' || path === '/configuration') return 'appconfig';
  if (typeof target === 'string') return 'ssm';
  return 's3';
}

/** The store `req` is for. */
export function route(req: ReceivedRequest, stores: Stores, extension: boolean): Route {
  if (extension && isExtensionRequest(req)) {
    return { service: 'appconfig', format: 'extension', parse: () => stores.appconfig.parse(req) };
  }
  const service = serviceOf(req);
  const parse: Record<LocalAwsService, () => Call> = {
    s3: () => parseS3(req),
    ssm: () => parseSsm(req),
    secrets: () => parseSecrets(req),
    appconfig: () => stores.appconfig.parse(req),
  };
  return { service, format: service, parse: parse[service] };
}

/** Puts every entry of `seed` into its store. */
export function putSeed(stores: Stores, seed: LocalAwsSeed): void {
  for (const [name, value] of Object.entries(seed.s3 ?? {})) stores.s3.put(name, value);
  for (const [name, value] of Object.entries(seed.ssm ?? {})) stores.ssm.put(name, value);
  for (const [name, value] of Object.entries(seed.secrets ?? {})) stores.secrets.put(name, value);
  for (const [name, value] of Object.entries(seed.appconfig ?? {})) stores.appconfig.put(name, value);
}
