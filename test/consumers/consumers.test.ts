import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/testing.js';
import {
  buildAndPack,
  consumerEnv,
  createProject,
  nodeRuntimes,
  type Packed,
  REPO,
  repoVersion,
  run,
  runOk,
} from './harness.js';
import { packProblems } from './pack-contents.js';

/**
 * strataconf as users get it: the packed tarball installed into an ESM project, a CommonJS project, a
 * TypeScript project (tsc --strict, moduleResolution node16, bundler and the legacy node10) and an esbuild bundle of a
 * Lambda handler, on the Node that runs vitest (CI runs the suite on the machine's Node, 22 and 24:
 * `npm run test:node22`). Set STRATACONF_TEST_NODE=22,24 to run the ESM, CJS and bundled consumers
 * under those Nodes from the npm registry as well, in the same run.
 */

const runtimes = await nodeRuntimes();
let packed: Packed;
const projects: Record<'esm' | 'cjs' | 'ts' | 'bundle', string> = { esm: '', cjs: '', ts: '', bundle: '' };

beforeAll(async () => {
  packed = await buildAndPack();
  const typesNode = `@types/node@${await repoVersion('@types/node')}`;
  const [esm, cjs, ts, bundle] = await Promise.all([
    createProject(packed, 'esm'),
    createProject(packed, 'cjs'),
    createProject(packed, 'ts', [typesNode]),
    createProject(packed, 'bundle'),
  ]);
  Object.assign(projects, { esm, cjs, ts, bundle });
}, 180_000);

afterAll(async () => {
  if (packed) await rm(packed.root, { recursive: true, force: true });
});

/** The environment a deployed function would have: the stage sets db.host and db.port. */
const stageEnv = { APP_DB__HOST: 'db.internal', APP_DB__PORT: '6543' };

/** What the ESM and CJS consumers must both report. */
const expectedReport = {
  config: { service: 'orders', db: { host: 'db.internal', port: 6543 }, features: ['audit'] },
  frozen: true,
  warmSame: true,
  resetGivesNew: true,
  explainHost: {
    path: ['db', 'host'],
    value: 'db.internal',
    source: 'env:APP_',
    overridden: ['config.json5'],
  },
  capturedCodes: ['UNEXPECTED_OVERRIDE'],
  missingKey: { code: 'MISSING_KEY', instanceOfMain: true, isConfigError: true },
  missingFile: { code: 'SOURCE_UNAVAILABLE', instanceOfMain: true, isConfigError: true },
  s3Warnings: [
    { code: 'SOURCE_DROPPED', reason: expect.stringContaining('@aws-sdk/client-s3 is not installed') },
  ],
};

describe('the tarball a plain npm pack makes from a fresh clone (its prepack builds)', () => {
  it('holds only dist/**, package.json and the documents, and every file package.json names', async () => {
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8'));
    expect(packProblems(packed.files, pkg)).toEqual([]);
  });

  it('holds both entry points in ESM and CommonJS with their types, and the bin', () => {
    const entries = ['index', 'testing'].flatMap((name) =>
      ['js', 'cjs', 'd.ts', 'd.cts'].map((ext) => `dist/${name}.${ext}`),
    );
    expect(packed.files).toEqual(expect.arrayContaining([...entries, 'dist/cli.js']));
  });
});

