import { fileURLToPath } from 'node:url';
import { type CliIo, run } from '../../src/cli/main.js';

/** The fixtures of the CLI tests. */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/cli/', import.meta.url));

/** Secrets planted under secret key names (`password`): redacted with or without a schema. */
export const KEY_SECRETS = ['hunter2-PLANTED-7f3a', 'staging-PLANTED-5d2b', 'env-PLANTED-0b9d'];
/** Planted at `signing.key`, secret only by the loader schema's `.meta({ secret: true })`. */
export const SCHEMA_SECRETS = ['sig-PLANTED-9c1e', 'sig-staging-PLANTED-3e8a'];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with string collectors for stdout/stderr; cwd defaults to the fixtures. */
export async function cli(
  argv: string[],
  opts: {
    env?: Record<string, string>;
    cwd?: string;
    tty?: boolean;
    s3?: CliIo['s3'];
    self?: CliIo['self'];
  } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty ?? false },
    env: opts.env ?? {},
    cwd: opts.cwd ?? FIXTURES,
  };
  if (opts.s3) io.s3 = opts.s3;
  if (opts.self) io.self = opts.self;
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** The CLI from source as a child process starts it (`diff --set-env`): this Node, tsx, src/cli/bin.ts. */
export const SELF_FROM_SOURCE: NonNullable<CliIo['self']> = {
  command: process.execPath,
  args: ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url))],
};

/** The planted secrets found in a result's output (expected: none). */
export function leaked(result: CliResult, secrets: readonly string[] = KEY_SECRETS): string[] {
  return secrets.filter((s) => result.stdout.includes(s) || result.stderr.includes(s));
}
