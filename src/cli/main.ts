import { isConfigError } from '../errors.js';
import { parseCommandArgs, usageError } from './args.js';
import { check } from './commands/check.js';
import { diff } from './commands/diff.js';
import { envTable } from './commands/env-table.js';
import { get } from './commands/get.js';
import { iam } from './commands/iam.js';
import { local } from './commands/local.js';
import { print } from './commands/print.js';
import { schema } from './commands/schema.js';
import { validate } from './commands/validate.js';
import { type CliIo, paintFor } from './io.js';
import { COMMANDS, type CommandName, fullHelp, shortUsage } from './usage.js';

export type { CliIo, CliOutput, S3Factory } from './io.js';

/** Exit codes: success, the config failed to load or validate, usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function isCommand(name: string | undefined): name is CommandName {
  return (COMMANDS as readonly (string | undefined)[]).includes(name);
}

/** `--help` or `-h` anywhere (diff: on either side) asks for help, whatever else is on the line. */
function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--help' || arg === '-h');
}

function runCommand(command: CommandName, argv: string[], io: CliIo): Promise<number> {
  if (command === 'diff') return diff(argv, io);
  const args = parseCommandArgs(command, argv);
  if (command === 'print') return print(args, io);
  if (command === 'get') return get(args, io);
  if (command === 'schema') return schema(args, io);
  if (command === 'env') return envTable(args, io);
  if (command === 'check') return check(args, io);
  if (command === 'iam') return iam(args, io);
  if (command === 'local') return local(args, io);
  return validate(args, io);
}

/** Writes a failure to stderr: usage errors with the short usage (exit 2), the rest with their code (exit 1). */
function report(err: unknown, command: CommandName | undefined, io: CliIo): number {
  const paint = paintFor(io.stderr, io.env);
  if (isConfigError(err)) {
    io.stderr.write(`strataconf: ${paint.red(err.code)}: ${err.message}\n`);
    if (err.code !== 'USAGE') return EXIT.failed;
    io.stderr.write(`\n${shortUsage(command)}`);
    return EXIT.usage;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`strataconf: ${paint.red('error')}: ${message}\n`);
  return EXIT.failed;
}

/**
 * The CLI, in-process: parses `argv` (without `node` and the script), runs the command, writes to
 * `io.stdout`/`io.stderr`, and resolves the exit code (0 ok, 1 config failed, 2 usage). It never
 * calls `process.exit`, so tests run it as a function.
 *
 * @example
 * ```ts
 * const code = await run(['print', '--file', 'config.json5', '--env', 'APP_'], {
 *   stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(),
 * });
 * ```
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    const topic = rest[0];
    if (first === undefined) return report(usageError('missing COMMAND'), undefined, io);
    io.stdout.write(fullHelp(isCommand(topic) ? topic : undefined));
    return EXIT.ok;
  }
  if (!isCommand(first)) return report(usageError(`unknown command "${first}"`), undefined, io);
  if (wantsHelp(rest)) {
    io.stdout.write(fullHelp(first));
    return EXIT.ok;
  }
  try {
    return await runCommand(first, rest, io);
  } catch (err) {
    return report(err, first, io);
  }
}
