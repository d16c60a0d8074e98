/**
 * Good answers of SSM, Secrets Manager and the AppConfigData API, as a hostile endpoint gives them
 * before it turns: one parameter, one secret, one configuration, each setting `db.host`.
 */
import type { ServerResponse } from 'node:http';
import { fromAppConfig, fromSecret, fromSsm, type Source } from '../../src/index.js';
import type { AwsPath } from './aws-paths.js';
import { type Credentials, callerClient } from './aws-paths.js';
import type { Seen } from './hostile-endpoint.js';

export type JsonStore = 'ssm' | 'secrets' | 'appconfig';
export const JSON_STORES: readonly JsonStore[] = ['ssm', 'secrets', 'appconfig'];

/** The value of `db.host` each store's good answer sets. */
export const HOST: Record<JsonStore, string> = {
  ssm: 'ssm-host',
  secrets: 'secret-host',
  appconfig: 'appconfig-host',
};

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...headers });
  res.end(JSON.stringify(body));
}

/** True when `req` is the request that carries a store's content (not AppConfig's session start). */
export function isContentRequest(req: Seen): boolean {
  return !req.url.startsWith('/configurationsessions');
}

/** Answers `req` as the store it is addressed to would, with the content above. */
export function goodAnswer(req: Seen, res: ServerResponse) {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target === 'AmazonSSM.GetParametersByPath') {
    return json(res, 200, { Parameters: [{ Name: '/app/db/host', Value: HOST.ssm, Type: 'String' }] });
  }
  if (target === 'secretsmanager.GetSecretValue') {
    return json(res, 200, { SecretString: JSON.stringify({ db: { host: HOST.secrets } }), VersionId: 'v1' });
  }
  if (req.url.startsWith('/configurationsessions')) {
    return json(res, 201, { InitialConfigurationToken: 'token-1' });
  }
  res.writeHead(200, {
    'content-type': 'application/json',
    'next-poll-configuration-token': `token-${Date.now()}`,
    'next-poll-interval-in-seconds': '0',
    'version-label': 'v1',
  });
  res.end(JSON.stringify({ db: { host: HOST.appconfig } }));
}

/** The layer of `store` read over `path` from `endpoint`. */
export function storeSource(
  store: JsonStore,
  path: AwsPath,
  endpoint: string,
  credentials: Credentials,
  opts: { optional?: boolean; maxBytes?: number } = {},
): Source {
  const client = path === 'client' ? { client: callerClient(store, endpoint, credentials) as never } : {};
  const { optional = true } = opts;
  if (store === 'ssm') return fromSsm('/app/', { optional, ...client });
  if (store === 'secrets') return fromSecret('db', { optional, ...client });
  return fromAppConfig('app/prod/settings', {
    optional,
    ...client,
    ...(opts.maxBytes === undefined ? {} : { maxBytes: opts.maxBytes }),
  });
}
