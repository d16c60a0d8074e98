import type { SecretDescriptor } from '../../descriptor.js';
import { ConfigError } from '../../errors.js';
import { isUnsafeKey } from '../../layer-tree.js';
import type { Source } from '../../types.js';
import { lazyRemote } from '../remote/lazy.js';
import { validateAwsOptions } from '../remote/options.js';
import type { SecretsManagerClientLike } from './wire.js';

export type { SecretsManagerClientLike } from './wire.js';

/** Options of {@link fromSecret}. */
export interface FromSecretOptions {
  /** When true, a secret that cannot be read (missing, denied, unreachable, too slow) is dropped with a warning. @default true */
  optional?: boolean;
  /** Shown in warnings, errors and `explainConfig`. @default 'secret:' followed by the secret id, e.g. 'secret:orders/prod/db' */
  name?: string;
  /** Region of Secrets Manager. @default `AWS_REGION`, else `AWS_DEFAULT_REGION` (Lambda sets `AWS_REGION`) */
  region?: string;
  /** Your own `SecretsManagerClient` (also a mocked one); strataconf then creates none and `region` is ignored. @default strataconf's own requests, or one shared client per region */
  client?: SecretsManagerClientLike;
  /**
   * Dotted path where the secret goes: `'db'` puts a JSON object secret under `db`; a secret that is
   * a plain string (not a JSON object) needs it and is the value at that path. @default none: the secret must be a JSON object, which is the layer
   */
  at?: string;
  /** Reads the version with this staging label. @default 'AWSCURRENT' */
  versionStage?: string;
  /** Longest wait for Secrets Manager, retries included; then the layer is unavailable. @default 3000 */
  timeoutMs?: number;
  /** When false, the source is skipped without a word. @default true */
  enabled?: boolean;
}

/** `db.password` -> `['db', 'password']`, checked when the source is built (`USAGE`). */
export function parseAt(at: unknown): string[] | undefined {
  if (at === undefined) return undefined;
  const path = typeof at === 'string' ? at.split('.') : [];
  if (path.length === 0 || path.some((k) => k === '' || isUnsafeKey(k))) {
    throw new ConfigError(
      'USAGE',
      `fromSecret: at must be a dotted path like "db" or "db.password", not "${String(at)}"`,
    );
  }
  return path;
}

/**
 * One Secrets Manager secret as a layer, optional by default. A secret holding a JSON object is the
 * layer, placed under `at` when given (an RDS secret `{ username, password, host, port, ... }` at
 * `'db'` fills a `db` schema); a plain string needs `at` and is the value there; anything else is
 * `PARSE_ERROR`. Every value is secret wherever the schema says nothing: the CLI and `redact` hide
 * it, and no message, warning or error shows it.
 *
 * - Unavailable (dropped with a warning when optional, `SOURCE_UNAVAILABLE` when required): a missing
 *   secret or stage (`ResourceNotFoundException`), access denied, a KMS key the role may not use,
 *   rejected credentials, network error, `timeoutMs` passed, throttling or 5xx after retries.
 * - A reload that finds the same version keeps the same layer (so the cache keeps the same config);
 *   a transient failure on a reload keeps the last good layer, with a `SOURCE_STALE` warning.
 * - With credentials in the environment (always so on Lambda) strataconf signs its requests itself;
 *   with a `client`, or other credentials, it uses `@aws-sdk/client-secrets-manager`.
 *
 * Needs `secretsmanager:GetSecretValue` on the secret (and `kms:Decrypt` on a customer managed key).
 *
 * @example
 * ```ts
 * const config = defineConfig({
 *   schema,
 *   sources: [fromFile('config.json5'), fromSecret('orders/prod/db', { at: 'db', optional: false })],
 * });
 * export const handler = async (event, context) => {
 *   const { db } = await config.load({ context }); // db.password from the secret
 * };
 * ```
 */
export function fromSecret(secretId: string, opts: FromSecretOptions = {}): Source {
  if (typeof secretId !== 'string' || secretId === '' || secretId.length > 2048) {
    throw new ConfigError('USAGE', 'fromSecret expects a secret name or ARN, like "orders/prod/db"');
  }
  validateAwsOptions('fromSecret', opts, ['versionStage']);
  const at = parseAt(opts.at);
  const { client, region, versionStage } = opts;
  const name = opts.name ?? `secret:${secretId}`;
  const descriptor: SecretDescriptor = {
    store: 'secrets-manager',
    secretId,
    ...(versionStage === undefined ? {} : { versionStage }),
    ...(opts.at === undefined ? {} : { at: opts.at }),
    ...(region === undefined ? {} : { region }),
    ...(client === undefined ? {} : { client }),
  };
  const front = { name, optional: opts.optional ?? true, enabled: opts.enabled, descriptor };
  const plan = { ...front, secretId, at, versionStage, timeoutMs: opts.timeoutMs ?? 3000, region, client };
  return lazyRemote(front, async () => (await import('../../engines.js')).secretSource(plan));
}
