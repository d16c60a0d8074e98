import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { isPlainObject } from '../layer-tree.js';
import { secretPaths } from '../schema.js';
import { parseCommandArgs, usageError } from './args.js';
import { type DiffLeaf, leavesOf } from './diff.js';
import type { CliIo } from './io.js';
import { loadStack, resolveStack } from './stack.js';

/**
 * `diff --set-env`: each side loads in a child process running this CLI, with the side's own
 * environment, so a `--loader` module that reads its stage from the environment when it is
 * imported sees that side's value. The child prints one JSON document ({@link SideReport}) on
 * stdout, its warnings and errors on stderr. Secret values never leave the child unless
 * `--show-secrets`: it sends them redacted, with a keyed digest of every value so the parent still
 * sees which secrets differ (the key is new for each run and known only to the parent and its children).
 */

/** The argument that makes `diff` load one side and report it (the child's side of the protocol). */
export const SIDE_FLAG = '--report-side-json';
/** The variable that carries the digest key to the children. */
export const DIGEST_KEY_VARIABLE = 'STRATACONF_DIFF_DIGEST_KEY';

/** What a child reports about its side. */
export interface SideReport {
  /** True when the side has a schema (from its `--loader`). */
  schema: boolean;
  /** Paths the side holds secret (`*` for any key): its schema's marks and its secret leaves. */
  secretPaths: string[][];
  leaves: DiffLeaf[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `--set-env NAME=VALUE` values, as variables; a bad one is a usage error. */
export function parseSetEnv(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values) {
    const split = item.indexOf('=');
    const name = split === -1 ? item : item.slice(0, split);
    if (split === -1 || !NAME.test(name)) {
      throw usageError(`--set-env expects NAME=VALUE with a variable name, not "${item}"`, 'diff');
    }
    out[name] = item.slice(split + 1);
  }
  return out;
}

const PARENT_ONLY = new Set(['--set-env', '--format']);

/** A side's arguments for its child: without what the parent handles (`--set-env`, `--format`, `--show-secrets`). */
export function childArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (PARENT_ONLY.has(arg)) i++;
    else if (arg !== '--show-secrets' && ![...PARENT_ONLY].some((o) => arg.startsWith(`${o}=`)))
      out.push(arg);
  }
  return out;
}

/** JSON with object keys sorted, so equal values digest alike whatever their key order. */
function canonical(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (!isPlainObject(v)) return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, v[k]]),
    );
  });
  // `undefined` or a function (a schema transform may leave one) has no JSON text of its own.
  return text ?? String(value);
}

/** The keyed digest a child sends for a value: equal values (in any key order) digest alike. */
export function digestOf(key: string, value: unknown): string {
  return createHmac('sha256', key).update(canonical(value)).digest('hex');
}

/** The child: loads one side (`diff --report-side-json SOURCES`) and prints its {@link SideReport}. */
export async function reportSide(argv: string[], io: CliIo): Promise<number> {
  const key = io.env[DIGEST_KEY_VARIABLE];
  if (key === undefined || key === '')
    throw usageError(`${SIDE_FLAG} is for diff's own child processes`, 'diff');
  const args = parseCommandArgs('diff', argv);
  const show = args.flags.has('show-secrets');
  const options = await resolveStack(args.stack, io);
  // Always a real redactor: it says which leaves are secret; --show-secrets only skips applying it.
  const { config, redactor } = await loadStack(options, io, false);
  const digest = (value: unknown) => digestOf(key, value);
  const leaves = leavesOf(config).map((leaf) => ({
    ...leaf,
    value: show ? leaf.value : redactor.redact(leaf.value, leaf.path),
    digest: digest(leaf.value),
  }));
  const report: SideReport = {
    schema: options.schema !== undefined,
    secretPaths: [
      ...(options.schema === undefined ? [] : secretPaths(options.schema)),
      ...leaves.filter((leaf) => redactor.isSecret(leaf.path)).map((leaf) => leaf.path),
    ],
    leaves,
  };
  io.stdout.write(`${JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
  return 0;
}

/** A child's outcome: its report, or the exit code it failed with; its stderr either way. */
export interface SideOutcome {
  report?: SideReport;
  code: number;
  stderr: string;
}

/** A new digest key for one `diff` run. */
export function newDigestKey(): string {
  return randomBytes(32).toString('hex');
}

/** How the parent runs a side: its arguments, its variables, the run's digest key, `--show-secrets`. */
export interface SideRun {
  argv: readonly string[];
  env: Record<string, string>;
  key: string;
  show: boolean;
}

/** Runs one side in a child process of this CLI, with `run.env` added to the environment. */
export function loadSideInChild(run: SideRun, io: CliIo): Promise<SideOutcome> {
  const self = io.self;
  if (!self)
    throw usageError('--set-env needs the CLI to start itself again: run the strataconf bin', 'diff');
  const show = run.show ? ['--show-secrets'] : [];
  const args = [...self.args, 'diff', SIDE_FLAG, ...childArgs(run.argv), ...show];
  const { env, key } = run;
  const childEnv = { ...io.env, ...env, [DIGEST_KEY_VARIABLE]: key };
  return new Promise((resolve, reject) => {
    const child = spawn(self.command, args, {
      cwd: io.cwd,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return resolve({ code: code ?? 1, stderr });
      try {
        resolve({ report: JSON.parse(stdout) as SideReport, code: 0, stderr });
      } catch {
        resolve({ code: 1, stderr: `${stderr}strataconf: error: a diff side printed no report\n` });
      }
    });
  });
}
