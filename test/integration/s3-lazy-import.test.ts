import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putObject, type S3Path, s3EnvFor, seedObjects } from '../setup/s3.js';

/**
 * `@aws-sdk/client-s3` is loaded only when an S3 layer loads on the SDK path, and never on the
 * light path (credentials in the environment, as on Lambda), in the ESM and the CJS build: each
 * case runs the package built by tsup (this repo's config, declarations off) in a child process,
 * installed in a temp folder outside this repo so that Node finds only the SDK the case provides:
 * - `fake`: a stand-in SDK that counts its own evaluations (works the same for ESM and CJS);
 * - `missing`: no SDK at all (and no @smithy package either);
 * - `real`: the real SDK (linked), loading an object from the local s3rver.
 * The SDK-path cases keep the credentials in a shared credentials file (`s3EnvFor('sdk')`).
 */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const BUCKET = 'strataconf-it-lazy';
let work: string;

const FAKE_SDK = `
globalThis.fakeSdkLoads = (globalThis.fakeSdkLoads ?? 0) + 1;
class GetObjectCommand { constructor(input) { this.input = input; } }
class S3Client {
  async send(command) {
    return { Body: JSON.stringify({ from: 'fake sdk', key: command.input.Key }), ETag: '"fake"' };
  }
}
`;

function writeFakeSdk(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: '@aws-sdk/client-s3',
      exports: { import: './index.mjs', require: './index.cjs' },
    }),
  );
  writeFileSync(join(dir, 'index.mjs'), `${FAKE_SDK}export { GetObjectCommand, S3Client };\n`);
  writeFileSync(join(dir, 'index.cjs'), `${FAKE_SDK}module.exports = { GetObjectCommand, S3Client };\n`);
}

/** A folder where `strataconf` is the built package, with json5, and the SDK of `kind`. */
function install(kind: 'fake' | 'missing' | 'real', dist: string): string {
  const modules = join(work, kind, 'node_modules');
  mkdirSync(join(modules, 'strataconf'), { recursive: true });
  cpSync(join(repo, 'package.json'), join(modules, 'strataconf', 'package.json'));
  cpSync(dist, join(modules, 'strataconf', 'dist'), { recursive: true });
  symlinkSync(join(repo, 'node_modules', 'json5'), join(modules, 'json5'));
  symlinkSync(join(repo, 'node_modules', 'aws4'), join(modules, 'aws4'));
  if (kind === 'fake') writeFakeSdk(join(modules, '@aws-sdk', 'client-s3'));
  if (kind === 'real') symlinkSync(join(repo, 'node_modules', '@aws-sdk'), join(modules, '@aws-sdk'));
  return join(work, kind);
}

/**
 * The body of a child script, the same for both formats: `mod` is the strataconf module; it prints
 * what was loaded before a load, and the result (or error) of loading `target`.
 */
const SCRIPT = `
const sdkLoaded = () => (globalThis.fakeSdkLoads ?? 0) > 0 || cjsSdkLoaded();
const source = mod.fromS3(process.env.TARGET, { optional: process.env.OPTIONAL !== 'false' });
const out = { afterImportAndFactory: sdkLoaded() };
const warnings = [];
try {
  out.config = await mod.loadConfig({ sources: [source], logger: { warn: (m) => warnings.push(m) } });
} catch (err) {
  out.error = { code: err.code, message: err.message };
}
Object.assign(out, { afterLoad: sdkLoaded(), warnings });
console.log(JSON.stringify(out));
`;

const ESM = `import * as mod from 'strataconf';\nconst cjsSdkLoaded = () => false;\n${SCRIPT}`;
const CJS = `const mod = require('strataconf');
const cjsSdkLoaded = () => Object.keys(require.cache).some((k) => /@aws-sdk|@smithy/.test(k));
(async () => {${SCRIPT}})();`;

interface ChildResult {
  afterImportAndFactory: boolean;
  afterLoad: boolean;
  config?: unknown;
  error?: { code: string; message: string };
  warnings: string[];
}

