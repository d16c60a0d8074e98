import type { Source } from '../types.js';

/** A stream the CLI writes to: `process.stdout` fits, and so does a string collector in a test. */
export interface CliOutput {
  write(chunk: string): unknown;
  /** True when a person is looking at it (colour is used only then). */
  isTTY?: boolean;
}

/** How an S3 layer is made from `--s3` / `--required-s3`; tests replace it, the default is `fromS3`. */
export type S3Factory = (target: string, opts: { optional: boolean }) => Source | Promise<Source>;

/** Everything the CLI touches outside itself, so it runs in-process in tests as it does in a shell. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Read for `STRATACONF_SOURCES`, `NO_COLOR`, and by `--env` sources. */
  env: Record<string, string | undefined>;
  /** Relative `--file` and `--loader` paths resolve against it. */
  cwd: string;
  /** Replaces how S3 sources are built. @default fromS3, imported only when an S3 source is given */
  s3?: S3Factory;
  /**
   * How to start this CLI again in a process of its own (`diff --set-env` loads each side in one):
   * the program and the arguments that come before the CLI's own. The bin sets it; without it,
   * `--set-env` is a usage error.
   */
  self?: CliCommand;
  /**
   * Ends a command that serves until stopped (`local`) when it aborts. @default the process's
   * SIGINT and SIGTERM, listened to while it serves
   */
  signal?: AbortSignal;
}

/** A program and its leading arguments, e.g. `{ command: process.execPath, args: ['dist/cli.js'] }`. */
export interface CliCommand {
  command: string;
  args: string[];
}

/** ANSI styles, or identity functions when colour is off. */
export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const style =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const COLOURS: Paint = {
  bold: style(1, 22),
  dim: style(2, 22),
  red: style(31, 39),
  green: style(32, 39),
  yellow: style(33, 39),
};

const PLAIN: Paint = { bold: String, dim: String, red: String, green: String, yellow: String };

/**
 * Colour only for a terminal, and never when `NO_COLOR` is set to a non-empty value
 * (https://no-color.org) or `TERM=dumb`.
 */
export function paintFor(stream: CliOutput, env: CliIo['env']): Paint {
  const off = (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.TERM === 'dumb';
  return stream.isTTY === true && !off ? COLOURS : PLAIN;
}
