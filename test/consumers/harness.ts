import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Consumer projects on the packed tarball: strataconf built by its own tsup config into a staging
 * copy of the package (never the repository's dist/, which other test files and `npm run build` may
 * be rewriting), packed with `npm pack`, and installed with `npm install <tarball>` into temporary
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
  options: { cwd: string; env?: NodeJS.ProcessEnv },
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

/** What package.json `files` ships beside dist/ (copied whole: docs/guide is a folder). */
const PACKAGE_DOCUMENTS = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'BENCHMARKS.md',
  'SECURITY.md',
  'docs/guide',
  'docs/API.md',
  'docs/migrating.md',
];

/** Builds strataconf into a staging copy of the package and packs it; removes the folder if that fails. */
export async function buildAndPack(): Promise<Packed> {
  const root = await mkdtemp(join(tmpdir(), 'strataconf-consumers-'));
  try {
    const stage = join(root, 'package');
    await mkdir(stage);
    for (const file of PACKAGE_DOCUMENTS) await cp(join(REPO, file), join(stage, file), { recursive: true });
    const tsup = join(REPO, 'node_modules/tsup/dist/cli-default.js');
    await runOk(process.execPath, [tsup, '--out-dir', join(stage, 'dist'), '--silent'], { cwd: REPO });
    const packed = await runOk(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', root], {
      cwd: stage,
    });
    const [entry] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
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