describe.each(runtimes)('under $label', ({ bin }) => {
  it('an ESM project imports strataconf and strataconf/testing, which share one cache', async () => {
    const result = await runOk(bin, ['main.mjs'], { cwd: projects.esm, env: consumerEnv(stageEnv) });
    expect(JSON.parse(result.stdout)).toEqual(expectedReport);
    expect(result.stderr).toBe('[strataconf] UNEXPECTED_OVERRIDE: b from object was overridden by later\n');
  });

  it('a CommonJS project requires strataconf and strataconf/testing, which share one cache', async () => {
    const result = await runOk(bin, ['main.cjs'], { cwd: projects.cjs, env: consumerEnv(stageEnv) });
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8'));
    expect(JSON.parse(result.stdout)).toEqual({ ...expectedReport, version: pkg.version });
    expect(result.stderr).toBe('[strataconf] UNEXPECTED_OVERRIDE: b from object was overridden by later\n');
  });

  it.each(['esm', 'cjs'] as const)(
    'an esbuild bundle (%s) of a handler runs with no node_modules',
    async (format) => {
      const ext = format === 'esm' ? 'mjs' : 'cjs';
      const result = await invokeBundle(bin, format, ext);
      expect(result.invocations).toEqual([
        { service: 'orders', host: 'db.internal', port: 6543, hostSource: 'env:APP_', warm: false },
        { service: 'orders', host: 'db.internal', port: 6543, hostSource: 'env:APP_', warm: true },
      ]);
      expect(result.stderr).toMatch(
        /^\[strataconf\] SOURCE_DROPPED: dropped optional source s3:\/\/consumer-bundle\/override\.json5: .*@aws-sdk\/client-s3 is not installed/,
      );
    },
  );
});

describe('the default logger in a consumer', () => {
  it("writes one JSON line per warning under Lambda's JSON log format", async () => {
    const env = consumerEnv({ ...stageEnv, AWS_LAMBDA_LOG_FORMAT: 'JSON' });
    const result = await runOk(process.execPath, ['main.mjs'], { cwd: projects.esm, env });
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 'WARN',
        logger: 'strataconf',
        code: 'UNEXPECTED_OVERRIDE',
        by: 'later',
      }),
    ]);
  });
});

