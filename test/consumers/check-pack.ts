/**
 * `npm run check:pack`: lists what `npm pack` would publish (without writing a tarball) and fails
 * when anything but `dist/**`, package.json and the documents (README.md and the pages it links to:
 * docs/guide/*.md, docs/API.md, docs/migrating.md, BENCHMARKS.md, SECURITY.md, LICENSE, CHANGELOG.md)
 * is in it, or when a file package.json points to is not. Run it after `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type PackageJsonShape, packProblems } from './pack-contents.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface PackEntry {
  files: { path: string }[];
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
const [entry] = JSON.parse(out) as PackEntry[];
if (!entry) throw new Error('npm pack --dry-run --json printed no package');
const files = entry.files.map((f) => f.path).sort();
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as PackageJsonShape;
const problems = packProblems(files, pkg);

if (problems.length > 0) {
  console.error(`npm pack would publish a wrong tarball:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(`npm pack contents: ${files.length} files, only dist/**, package.json and the documents`);
}
