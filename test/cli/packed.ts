import { execFile, spawn } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Options } from 'tsup';
import tsupConfig from '../../tsup.config.js';

/**
 * The CLI as a user gets it: the package built by its own tsup config (types left out, they do not
 * matter to a bin), packed with `npm pack`, installed from the tarball into a temporary project.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI_FIXTURES = join(REPO, 'fixtures/cli');
const run = promisify(execFile);

/** The AWS SDK version the repository tests with, so the project installs it from the npm cache. */
async function sdkVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8'));
  return String(pkg.devDependencies['@aws-sdk/client-s3']).replace(/^\^/, '');
}

async function buildPackage(dir: string): Promise<void> {
  const configs = (Array.isArray(tsupConfig) ? tsupConfig : [tsupConfig]) as Options[];
  for (const options of configs)
    await build({ ...options, outDir: join(dir, 'dist'), dts: false, silent: true });
  await copyFile(join(REPO, 'package.json'), join(dir, 'package.json'));
}

/** Builds, packs and installs strataconf (and the AWS SDK) into a new project; returns its path. */
export async function installPackedProject(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'strataconf-cli-'));
  const pkg = join(root, 'pkg');
  await mkdir(pkg);
  await buildPackage(pkg);
  // Built above without types (faster): the package's prepack, which builds them too, is skipped.
  await run('npm', ['pack', pkg, '--pack-destination', root, '--silent', '--ignore-scripts']);
  const tarball = (await readdir(root)).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${root}`);
  const project = join(root, 'project');
  await mkdir(project);
  await writeFile(
    join(project, 'package.json'),
    '{ "name": "cli-smoke", "private": true, "type": "module" }\n',
  );
  const sdk = `@aws-sdk/client-s3@${await sdkVersion()}`;
  await run('npm', ['install', join(root, tarball), sdk, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: project,
  });
  for (const name of ['base.json5', 'prod.json5', 'staging.json5']) {
    await copyFile(join(CLI_FIXTURES, name), join(project, name));
  }
  await cp(join(CLI_FIXTURES, 'project'), project, { recursive: true });
  // Another copy of the package, next to a loader that imports it (resolved before the project's).
  await cp(join(project, 'node_modules/strataconf'), join(project, 'vendor/node_modules/strataconf'), {
    recursive: true,
  });
  await copyFile(join(project, 'other-copy.config.mjs'), join(project, 'vendor/config.mjs'));
  return project;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `cmd args` in `cwd` with only PATH, HOME and `env` in its environment. */
export function runProcess(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<ProcessResult> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