describe('the bin', () => {
  it('is installed as node_modules/.bin/strataconf and validates the project config', async () => {
    const cli = join(projects.esm, 'node_modules/.bin/strataconf');
    const ok = await run(cli, ['validate', '--file', 'config.json5', '--env', 'APP_'], {
      cwd: projects.esm,
      env: consumerEnv(stageEnv),
    });
    expect(ok.code).toBe(0);
    const missing = await run(cli, ['validate', '--file', 'config.json5'], {
      cwd: projects.esm,
      env: consumerEnv(),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('OVERRIDE_MISSING');
  });
});

const tsc = join(REPO, 'node_modules/typescript/lib/tsc.js');
/** tsc is the slow part (seconds per run, more on a busy machine): each test runs it once. */
const TSC_TIMEOUT = 120_000;

describe('a TypeScript project (tsc --strict, skipLibCheck as most projects set it)', () => {
  it(
    'compiles under moduleResolution node16 with the config type inferred from the schema, and the emitted handler runs',
    async () => {
      const compiled = await run(process.execPath, [tsc, '-p', 'tsconfig.node16.json'], { cwd: projects.ts });
      expect(compiled.stdout).toBe('');
      expect(compiled.code).toBe(0);
      const script = `const { handler } = await import('./out-node16/handler.js');
        console.log(JSON.stringify(await handler({}, { getRemainingTimeInMillis: () => 3000 })));`;
      const result = await runOk(process.execPath, ['--input-type=module', '-e', script], {
        cwd: projects.ts,
        env: consumerEnv(stageEnv),
      });
      expect(JSON.parse(result.stdout)).toEqual({
        host: 'db.internal',
        nextPort: 6544,
        first: 'audit',
        timeoutMs: 1000,
      });
    },
    TSC_TIMEOUT,
  );

  it.each(['bundler', 'node10'])(
    'compiles under moduleResolution %s with the config type inferred from the schema',
    async (mode) => {
      const compiled = await run(process.execPath, [tsc, '-p', `tsconfig.${mode}.json`], {
        cwd: projects.ts,
      });
      expect(compiled.stdout).toBe('');
      expect(compiled.code).toBe(0);
    },
    TSC_TIMEOUT,
  );

  it.each(['node16', 'bundler'])(
    'fails to compile, under moduleResolution %s, a wrong property access and a write to the frozen config',
    async (mode) => {
      await writeFile(
        join(projects.ts, `wrong-${mode}.ts`),
        [
          "import { config } from './handler.js';",
          'export async function wrong(): Promise<string> {',
          '  const loaded = await config.load();',
          '  loaded.db.port = 1;',
          '  const count: number = loaded.service;',
          '  return loaded.db.hots + count;',
          '}',
          '',
        ].join('\n'),
      );
      const tsconfig = `tsconfig.wrong-${mode}.json`;
      const files = [`wrong-${mode}.ts`];
      await writeFile(
        join(projects.ts, tsconfig),
        JSON.stringify({ extends: `./tsconfig.${mode}.json`, compilerOptions: { noEmit: true }, files }),
      );
      const result = await run(process.execPath, [tsc, '-p', tsconfig], { cwd: projects.ts });
      expect(result.code).not.toBe(0);
      expect(result.stdout.split('\n').filter((line) => line.includes('error TS'))).toEqual([
        expect.stringMatching(
          /^wrong-\w+\.ts\(4,13\): error TS2540: Cannot assign to 'port' because it is a read-only property/,
        ),
        expect.stringMatching(
          /^wrong-\w+\.ts\(5,9\): error TS2322: Type 'string' is not assignable to type 'number'/,
        ),
        expect.stringMatching(
          /^wrong-\w+\.ts\(6,20\): error TS2339: Property 'hots' does not exist on type '\{ readonly host: string; readonly port: number;/,
        ),
      ]);
    },
    TSC_TIMEOUT,
  );
});

/** Bundles the handler once per format (cached), copies it beside config.json5 into an empty folder, and invokes it twice. */
const bundles = new Map<string, Promise<string>>();
function bundleOnce(format: 'esm' | 'cjs', ext: string): Promise<string> {
  let dir = bundles.get(format);
  if (dir === undefined) {
    dir = (async () => {
      const outfile = join(projects.bundle, `dist/handler.${ext}`);
      await build({
        absWorkingDir: projects.bundle,
        entryPoints: ['handler.ts'],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format,
        external: ['@aws-sdk/*'],
        logLevel: 'silent',
      });
      const target = join(packed.root, `deployed-${format}`);
      await mkdir(target);
      await copyFile(outfile, join(target, `index.${ext}`));
      await copyFile(join(projects.bundle, 'config.json5'), join(target, 'config.json5'));
      return target;
    })();
    bundles.set(format, dir);
  }
  return dir;
}

async function invokeBundle(bin: string, format: 'esm' | 'cjs', ext: string) {
  const dir = await bundleOnce(format, ext);
  const script = `const { handler } = await import('./index.${ext}');
    const context = { getRemainingTimeInMillis: () => 3000 };
    const first = await handler({}, context);
    console.log(JSON.stringify([first, await handler({}, context)]));`;
  const result = await runOk(bin, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: consumerEnv(stageEnv),
  });
  return { invocations: JSON.parse(result.stdout), stderr: result.stderr };
}

/**
 * Plain `esbuild --bundle --platform=node`, no `--external`: the bundle builds whether or not the AWS
 * SDK can be found (here it could: `nodePaths` points at this repository's node_modules, which has
 * it, so a bundler that followed strataconf's SDK import would inline it), carries no SDK code, and
 * imports the SDK at run time only when a layer takes the SDK path.
 */
describe('a plain esbuild bundle, no externals', () => {
  /** Bundles `entry` of the bundle project and copies it beside config.json5 into a new empty folder. */
  async function plainBundle(entry: string, format: 'esm' | 'cjs') {
    const ext = format === 'esm' ? 'mjs' : 'cjs';
    const outfile = join(projects.bundle, `plain/${entry}.${format}.${ext}`);
    const result = await build({
      absWorkingDir: projects.bundle,
      entryPoints: [`${entry}.ts`],
      outfile,
      bundle: true,
      platform: 'node',
      format,
      metafile: true,
      nodePaths: [join(REPO, 'node_modules')],
      logLevel: 'silent',
    });
    const dir = await mkdtemp(join(packed.root, `deployed-${entry}-`));
    await copyFile(outfile, join(dir, `index.${ext}`));
    await copyFile(join(projects.bundle, 'config.json5'), join(dir, 'config.json5'));
    const sdkInputs = Object.keys(result.metafile?.inputs ?? {}).filter((f) => /@aws-sdk|@smithy/.test(f));
    return { dir, ext, warnings: result.warnings.map((w) => w.text), sdkInputs };
  }

  async function invoke(dir: string, ext: string, env: Record<string, string>) {
    const script = `const { handler } = await import('./index.${ext}');
      console.log(JSON.stringify(await handler({}, { getRemainingTimeInMillis: () => 3000 })));`;
    const result = await runOk(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: consumerEnv(env),
    });
    return { value: JSON.parse(result.stdout) as unknown, stderr: result.stderr };
  }

  it.each(['esm', 'cjs'] as const)(
    'of a handler with only local layers builds without a warning, inlines no SDK code, and runs (%s)',
    async (format) => {
      const bundle = await plainBundle('local-only', format);
      expect(bundle.warnings).toEqual([]);
      expect(bundle.sdkInputs).toEqual([]);
      const { value, stderr } = await invoke(bundle.dir, bundle.ext, stageEnv);
      expect(value).toEqual({ service: 'orders', host: 'db.internal', port: 6543, region: 'eu-west-1' });
      expect(stderr).toBe('');
    },
  );

  describe('of a handler with S3 and SSM layers', () => {
    let aws: LocalAws;
    let local: Record<string, string>;
    beforeAll(async () => {
      aws = await startLocalAws({
        s3: { 'consumer-plain-bundle/stage.json5': "{ db: { host: 'db.from-s3' } }" },
        ssm: { '/orders/stage/db/pool': '7', '/orders/stage/region': 'eu-central-1' },
      });
      // Nothing reaches for the EC2 metadata service when the SDK looks for credentials.
      local = {
        ...aws.env,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
    });
    afterAll(() => aws?.close());

    it('runs on the light path (credentials in the environment, as on Lambda) from a folder without node_modules', async () => {
      const bundle = await plainBundle('aws-layers', 'esm');
      expect(bundle.warnings).toEqual([]);
      expect(bundle.sdkInputs).toEqual([]);
      const { value, stderr } = await invoke(bundle.dir, bundle.ext, local);
      expect(value).toEqual({ host: 'db.from-s3', pool: '7', region: 'eu-central-1' });
      expect(stderr).toBe('');
    });

    it('imports the SDK at run time when a layer needs it: found beside the bundle, else a clear message', async () => {
      const bundle = await plainBundle('aws-layers', 'esm');
      // Credentials from a profile file, not the environment: the SDK path.
      const credentials = join(bundle.dir, 'credentials');
      await writeFile(
        credentials,
        `[default]\naws_access_key_id = ${local.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${local.AWS_SECRET_ACCESS_KEY}\n` +
          (local.AWS_SESSION_TOKEN ? `aws_session_token = ${local.AWS_SESSION_TOKEN}\n` : ''),
      );
      const { AWS_ACCESS_KEY_ID: _, AWS_SECRET_ACCESS_KEY: __, AWS_SESSION_TOKEN: ___, ...endpoints } = local;
      const profile = {
        ...endpoints,
        AWS_SHARED_CREDENTIALS_FILE: credentials,
        AWS_CONFIG_FILE: join(bundle.dir, 'none'),
      };
      const missing = await invoke(bundle.dir, bundle.ext, { ...profile, ...stageEnv });
      expect(missing.value).toEqual({ host: 'db.internal', pool: null, region: null });
      expect(missing.stderr).toContain(
        '@aws-sdk/client-s3 is not installed; add it with `npm install @aws-sdk/client-s3`',
      );
      expect(missing.stderr).toContain('@aws-sdk/client-ssm is not installed');
      await symlink(join(REPO, 'node_modules'), join(bundle.dir, 'node_modules'), 'dir');
      const found = await invoke(bundle.dir, bundle.ext, profile);
      expect(found.value).toEqual({ host: 'db.from-s3', pool: '7', region: 'eu-central-1' });
      expect(found.stderr).toBe('');
    });
  });
});
