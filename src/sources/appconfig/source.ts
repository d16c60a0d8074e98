import type { AppConfigDescriptor } from '../../descriptor.js';
import { ConfigError } from '../../errors.js';
import type { Source } from '../../types.js';
import { lazyRemote } from '../remote/lazy.js';
import { validateAwsOptions } from '../remote/options.js';
import { parseAppConfigTarget } from './target.js';
import type { AppConfigDataClientLike, AppConfigLocation } from './wire.js';

export type { AppConfigDataClientLike, AppConfigLocation } from './wire.js';

/** The default bound of a configuration read: twice AppConfig's 2 MB quota of a hosted configuration. */
const MAX_BYTES = 4 * 1024 * 1024;

/** Options of {@link fromAppConfig}. */
export interface FromAppConfigOptions {
  /** When true, a configuration that cannot be read (missing, denied, unreachable, too slow) is dropped with a warning. @default true */
  optional?: boolean;
  /** Shown in warnings, errors and `explainConfig`. @default 'appconfig:application/environment/profile' */
  name?: string;
  /** Region of the AppConfigData API. @default `AWS_REGION`, else `AWS_DEFAULT_REGION` (Lambda sets both) */
  region?: string;
  /**
   * Your own `AppConfigDataClient` (also a mocked one): the API is then read through it, and the
   * Lambda extension is not tried. @default the extension when it answers, else the API (signed
   * requests without the AWS SDK when credentials are in the environment, as on Lambda)
   */
  client?: AppConfigDataClientLike;
  /** Longest wait for one read (the extension, or the API's calls and retries). @default 3000 */
  timeoutMs?: number;
  /**
   * The largest configuration read into memory; a larger (or endless) answer makes the layer
   * unavailable (stale on a reload). AppConfig's hosted configurations are at most 2 MB unless the
   * quota was raised: raise this with it. @default 4194304 (4 MiB)
   */
  maxBytes?: number;
  /** When false, the layer is skipped without a word. @default true */
  enabled?: boolean;
}

function checkMaxBytes(value: unknown): number {
  if (value === undefined) return MAX_BYTES;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new ConfigError('USAGE', 'fromAppConfig: maxBytes must be a positive integer');
}

/**
 * A layer read from an AWS AppConfig configuration profile (hosted configuration, feature flags, or
 * any JSON or JSON5 content), optional by default. On Lambda with the AppConfig extension it reads
 * the extension on localhost, which polls AppConfig in the background; elsewhere it reads the
 * AppConfigData API, one session per execution environment. A reload after `maxAge` that finds the
 * same configuration keeps the same config object; one that fails for a moment keeps the last good
 * layer (`SOURCE_STALE`).
 *
 * Needs `appconfig:StartConfigurationSession` and `appconfig:GetLatestConfiguration` (the
 * extension needs them too).
 *
 * @example
 * ```ts
 * const config = defineConfig({
 *   schema,
 *   sources: [fromFile('config.json5'), fromAppConfig('orders/prod/settings'), fromEnv({ prefix: 'APP_' })],
 *   maxAge: 60_000, // pick up a rollout within a minute
 * });
 * export const handler = async (event, context) => {
 *   const { features } = await config.load({ context });
 * };
 * ```
 */
export function fromAppConfig(target: string | AppConfigLocation, opts: FromAppConfigOptions = {}): Source {
  const location = parseAppConfigTarget(target);
  validateAwsOptions('fromAppConfig', opts);
  const { client, region } = opts;
  const timeoutMs = opts.timeoutMs ?? 3000;
  const maxBytes = checkMaxBytes(opts.maxBytes);
  const path = `${location.application}/${location.environment}/${location.profile}`;
  const name = opts.name ?? `appconfig:${path}`;

  const descriptor: AppConfigDescriptor = {
    store: 'appconfig',
    ...location,
    ...(region === undefined ? {} : { region }),
    ...(client === undefined ? {} : { client }),
  };
  const front = { name, optional: opts.optional ?? true, enabled: opts.enabled, descriptor };
  const plan = { ...front, location, region, maxBytes, timeoutMs, client };
  return lazyRemote(front, async () => (await import('../../engines.js')).appConfigSource(plan));
}
