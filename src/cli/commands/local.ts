import { resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { FolderChanges } from '../../local-aws/folder.js';
import type { LocalAws, LocalAwsRequest } from '../../local-aws/types.js';
import type { CommandArgs } from '../args.js';
import { type CliIo, paintFor } from '../io.js';
import { formatEnv, type LocalArgs, localArgs, NOTIFY_VARIABLE } from './local-args.js';
import { startInBackground } from './local-background.js';

/**
 * `strataconf local --dir DIR [--port N] [--format sh|json] [--background]`: serves a folder as
 * local S3, SSM, Secrets Manager and AppConfig stores, prints the environment that points code at
 * them, reads files again when they change, and stops on SIGINT or SIGTERM.
 */

/** Resolves when the command should stop: `io.signal`, else the process's SIGINT or SIGTERM. */
function stopped(io: CliIo): Promise<void> {
  const { signal } = io;
  if (signal)
    return signal.aborted
      ? Promise.resolve()
      : new Promise((done) => signal.addEventListener('abort', () => done()));
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Applies what a scan found; a value a store refuses is one more problem. */
function apply(aws: LocalAws, changes: FolderChanges): string[] {
  const problems = [...changes.problems];
  for (const [service, name] of changes.remove) aws.remove(service, name);
  for (const [service, values] of Object.entries(changes.put)) {
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      try {
        aws.put({ [service]: { [name]: value } });
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
  }
  return problems;
}

function requestLine(r: LocalAwsRequest): string {
  return `strataconf local: ${r.service} ${r.operation} ${r.resource} -> ${r.status || 'dropped'}${r.error ? ` ${r.error}` : ''}\n`;
}

/** Starts the server on the folder's files; each request first reads the files that changed, one scan at a time. */
async function serveFolder(options: LocalArgs, io: CliIo, quiet: boolean): Promise<LocalAws> {
  const { LocalFolder } = await import('../../local-aws/folder.js');
  const folder = new LocalFolder(resolve(io.cwd, options.dir));
  await folder.open();
  const first = await folder.scan();
  const { startServer } = await import('../../local-aws/server.js');
  const warn = (text: string) =>
    io.stderr.write(`strataconf local: ${paintFor(io.stderr, io.env).yellow('warning')}: ${text}\n`);
  let scanning: Promise<void> | undefined;
  const rescan = async () => {
    const changes = await folder.scan();
    if (changes.changed.length > 0)
      io.stderr.write(`strataconf local: reloaded ${changes.changed.join(', ')}\n`);
    for (const problem of apply(aws, changes)) warn(problem);
  };
  const aws: LocalAws = await startServer(
    {},
    {
      port: options.port,
      beforeRequest: () => {
        scanning ??= rescan().finally(() => {
          scanning = undefined;
        });
        return scanning;
      },
      ...(quiet ? {} : { onRequest: (r: LocalAwsRequest) => io.stderr.write(requestLine(r)) }),
    },
  );
  const problems = apply(aws, first);
  if (problems.length > 0) {
    await aws.close();
    throw new ConfigError('PARSE_ERROR', `${options.dir}: ${problems.join('; ')}`, { dir: options.dir });
  }
  return aws;
}

/** `strataconf local`. */
export async function local(args: CommandArgs, io: CliIo): Promise<number> {
  const options = localArgs(args);
  if (options.background) return startInBackground(options, io);
  // A background server's parent asked for its environment over IPC, and for no request lines.
  const quiet = io.env[NOTIFY_VARIABLE] === '1';
  const aws = await serveFolder(options, io, quiet);
  io.stdout.write(formatEnv(aws.env, options.format));
  if (quiet && typeof process.send === 'function') process.send({ env: aws.env });
  else io.stderr.write(`strataconf local: serving ${options.dir} on ${aws.endpoint}; stop it with Ctrl-C\n`);
  await stopped(io);
  await aws.close();
  if (!quiet) io.stderr.write('strataconf local: stopped\n');
  return 0;
}
