import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fromFile, loadConfig, resetConfigCache } from '../../src/index.js';
import { configError } from '../helpers.js';

// Broken and hostile files: each gets a ConfigError naming the source, quickly, without a stack
// overflow or a read of unbounded size.

afterEach(() => resetConfigCache());

const dir = mkdtempSync(join(tmpdir(), 'strataconf-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SRC = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

/**
 * Runs an ES module body in a child process, as `nobody` when this one is root; its JSON output.
 * The child runs strataconf bundled from src/ into the test's own folder (world-readable, under the
 * system's temp folder), with a copy of this Node: nothing it needs is inside the checkout, which
 * may sit under a folder only root can enter (a clone in a `mktemp -d` folder, mode 700).
 */
async function asUnprivileged(body: string): Promise<unknown> {
  const root = process.getuid?.() === 0;
  const nobody = root ? { uid: 65534, gid: 65534 } : {};
  const bundle = await bundleForNobody();
  const { stdout } = await promisify(execFile)(
    root ? nodeForNobody() : process.execPath,
    ['--input-type=module', '-e', body.replaceAll('STRATACONF', JSON.stringify(bundle))],
    { cwd: dir, ...nobody },
  );
  return JSON.parse(stdout);
}

/** strataconf as one file in the test folder (its optional SDKs and zod left out: not needed here). */
async function bundleForNobody(): Promise<string> {
  const out = join(dir, 'strataconf.mjs');
  if (!existsSync(out)) {
    const { build } = await import('esbuild');
    await build({
      entryPoints: [SRC],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      external: ['@aws-sdk/*', 'zod'],
      logLevel: 'error',
    });
    chmodSync(out, 0o644);
  }
  return out;
}

/**
 * The Node running the tests, where `nobody` can run it: CI's Node 22 and 24 live in a cache under
 * /root, which no other user can enter, so a copy in the (world-readable) test folder.
 */
function nodeForNobody(): string {
  const copy = join(dir, 'node');
  if (!existsSync(copy)) {
    copyFileSync(process.execPath, copy);
    chmodSync(copy, 0o755);
  }
  return copy;
}
const write = (name: string, body: string | Buffer) => {
  writeFileSync(join(dir, name), body);
  return join(dir, name);
};
const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

async function failure(path: string, name: string) {
  return { err: await configError(loadConfig({ sources: [fromFile(path, { name })] })) };
}

describe('hostile and broken files', () => {
  it.each([
    ['an empty file', 'empty.json5', '', 'PARSE_ERROR'],
    ['whitespace only', 'blank.json', '   \n\n', 'PARSE_ERROR'],
    ['a bare scalar', 'scalar.json', '42', 'PARSE_ERROR'],
    ['nesting 10,000 levels deep (JSON)', 'deep.json', deep(10_000), 'PARSE_ERROR'],
    ['nesting 10,000 levels deep (JSON5)', 'deep.json5', deep(10_000), 'PARSE_ERROR'],
    [
      'arrays nested 10,000 levels deep',
      'deep-array.json',
      `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      'PARSE_ERROR',
    ],
    ['a 10 MB file', 'huge.json', `{"blob":"${'x'.repeat(10 * 1024 * 1024)}"}`, 'PARSE_ERROR'],
    [
      'invalid UTF-8',
      'latin1.json5',
      Buffer.from([0x7b, 0x61, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      'PARSE_ERROR',
    ],
    ['a NUL byte in the text', 'nul.json', '{"a":\u0000}', 'PARSE_ERROR'],
  ])('refuses %s with %s naming the file', async (_what, name, body, code) => {
    const { err } = await failure(write(name, body), name);
    expect(err.code).toBe(code);
    expect(err.message.startsWith(`${name}: `)).toBe(true);
    expect(err.details.source).toBe(name);
  });

  it('reads a file with a byte order mark', async () => {
    const path = write('bom.json5', '\uFEFF{ ok: true }');
    expect(await loadConfig({ sources: [fromFile(path)] })).toEqual({ ok: true });
  });

  it('names a directory where a file is expected', async () => {
    mkdirSync(join(dir, 'a-dir.json'));
    const { err } = await failure(join(dir, 'a-dir.json'), 'a-dir.json');
    expect(err.message).toBe('a-dir.json is unavailable: is a directory');
  });

  it('names a symlink loop', async () => {
    symlinkSync(join(dir, 'loop-b.json'), join(dir, 'loop-a.json'));
    symlinkSync(join(dir, 'loop-a.json'), join(dir, 'loop-b.json'));
    const { err } = await failure(join(dir, 'loop-a.json'), 'loop-a.json');
    expect(err.message).toBe('loop-a.json is unavailable: too many symbolic links (a loop?)');
  });

  it('names a file that cannot be read (a device file that refuses reads)', async () => {
    const { err } = await failure('/proc/self/mem', 'mem');
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toMatch(/^mem is unavailable: /);
  });

  it('names a file without read permission, and drops it with a warning when optional', async () => {
    const path = write('secret.json', '{}');
    chmodSync(path, 0o000);
    chmodSync(dir, 0o755);
    // Root reads any file, and CI runs as root: the load runs in a child process as `nobody` there.
    const outcome = await asUnprivileged(`
      const { fromFile, loadConfig } = await import(STRATACONF);
      const warnings = [];
      const logger = { warn: (message) => warnings.push(message) };
      const required = await loadConfig({ sources: [fromFile(${JSON.stringify(path)}, { name: 'secret.json' })] })
        .then(() => 'loaded', (err) => ({ code: err.code, message: err.message }));
      const optional = await loadConfig({ logger, sources: [fromFile(${JSON.stringify(path)}, { name: 'opt', optional: true })] });
      console.log(JSON.stringify({ required, optional, warnings }));
    `);
    expect(outcome).toEqual({
      required: { code: 'SOURCE_UNAVAILABLE', message: 'secret.json is unavailable: permission denied' },
      optional: {},
      warnings: ['dropped optional source opt: permission denied'],
    });
  });

  it('refuses a character device that would never end', async () => {
    const { err } = await failure('/dev/zero', 'zero');
    expect(err.message).toBe('zero is unavailable: not a regular file');
  });

  it('drops an unreadable optional file with a warning rather than failing', async () => {
    symlinkSync(join(dir, 'loop-d.json'), join(dir, 'loop-c.json'));
    symlinkSync(join(dir, 'loop-c.json'), join(dir, 'loop-d.json'));
    const warnings: string[] = [];
    const config = await loadConfig({
      logger: { warn: (m) => warnings.push(m) },
      sources: [fromFile(join(dir, 'loop-c.json'), { optional: true, name: 'loop' })],
    });
    expect(config).toEqual({});
    expect(warnings).toEqual(['dropped optional source loop: too many symbolic links (a loop?)']);
  });
});
