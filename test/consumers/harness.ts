import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Consumer projects on the packed tarball: a fresh checkout of this repository (the files git has,
 * no dist/) packed with a plain `npm pack`, as `npm publish` packs it (its `prepack` script builds;
 * nothing is built by hand, and never into the repository's dist/, which other test files and
 * `npm run build` may be rewriting), then installed with `npm install <tarball>` into temporary
 * projects under os.tmpdir(), as a user installs it. Only the npm registry (or its cache) is needed.
 */

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PROJECTS = join(REPO, 'test/consumers/projects');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never rejects on a non-zero exit (the caller asserts the code). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16e6,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
        if (code === undefined)
          reject(new Error(`${command} ${args.join(' ')} failed: ${error?.message}\n${stderr}`));
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Like {@link run}, but a non-zero exit is an error carrying the output. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/**
 * The environment of a consumer process: a Lambda-like clean slate (no AWS_*, APP_* or npm_* variables
 * from the test run), plus the given variables.
 */
export function consumerEnv(vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', TZ: 'UTC', ...vars };
}

/** The version of a package installed in the repository, so consumer projects install it from the npm cache. */
export async function repoVersion(name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(REPO, 'node_modules', name, 'package.json'), 'utf8'));
  return String(pkg.version);
}

export interface Packed {
  /** The temporary folder holding the staging copy, the tarball and the projects. */
  root: string;
  tarball: string;
  /** The files in the tarball, as npm lists them. */
  files: string[];
}

/**
 * A fresh clone of this checkout in `into`: the files git tracks, and new ones it does not ignore
 * (so a run before a commit packs them too); no dist/, no node_modules, nothing else ignored. The
 * repository's node_modules is linked in, as `npm ci` would fill it, for the build's tools.
 */
async function freshCheckout(into: string): Promise<void> {
  const listed = await runOk('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
  });
  for (const file of listed.stdout.split('\0')) {
    // A tracked file deleted in the work tree is not in a clone made from it either.
    if (file === '' || !existsSync(join(REPO, file))) continue;
    await mkdir(dirname(join(into, file)), { recursive: true });
    await copyFile(join(REPO, file), join(into, file));
  }
  await symlink(join(REPO, 'node_modules'), join(into, 'node_modules'), 'dir');
}

/**
 * Packs a fresh checkout with `npm pack` and its lifecycle scripts, as `npm publish` would: the
 * tarball holds a build only if `prepack` makes one. Removes the folder if that fails.
 */
export async function buildAndPack(): Promise<Packed> {
  const root = await mkdtemp(join(tmpdir(), 'strataconf-consumers-'));
  try {
    const checkout = join(root, 'checkout');
    await freshCheckout(checkout);
    const packed = await runOk(npm, ['pack', '--json', '--pack-destination', root], {
      cwd: checkout,
      timeoutMs: 180_000,
    });
    // The prepack build writes to stdout too: the JSON is the array at the end.
    const json = packed.stdout.slice(Math.max(0, packed.stdout.search(/^\[$/m)));
    const [entry] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
    if (!entry) throw new Error(`npm pack printed no package: ${packed.stdout}`);
    return { root, tarball: join(root, entry.filename), files: entry.files.map((f) => f.path).sort() };
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}

/**
 * A new project of one kind (a folder of test/consumers/projects) with the shared config layer, and
 * the tarball plus zod (and `extra` packages) installed by npm.
 */
export async function createProject(packed: Packed, kind: string, extra: string[] = []): Promise<string> {
  const dir = join(packed.root, kind);
  await cp(join(PROJECTS, kind), dir, { recursive: true });
  await copyFile(join(PROJECTS, 'config.json5'), join(dir, 'config.json5'));
  const zod = `zod@${await repoVersion('zod')}`;
  await runOk(
    npm,
    ['install', packed.tarball, zod, ...extra, '--no-audit', '--no-fund', '--prefer-offline'],
    {
      cwd: dir,
    },
  );
  return dir;
}

/**
 * The Node.js binaries to run the ESM, CJS and bundled consumers under: this process's, plus one per
 * major version in `STRATACONF_TEST_NODE` (e.g. `22` or `22,24`), fetched from the npm registry's
 * `node` package by `npx -y node@MAJOR` (cached by npm after the first run).
 */
export async function nodeRuntimes(): Promise<{ label: string; bin: string }[]> {
  const runtimes = [
    { label: `Node ${process.versions.node} (the Node running the tests)`, bin: process.execPath },
  ];
  const majors = (process.env.STRATACONF_TEST_NODE ?? '').split(',').filter((m) => m.trim() !== '');
  for (const major of majors) {
    const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
    const probe = await runOk(
      npx,
      ['-y', `node@${major.trim()}`, '-p', 'process.execPath + " " + process.versions.node'],
      { cwd: tmpdir() },
    );
    const [bin, version] = probe.stdout.trim().split(' ');
    if (!bin || !version?.startsWith(`${major.trim()}.`))
      throw new Error(`node@${major} printed ${probe.stdout}`);
    runtimes.push({ label: `Node ${version} (npm package node@${major.trim()})`, bin });
  }
  return runtimes;
}
