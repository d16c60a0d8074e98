import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The deployment artifact, built by the example's own script into a fresh task root (what Lambda
 * unpacks into /var/task). Task roots live under the repository's `.tmp/`, so the one thing the bundle
 * leaves out, `@aws-sdk/*`, resolves from the repository's node_modules, as on Lambda it resolves from
 * the runtime's.
 */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const buildScript = join(repo, 'examples', 'lambda-handler', 'build.mjs');

/** What esbuild says went into the bundle. */
export interface Metafile {
  inputs: Record<string, { bytes: number }>;
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

export interface TaskRoot {
  dir: string;
  /** The bundle, `index.mjs`: handler `index.handler`. */
  file: string;
  bytes: number;
  metafile: Metafile;
  /** Writes a file beside the bundle (e.g. `config.local.json5`). */
  write(name: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

/** Runs `node examples/lambda-handler/build.mjs` as a user would, into a new task root. */
export async function buildTaskRoot({ minify = false } = {}): Promise<TaskRoot> {
  await mkdir(join(repo, '.tmp'), { recursive: true });
  const dir = await mkdtemp(join(repo, '.tmp', 'lambda-task-'));
  const args = [buildScript, '--outdir', dir, '--metafile', ...(minify ? ['--minify'] : [])];
  await promisify(execFile)(process.execPath, args, { cwd: repo });
  const file = join(dir, 'index.mjs');
  return {
    dir,
    file,
    bytes: (await stat(file)).size,
    metafile: JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Metafile,
    write: (name, text) => writeFile(join(dir, name), text),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
