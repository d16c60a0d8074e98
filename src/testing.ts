import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { core } from 'zod';
import { optionsOf } from './explain.js';
// The public API through the main entry, so that the build shares one chunk between the two entries.
import { ConfigError, fromFile, fromObject, isConfigError, resetConfigCache } from './index.js';
import { runLoad } from './load-config.js';
import type { LocalAws, LocalAwsOptions, LocalAwsSeed } from './local-aws/types.js';
import { type CapturedWarning, captureWarnings } from './logger.js';
import type { ConfigOf, LoadOptions, Logger, Source } from './types.js';

/**
 * Helpers for the unit tests of code that uses strataconf: layers from a fixtures folder, warnings
 * captured to assert on, loads that bypass the cache, and configs with a few values overridden.
 */

export type {
  LocalAppConfigProfile,
  LocalAws,
  LocalAwsCredentials,
  LocalAwsFault,
  LocalAwsOptions,
  LocalAwsRequest,
  LocalAwsSeed,
  LocalAwsService,
  LocalS3Object,
  LocalSecret,
  LocalSsmParameter,
} from './local-aws/types.js';
export { type CapturedWarning, captureWarnings, type WarningCapture } from './logger.js';
export { restoreConfigs, type TestConfig, useConfig } from './testing/use-config.js';
export { resetConfigCache };

/** The extensions a fixture name without one is looked up with, in this order. */
const FIXTURE_EXTENSIONS = ['.json5', '.json', '.yaml', '.yml'];

/** The file a fixture name stands for, and the other files looked for when none exists. */
function fixturePath(dir: string, name: string): { path: string; alsoTried?: string } {
  const base = join(dir, name);
  if (extname(name) !== '') return { path: base };
  const found = FIXTURE_EXTENSIONS.find((ext) => existsSync(`${base}${ext}`));
  if (found !== undefined) return { path: `${base}${found}` };
  // None: named by the first lookup (the convention), and the reason names the others.
  const others = FIXTURE_EXTENSIONS.slice(1).map((ext) => `${name}${ext}`);
  return { path: `${base}.json5`, alsoTried: `${others.slice(0, -1).join(', ')} or ${others.at(-1)}` };
}

/** A missing fixture's reason says that `NAME.json`, `NAME.yaml` and `NAME.yml` were looked for too. */
function namingBoth(source: Source, alsoTried: string): Source {
  const load: Source['load'] = async (ctx) => {
    try {
      return await source.load(ctx);
    } catch (err) {
      if (!isConfigError(err) || err.code !== 'SOURCE_UNAVAILABLE') throw err;
      const reason = `${String(err.details.reason)} (nor ${alsoTried})`;
      throw new ConfigError(
        err.code,
        `${source.name} is unavailable: ${reason}`,
        { ...err.details, reason },
        { cause: err },
      );
    }
  };
  // The spread keeps the file source's cache identity (a symbol key).
  return { ...source, load };
}

/**
 * File sources for layers in a fixtures folder, lowest precedence first. A name without an extension
 * finds `NAME.json5`, else `NAME.json`, else `NAME.yaml`, else `NAME.yml` (YAML needs the `yaml`
 * package); when none exists, the layer is named `NAME.json5` and its warning or error says the
 * others were not found either. Each source is named by its file name, so warnings and
 * `explainConfig` rows read `base.json5`, not a long path.
 *
 * @example
 * ```ts
 * const sources = fixtureLayers(new URL('./fixtures/prod/', import.meta.url), 'config', 'prod');
 * ```
 */
export function fixtureLayers(
  dir: string | URL,
  ...names: (string | { name: string; optional: boolean })[]
): Source[] {
  const folder = dir instanceof URL ? fileURLToPath(dir) : dir;
  return names.map((entry) => {
    const { name, optional } = typeof entry === 'string' ? { name: entry, optional: false } : entry;
    const { path, alsoTried } = fixturePath(folder, name);
    const source = fromFile(path, { optional, name: path.slice(folder.length).replace(/^[\\/]/, '') });
    return alsoTried === undefined ? source : namingBoth(source, alsoTried);
  });
}

