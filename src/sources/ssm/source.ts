import type { SsmDescriptor } from '../../descriptor.js';
import { ConfigError } from '../../errors.js';
import type { Source } from '../../types.js';
import { lazyRemote } from '../remote/lazy.js';
import { validateAwsOptions } from '../remote/options.js';
import type { SsmClientLike } from './wire.js';

export type { SsmClientLike } from './wire.js';

/**
 * 5 s, where the other stores take 3: Parameter Store is the one whose default rate (40 requests a
 * second per account and region) a fleet's cold start passes, and a throttled store needs seconds to
 * let a fleet through (a token bucket admits about burst + rate x (spread + budget) requests). 5 s
 * keeps half of Lambda's 10 s init phase for everything else.
 */
const DEFAULT_TIMEOUT_MS = 5000;

/** Options of {@link fromSsm}. */
export interface FromSsmOptions {
  /** When true, a path that cannot be read (no parameter, denied, unreachable, too slow) is dropped with a warning. @default true */
  optional?: boolean;
  /** Shown in warnings, errors and `explainConfig`. @default 'ssm:' followed by the path, e.g. 'ssm:/orders/prod/' */
  name?: string;
  /** Region of Parameter Store. @default `AWS_REGION`, else `AWS_DEFAULT_REGION` (Lambda sets `AWS_REGION`) */
  region?: string;
  /** Your own `SSMClient` (also a mocked one); strataconf then creates none and `region` is ignored. @default strataconf's own requests, or one shared `SSMClient` per region */
  client?: SsmClientLike;
  /**
   * Longest wait for every page of parameters, retries included; then the layer is unavailable.
   * Longer than the other stores' 3000: SSM's default rate (40 requests a second per account and
   * region) is the one a fleet's cold start passes, and a throttle is retried while this allows.
   * @default 5000
   */
  timeoutMs?: number;
  /** When false, the source is skipped without a word. @default true */
  enabled?: boolean;
}

/** `/orders/prod/` and `/orders/prod` are one path; checked at once (the factory throws `USAGE`). */
function normalizePath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.length > 2048 || path.includes('//')) {
    throw new ConfigError(
      'USAGE',
      `fromSsm expects a parameter path starting with "/", like "/orders/prod/", not "${String(path)}"`,
    );
  }
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * Every parameter under an SSM Parameter Store path as a layer, optional by default: the parameter
 * `/orders/prod/db/host` under `/orders/prod/` sets `db.host`. Path segments match the schema's keys
 * (and the lower layers') case-insensitively, ignoring `_` and `-`, and values are coerced to what the
 * schema expects, as for `fromEnv`; a `StringList` is an array of strings; `SecureString`s are
 * decrypted and secret (the CLI and `redact` hide them, no message shows them).
 *
 * - Unavailable (dropped with a warning when optional, `SOURCE_UNAVAILABLE` when required): no
 *   parameter under the path, access denied, rejected credentials, network error, `timeoutMs` passed
 *   (5 s by default), throttling for all of it (SSM's Get* calls share 40 requests per second: a
 *   throttle is retried after 0.8-2.4 s, then longer, while `timeoutMs` allows), a 5xx after retries.
 * - A layer dropped for a reason that may pass (throttling, 5xx, network, timeout) is read again by
 *   a `load()` 10-60 s later, even with `maxAge` Infinity; a missing path is not, until `maxAge`.
 * - A reload whose parameters are unchanged keeps the same layer, so the cache keeps the same config;
 *   a transient failure on a reload keeps the last good layer, with a `SOURCE_STALE` warning.
 * - With credentials in the environment (always so on Lambda) strataconf signs its requests itself and
 *   loads no AWS SDK module; with a `client`, or other credentials, it uses `@aws-sdk/client-ssm`.
 *
 * Needs `ssm:GetParametersByPath` on the path (and `kms:Decrypt` on a customer managed key).
 *
 * @example
 * ```ts
 * const config = defineConfig({
 *   schema,
 *   sources: [fromFile('config.json5'), fromSsm('/orders/prod/'), fromEnv({ prefix: 'APP_' })],
 *   maxAge: 300_000,
 * });
 * export const handler = async (event, context) => {
 *   const { db } = await config.load({ context });
 * };
 * ```
 */
export function fromSsm(path: string, opts: FromSsmOptions = {}): Source {
  const requestPath = normalizePath(path);
  validateAwsOptions('fromSsm', opts);
  const { client, region } = opts;
  const name = opts.name ?? `ssm:${path}`;
  const descriptor: SsmDescriptor = {
    store: 'ssm',
    path: requestPath,
    ...(region === undefined ? {} : { region }),
    ...(client === undefined ? {} : { client }),
  };
  const front = { name, optional: opts.optional ?? true, enabled: opts.enabled, descriptor };
  const plan = { ...front, requestPath, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, region, client };
  return lazyRemote(front, async () => (await import('../../engines.js')).ssmSource(plan));
}
