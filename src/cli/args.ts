import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import { closest } from '../suggest.js';
import { parseSourceSpec, type SourceSpec, SPEC_FORMS } from './source-spec.js';

export type { SourceSpec } from './source-spec.js';

import type { CommandName } from './usage.js';

/** A stack of layers as the user named it: the loader's sources first, then the specs. */
export interface StackArgs {
  specs: SourceSpec[];
  loader?: string;
  /** `--overrides`: the load's `overrides` policy. */
  overrides?: Policy;
  /** `--unknown-keys`: the load's `unknownKeys` policy. */
  unknownKeys?: Policy;
}

/** What `--overrides` and `--unknown-keys` take. */
export type Policy = 'warn' | 'error' | 'ignore';

/** What a command's arguments parse to. */
export interface CommandArgs {
  stack: StackArgs;
  positionals: string[];
  /** Single-valued options (`--format`, `--prefix`), each given at most once. */
  strings: Record<string, string | undefined>;
  /** Options that may be repeated (`diff --set-env`), every value in the order given. */
  lists?: Record<string, string[]>;
  flags: Set<string>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

const SOURCE_OPTIONS: Options = {
  file: { type: 'string', multiple: true },
  'optional-file': { type: 'string', multiple: true },
  s3: { type: 'string', multiple: true },
  'required-s3': { type: 'string', multiple: true },
  env: { type: 'string', multiple: true },
  source: { type: 'string', multiple: true },
  loader: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  overrides: { type: 'string', multiple: true },
  'unknown-keys': { type: 'string', multiple: true },
};

const SOURCE_NAMES = new Set(['file', 'optional-file', 's3', 'required-s3', 'env', 'source']);

const once = { type: 'string', multiple: true } as const;

const COMMAND_OPTIONS: Record<CommandName, Options> = {
  print: {
    ...SOURCE_OPTIONS,
    format: once,
    prefix: once,
    explain: { type: 'boolean' },
    'show-secrets': { type: 'boolean' },
  },
  get: { ...SOURCE_OPTIONS, 'show-secrets': { type: 'boolean' } },
  validate: { ...SOURCE_OPTIONS, strict: { type: 'boolean' } },
  diff: {
    ...SOURCE_OPTIONS,
    format: once,
    'show-secrets': { type: 'boolean' },
    'set-env': { type: 'string', multiple: true },
  },
  schema: { loader: once, out: once, help: { type: 'boolean', short: 'h' } },
  env: { loader: once, format: once, help: { type: 'boolean', short: 'h' } },
  check: { loader: once, help: { type: 'boolean', short: 'h' } },
  // --overrides and --unknown-keys are accepted (a validate command line works) and change nothing.
  iam: { ...SOURCE_OPTIONS, region: once, account: once, format: once },
  local: {
    dir: once,
    port: once,
    format: once,
    background: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
};

/** Options whose every value counts, not just one (`diff --set-env A=1 --set-env B=2`). */
const REPEATABLE = new Set(['set-env']);

export function usageError(message: string, command?: CommandName): ConfigError {
  return new ConfigError('USAGE', message, command ? { command } : {});
}

const S3_URL = /^s3:\/\/[^/]+\/.+/;

/** The source an option token names, checked as far as the command line can be. */
function specFor(name: string, value: string, command: CommandName): SourceSpec {
  if (value === '') throw usageError(`--${name} needs a value`, command);
  switch (name) {
    case 'file':
    case 'optional-file':
      return { kind: 'file', path: value, optional: name === 'optional-file' };
    case 's3':
    case 'required-s3':
      if (!S3_URL.test(value)) throw usageError(`--${name} expects s3://bucket/key, not "${value}"`, command);
      return { kind: 's3', target: value, optional: name === 's3' };
    case 'source': {
      const spec = parseSourceSpec(value);
      if (typeof spec === 'string')
        throw usageError(`--source "${value}" ${spec}; expected ${SPEC_FORMS}`, command);
      return spec;
    }
    default:
      return { kind: 'env', prefix: value };
  }
}

/** Node's parseArgs errors (unknown option, missing value) are usage errors. */
function parse(argv: string[], options: Options, command: CommandName) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      // Node's advice about '--' would mislead here: diff uses '--' to separate its two stacks.
      const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
      throw usageError(`${message}${didYouMean(message, options)}`, command);
    }
    throw err;
  }
}

/** `; did you mean --explain?` for `Unknown option '--explian'`, when a known option is near. */
function didYouMean(message: string, options: Options): string {
  const unknown = /^Unknown option '--([^'=]+)/.exec(message)?.[1];
  const near = unknown === undefined ? undefined : closest(unknown, Object.keys(options), (o) => o);
  return near === undefined ? '' : `; did you mean --${near}?`;
}

function policy(flag: string, value: string | undefined, command: CommandName): Policy | undefined {
  if (value === undefined || value === 'warn' || value === 'error' || value === 'ignore') return value;
  throw usageError(`--${flag} must be warn, error or ignore, not "${value}"`, command);
}

/**
 * Parses one command's arguments with `util.parseArgs`. Sources keep the order they were given in
 * (from parseArgs' tokens), because that order is their precedence.
 */
export function parseCommandArgs(command: CommandName, argv: string[]): CommandArgs {
  const { values, positionals, tokens } = parse(argv, COMMAND_OPTIONS[command], command);
  const specs: SourceSpec[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined || !SOURCE_NAMES.has(token.name)) continue;
    specs.push(specFor(token.name, token.value, command));
  }
  const strings: Record<string, string | undefined> = {};
  const flags = new Set<string>();
  const lists: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === true) flags.add(name);
    if (!Array.isArray(value) || SOURCE_NAMES.has(name)) continue;
    if (REPEATABLE.has(name)) {
      lists[name] = value as string[];
      continue;
    }
    if (value.length > 1) throw usageError(`--${name} may be given only once`, command);
    strings[name] = value[0] as string;
  }
  const stack: StackArgs = { specs };
  if (strings.loader !== undefined) stack.loader = strings.loader;
  const overrides = policy('overrides', strings.overrides, command);
  const unknownKeys = policy('unknown-keys', strings['unknown-keys'], command);
  if (overrides !== undefined) stack.overrides = overrides;
  if (unknownKeys !== undefined) stack.unknownKeys = unknownKeys;
  return { stack, positionals, strings, flags, lists };
}
