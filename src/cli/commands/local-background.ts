import { resolve } from 'node:path';
import { usageError } from '../args.js';
import type { CliIo } from '../io.js';
import { formatEnv, type LocalArgs, NOTIFY_VARIABLE } from './local-args.js';

/**
 * `strataconf local --background`: the server runs in a process of its own, detached, and this
 * command returns once it serves, printing its environment with `STRATACONF_LOCAL_PID`. That is
 * what `eval "$(strataconf local --dir DIR --background)"` needs: a shell's `$(...)` waits for the
 * command it runs to end, so a server in the foreground would never give the shell its output.
 */

/** Starts the server in the background; resolves 0 once it serves, 1 when it failed to start (it said why on stderr). */
export async function startInBackground(options: LocalArgs, io: CliIo): Promise<number> {
  if (io.self === undefined)
    throw usageError('--background needs the strataconf bin, which starts itself again', 'local');
  const { spawn } = await import('node:child_process');
  const argv = ['local', '--dir', resolve(io.cwd, options.dir), '--port', String(options.port)];
  const child = spawn(io.self.command, [...io.self.args, ...argv], {
    // This process's own folder: Node resolves the flags it carries over (--import tsx) from there.
    cwd: process.cwd(),
    env: { ...io.env, [NOTIFY_VARIABLE]: '1' },
    detached: true,
    // Its stdout goes nowhere (a shell's $(...) would wait for it to close); its stderr is this one's.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const env = await new Promise<Record<string, string> | undefined>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { env?: Record<string, string> }).env));
    child.once('exit', () => resolve(undefined));
    child.once('error', reject);
  });
  if (env === undefined) return 1;
  child.disconnect();
  child.unref();
  const pid = String(child.pid);
  io.stdout.write(formatEnv({ ...env, STRATACONF_LOCAL_PID: pid }, options.format));
  io.stderr.write(
    `strataconf local: serving ${options.dir} on ${env.AWS_ENDPOINT_URL_S3} in the background; stop it with kill ${pid}\n`,
  );
  return 0;
}