/** What {@link loadFresh} returns. */
export interface FreshLoad<T> {
  /** The validated, frozen config, typed by the schema. */
  config: T;
  /** Every warning the load wrote, in order. */
  warnings: CapturedWarning[];
}

/**
 * Runs the whole pipeline once, outside the cache, with warnings captured: each call reads the
 * layers again, so tests never see each other's configs. The config is typed by the schema, validated
 * and frozen as `loadConfig` returns it. A `logger` in the options gets the warnings too (pass a
 * {@link captureWarnings} to assert on the warnings of a load that fails).
 *
 * @example
 * ```ts
 * // the handler's module: export const definition = defineConfig({ schema, sources: [...] });
 * const { config, warnings } = await loadFresh({ ...definition.options, sources: fixtureLayers(dir, 'base', 'prod') });
 * expect(takeOrder(event, config).accepted).toBe(true);
 * ```
 */
export async function loadFresh<S extends core.$ZodType | undefined = undefined>(
  options: LoadOptions<S>,
): Promise<FreshLoad<ConfigOf<S>>> {
  const capture = captureWarnings();
  const forward = options.logger;
  const logger: Logger = {
    warn(message, details) {
      capture.warn(message, details);
      forward?.warn(message, details);
    },
  };
  const { config } = await runLoad({ ...options, logger } as LoadOptions);
  return { config: config as ConfigOf<S>, warnings: capture.warnings };
}

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { -readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * A new config: the layers of `config` read again, plus `patch` as a last layer (named
 * `test overrides`), validated by the same schema and frozen. `config` itself is untouched (it stays
 * frozen); overriding is silent here by design. The patch goes in before the schema, so it holds
 * input values (before zod transforms), and a value the schema rejects fails with `VALIDATION_ERROR`.
 *
 * @example
 * ```ts
 * const base = (await loadFresh({ schema, sources: fixtureLayers(dir, 'base', 'prod') })).config;
 * const classic = await withOverrides(base, { features: { newCheckout: false } });
 * expect(handlerLogic(event, classic).checkout).toBe('classic');
 * ```
 */
export async function withOverrides<T extends object>(config: T, patch: DeepPartial<T>): Promise<T> {
  const options = optionsOf(config);
  if (!options)
    throw new ConfigError('USAGE', 'withOverrides expects a config returned by a strataconf load');
  const sources = [...options.sources, fromObject(patch as object, { name: 'test overrides' })];
  const { config: next } = await runLoad({
    ...options,
    sources,
    overrides: 'ignore',
    logger: captureWarnings(),
    // The invocation that loaded `config` is over: its deadline must not bound this load.
    context: undefined,
  });
  return next as T;
}

/**
 * Starts local stand-ins for S3, SSM Parameter Store, Secrets Manager and AppConfig (the
 * AppConfigData API and the Lambda extension's local API) on 127.0.0.1, holding `seed`. Point
 * code at it with `env`: AWS SDK v3 clients and strataconf's own requests then read the seeded
 * values over HTTP, signatures checked as AWS checks them, with each store's real answers and
 * errors. Change values while it runs with `put` and `remove` (to test reloads), inject faults with
 * `fail`, read what was asked in `requests`, and `close()` it (or `await using`). Nothing of it
 * loads until it is called.
 *
 * @example
 * ```ts
 * let aws: LocalAws;
 * beforeAll(async () => {
 *   aws = await startLocalAws({
 *     s3: { 'my-config/orders/production.json5': '{ db: { host: "db.test" } }' },
 *     ssm: { '/orders/prod/db/port': '5432' },
 *     secrets: { 'orders/prod/db': { password: 'not-a-secret' } },
 *   });
 * });
 * beforeEach(() => {
 *   for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
 * });
 * afterAll(() => aws.close());
 *
 * it('takes an order with the config of the stores', async () => {
 *   const { handler } = await import('../src/handler.js'); // loads S3, SSM and the secret from aws
 *   expect((await handler(event, context)).accepted).toBe(true);
 *   aws.fail('ssm', { code: 'ThrottlingException', times: 2 });
 * });
 * ```
 */
export async function startLocalAws(seed?: LocalAwsSeed, options?: LocalAwsOptions): Promise<LocalAws> {
  const local = await import('./local-aws/index.js');
  return local.startLocalAws(seed, options);
}
