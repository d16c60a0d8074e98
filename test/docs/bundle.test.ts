import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksOf } from './blocks.js';

/**
 * The README's handler bundled as the README says (its esbuild command, flags and all), so advice
 * that grows the bundle fails here: a `z.config(z.locales.en())` that pulls every zod locale in,
 * `import { z } from 'zod'`, or a strataconf change that drags code into every handler. The bound is
 * the one the README states. The bundle's failed init must read well too (`ConfigError`, source lines).
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The README says the bundle stays under this; it is about 90 KB. */
const BOUND_BYTES = 120 * 1024;

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
const blocks = blocksOf('README.md', readme);
const fileBlock = (name: string) => blocks.find((b) => b.file === name);
const handler = blocks.find((b) => b.lang === 'ts' && b.code.startsWith('// handler.ts'));
/** The README's esbuild command: the words from `esbuild` to `&&`, continuation lines joined. */
const command = blocks
  .filter((b) => b.lang === 'sh')
  .map((b) => b.code.replace(/\\\n\s*/g, ' '))
  .flatMap((code) => code.split('\n'))
  .find((line) => line.startsWith('npx esbuild handler.ts'));
const esbuildArgs = (command ?? '')
  .split('&&')[0]
  ?.trim()
  .split(/\s+/)
  .slice(2)
  .map((word) => word.replace(/^'(.*)'$/, '$1'));

let dir = '';

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; out: string; err: string }>((done) => {
    execFile(cmd, args, { cwd, env, timeout: 60_000 }, (error, out, err) =>
      done({ code: error ? Number((error as { code?: number }).code ?? 1) || 1 : 0, out, err }),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strataconf-readme-bundle-'));
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }');
  for (const name of ['config.json5', 'schema.ts'])
    await writeFile(join(dir, name), fileBlock(name)?.code ?? '');
  await writeFile(join(dir, 'handler.ts'), handler?.code ?? '');
  await mkdir(join(dir, 'dist'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the README's handler, bundled as the README says", () => {
  it('has a handler, a schema, a blueprint and an esbuild command to bundle', () => {
    expect([handler, fileBlock('schema.ts'), fileBlock('config.json5')].every(Boolean)).toBe(true);
    expect(esbuildArgs).toEqual(
      expect.arrayContaining(['handler.ts', '--bundle', '--outfile=dist/index.mjs']),
    );
  });

  it(`stays under the ${BOUND_BYTES / 1024} KB the README states`, async () => {
    const esbuild = join(REPO, 'node_modules/.bin/esbuild');
    // strataconf is this source tree, as the guide's blocks see it.
    const alias = `--alias:strataconf=${join(REPO, 'src/index.ts')}`;
    const built = await run(
      esbuild,
      [...(esbuildArgs ?? []), alias, '--log-level=warning'],
      dir,
      process.env,
    );
    expect(built, built.err).toMatchObject({ code: 0, err: '' });
    const size = statSync(join(dir, 'dist/index.mjs')).size;
    expect(size, `the bundle is ${size} bytes`).toBeLessThanOrEqual(BOUND_BYTES);
    await writeFile(join(dir, 'dist/config.json5'), fileBlock('config.json5')?.code ?? '');
  }, 60_000);

  it('runs, and a failed init names ConfigError and source lines (keep-names, source maps)', async () => {
    const script = `const m = await import('./index.mjs');
      console.log(JSON.stringify(await m.handler({}, { getRemainingTimeInMillis: () => 3000 })));`;
    const args = ['--input-type=module', '-e', script];
    const env = { PATH: process.env.PATH, NODE_OPTIONS: '--enable-source-maps' };
    const ok = await run(process.execPath, args, join(dir, 'dist'), {
      ...env,
      APP_DB__HOST: 'db.internal',
      APP_API_KEY: 'k-123456',
    });
    expect(ok, ok.err).toMatchObject({ code: 0, out: '{"host":"db.internal","port":5432}\n' });
    const failed = await run(process.execPath, args, join(dir, 'dist'), env);
    expect(failed.code).not.toBe(0);
    expect(failed.err).toMatch(/^ConfigError: 2 values marked \$override were not set by a later layer:$/m);
    expect(failed.err).toMatch(/\.ts:\d+/);
  });
});