async function child(
  format: 'esm' | 'cjs',
  cwd: string,
  env: Record<string, string>,
  path: S3Path = 'sdk',
): Promise<ChildResult> {
  const args = format === 'esm' ? ['--input-type=module', '-e', ESM] : ['-e', CJS];
  const { stdout } = await run(process.execPath, args, {
    cwd,
    env: { ...process.env, ...s3EnvFor(path), ...env },
    timeout: 15_000,
  });
  return JSON.parse(stdout) as ChildResult;
}

const roots = {} as Record<'fake' | 'missing' | 'real', string>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strataconf-lazy-'));
  const dist = join(work, 'dist');
  await build({
    entry: { index: join(repo, 'src/index.ts'), testing: join(repo, 'src/testing.ts') },
    outDir: dist,
    dts: false,
    clean: true,
    silent: true,
  });
  for (const kind of ['fake', 'missing', 'real'] as const) roots[kind] = install(kind, dist);
  await seedObjects(BUCKET, {});
  await putObject(BUCKET, 'prod.json5', "{ db: { host: 'from s3rver' } }");
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(['esm', 'cjs'] as const)('the %s build', (format) => {
  it('loads no SDK on import and fromS3, and loads it when the S3 layer loads', async () => {
    const out = await child(format, roots.fake, { TARGET: 's3://any-bucket/app.json5' });
    expect(out).toMatchObject({ afterImportAndFactory: false, afterLoad: true, warnings: [] });
    expect(out.config).toEqual({ from: 'fake sdk', key: 'app.json5' });
  });

  it('reads an object from S3 with the real SDK, loaded only at that point', async () => {
    const out = await child(format, roots.real, { TARGET: `s3://${BUCKET}/prod.json5` });
    expect(out).toMatchObject({ afterImportAndFactory: false, warnings: [] });
    // require.cache shows the real SDK in CJS; ESM has no such registry (the fake SDK covers ESM).
    if (format === 'cjs') expect(out.afterLoad).toBe(true);
    expect(out.config).toEqual({ db: { host: 'from s3rver' } });
  });

  it('without the SDK, drops an optional layer with a warning that says how to install it', async () => {
    const out = await child(format, roots.missing, { TARGET: 's3://any-bucket/app.json5' });
    expect(out.warnings).toEqual([
      'dropped optional source s3://any-bucket/app.json5: @aws-sdk/client-s3 is not installed; add it with `npm install @aws-sdk/client-s3`',
    ]);
  });

  it('without the SDK, fails a required layer with SOURCE_UNAVAILABLE saying how to install it', async () => {
    const out = await child(format, roots.missing, {
      TARGET: 's3://any-bucket/app.json5',
      OPTIONAL: 'false',
    });
    expect(out.error).toEqual({
      code: 'SOURCE_UNAVAILABLE',
      message:
        's3://any-bucket/app.json5 is unavailable: @aws-sdk/client-s3 is not installed; add it with `npm install @aws-sdk/client-s3`',
    });
  });

  it('on the light path, reads the object without any SDK installed', async () => {
    const out = await child(format, roots.missing, { TARGET: `s3://${BUCKET}/prod.json5` }, 'light');
    expect(out).toMatchObject({ warnings: [], config: { db: { host: 'from s3rver' } } });
  });

  it('on the light path, never evaluates an installed SDK (or, in CJS, any @aws-sdk or @smithy module)', async () => {
    const fake = await child(format, roots.fake, { TARGET: `s3://${BUCKET}/prod.json5` }, 'light');
    expect(fake).toMatchObject({ afterImportAndFactory: false, afterLoad: false, warnings: [] });
    expect(fake.config).toEqual({ db: { host: 'from s3rver' } });
    const real = await child(format, roots.real, { TARGET: `s3://${BUCKET}/prod.json5` }, 'light');
    expect(real).toMatchObject({ afterLoad: false, config: { db: { host: 'from s3rver' } } });
  });
});
