/** What `npm run bench` makes sure of before measuring: the peers installed, strataconf built. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = fileURLToPath(new URL('..', import.meta.url));
export const ROOT = join(BENCH, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function sh(cmd, args, cwd) {
  process.stderr.write(`bench: ${cmd} ${args.join(' ')}\n`);
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Installs the root's dev tools and bench/'s peers (from bench/package-lock.json) when missing. */
export function ensureDeps() {
  if (!existsSync(join(ROOT, 'node_modules/tsup')) || !existsSync(join(ROOT, 'node_modules/esbuild'))) {
    sh(npm, ['ci', '--no-audit', '--no-fund'], ROOT);
  }
  const { dependencies } = JSON.parse(readFileSync(join(BENCH, 'package.json'), 'utf8'));
  const missing = Object.keys(dependencies).filter(
    (d) => !existsSync(join(BENCH, 'node_modules', d, 'package.json')),
  );
  if (missing.length > 0) sh(npm, ['ci', '--prefix', 'bench', '--no-audit', '--no-fund'], ROOT);
}

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ with tsup when it is missing or older than src/: the figures measure the build. */
export function ensureBuild() {
  const built = join(ROOT, 'dist/index.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestIn(join(ROOT, 'src'))) return;
  sh(npx, ['tsup'], ROOT);
}

export function machine() {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model?.trim() ?? 'unknown',
    node: process.version,
    os: `${platform()} ${release()}`,
    loadavg: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
  };
}
