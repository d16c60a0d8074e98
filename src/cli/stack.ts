import { ConfigError, isConfigError } from '../errors.js';
import { runLoad } from '../load-config.js';
import { type CapturedWarning, captureWarnings } from '../logger.js';
import type { Degraded } from '../outcome.js';
import type { LoadOptions, Logger } from '../types.js';
import { type StackArgs, usageError } from './args.js';
import { type CliIo, paintFor } from './io.js';
import { importDefinition } from './loader.js';
import { createRedactor, type Redactor, SHOW_ALL } from './redact.js';
import { buildSources, parseSourcesVariable } from './sources.js';

/** A loaded stack: the config, the options it came from, and how to redact it. */
export interface LoadedStack {
  config: object;
  options: LoadOptions;
  redactor: Redactor;
  /** The warnings the load wrote (to stderr), for `validate --strict`. */
  warnings: readonly CapturedWarning[];
  /** The layers the config was built without (dropped), and why. */
  degraded: readonly Degraded[];
}

const NO_SOURCES =
  'no sources: give --file, --optional-file, --s3, --required-s3, --env or --loader, or set STRATACONF_SOURCES';

/** The load options a stack names: the loader's (sources and schema) with SOURCES appended, else SOURCES, else `STRATACONF_SOURCES`. */
export async function resolveStack(args: StackArgs, io: CliIo): Promise<LoadOptions> {
  const options = await namedOptions(args, io);
  // --overrides and --unknown-keys win over what a --loader definition says.
  if (args.overrides !== undefined) options.overrides = args.overrides;
  if (args.unknownKeys !== undefined) options.unknownKeys = args.unknownKeys;
  return options;
}

async function namedOptions(args: StackArgs, io: CliIo): Promise<LoadOptions> {
  if (args.loader !== undefined) {
    const options = await importDefinition(args.loader, io.cwd);
    return { ...options, sources: [...options.sources, ...(await buildSources(args.specs, io))] };
  }
  if (args.specs.length > 0) return { sources: await buildSources(args.specs, io) };
  const variable = io.env.STRATACONF_SOURCES;
  const specs = variable === undefined ? [] : parseSourcesVariable(variable);
  if (specs.length === 0) throw usageError(NO_SOURCES);
  return { sources: await buildSources(specs, io) };
}

/** The merged config without the schema, for the secrets a failed load's message might carry. */
async function unvalidated(options: LoadOptions): Promise<unknown[]> {
  try {
    const quiet: Logger = { warn() {} };
    const { schema: _schema, ...rest } = options;
    return [(await runLoad({ ...rest, overrides: 'ignore', logger: quiet })).config];
  } catch {
    return [];
  }
}

/** Writes the warnings a load produced to stderr, scrubbed of secrets. */
export function writeWarnings(io: CliIo, warnings: readonly CapturedWarning[], redactor: Redactor): void {
  const paint = paintFor(io.stderr, io.env);
  for (const w of warnings) {
    const code = w.code ? `${w.code}: ` : '';
    io.stderr.write(`strataconf: ${paint.yellow('warning')}: ${code}${redactor.scrub(w.message)}\n`);
  }
}

/**
 * Loads a stack once, outside the cache (a CLI run is one load, and tests run many in one process).
 * Warnings go to stderr after the load, scrubbed; a failure is rethrown with its message scrubbed.
 */
export async function loadStack(options: LoadOptions, io: CliIo, showSecrets: boolean): Promise<LoadedStack> {
  const logger = captureWarnings();
  try {
    const { config, degraded } = await runLoad({ ...options, logger });
    const redactor = showSecrets ? SHOW_ALL : createRedactor([options.schema], [config]);
    writeWarnings(io, logger.warnings, redactor);
    return { config, options, redactor, warnings: logger.warnings, degraded };
  } catch (err) {
    const redactor = showSecrets ? SHOW_ALL : createRedactor([options.schema], await unvalidated(options));
    writeWarnings(io, logger.warnings, redactor);
    if (!isConfigError(err)) throw err;
    throw new ConfigError(err.code, redactor.scrub(err.message), err.details, { cause: err });
  }
}
