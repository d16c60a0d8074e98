/**
 * `strataconf local`: serves a folder as local S3, SSM, Secrets Manager and AppConfig stores,
 * prints the environment for a shell (or as JSON), reads files again when they change, and stops
 * cleanly: in-process (stopped by a signal), in the background (for eval), and as a process of its
 * own stopped by SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CliIo, run } from '../../src/cli/main.js';
import { fromAppConfig, fromS3, fromSecret, fromSsm, loadConfig, resetConfigCache } from '../../src/index.js';
import { cli, SELF_FROM_SOURCE } from './run-cli.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strataconf-local-'));
  await mkdir(join(dir, 's3/my-config/orders'), { recursive: true });
  await mkdir(join(dir, 's3/empty-bucket'), { recursive: true });
  await mkdir(join(dir, 'appconfig/orders/prod'), { recursive: true });
  await writeFile(join(dir, 's3/my-config/orders/prod.json5'), "{ db: { host: 'db.local' } }");
  await writeFile(
    join(dir, 'ssm.json'),
    JSON.stringify({
      '/orders/prod/db/port': '5432',
      '/orders/prod/apiKey': { value: 'k-1', type: 'SecureString' },
    }),
  );
  await writeFile(join(dir, 'secrets.json'), JSON.stringify({ 'orders/prod/db': { password: 'pw-local' } }));
  await writeFile(join(dir, 'appconfig/orders/prod/flags.json'), '{ "flags": { "checkout": true } }');
  await writeFile(join(dir, 'appconfig/orders/prod/limits.yaml'), 'limits:\n  maxItems: 5\n');
  await writeFile(join(dir, 'README.md'), 'not served');
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => resetConfigCache());

/** `export NAME='value'` lines -> { NAME: value }. */
function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, name = '', value = ''] of text.matchAll(/^export ([A-Z0-9_]+)='([^']*)'$/gm))
    env[name] = value;
  return env;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

/** Runs `strataconf local` in-process until `stop()`. */
async function serve(argv: string[] = []) {
  const out = { stdout: '', stderr: '', code: undefined as number | undefined };
  const stop = new AbortController();
  const io: CliIo = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    env: {},
    cwd: dir,
    signal: stop.signal,
  };
  const done = run(['local', '--dir', '.', ...argv], io).then((code) => {
    out.code = code;
    return code;
  });
  await until(() => out.code !== undefined || out.stderr.includes('serving'), 'the server');
  return {
    out,
    env: parseExports(out.stdout),
    stop: async () => {
      stop.abort();
      return done;
    },
  };
}

const stub = (env: Record<string, string>) => {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
};

describe('strataconf local', () => {
  it('prints the environment as export lines, and serves every store of the folder to strataconf', async () => {
    const server = await serve();
    try {
      expect(Object.keys(server.env)).toEqual([
        'AWS_ENDPOINT_URL_S3',
        'AWS_ENDPOINT_URL_SSM',
        'AWS_ENDPOINT_URL_SECRETS_MANAGER',
        'AWS_ENDPOINT_URL_APPCONFIGDATA',
        'AWS_REGION',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_APPCONFIG_EXTENSION_HTTP_PORT',
      ]);
      stub(server.env);
      const config = await loadConfig({
        sources: [
          fromS3('s3://my-config/orders/prod.json5', { optional: false }),
          fromSsm('/orders/prod/', { optional: false }),
          fromSecret('orders/prod/db', { at: 'db', optional: false }),
          fromAppConfig('orders/prod/flags', { optional: false }),
        ],
      });
      expect(config).toEqual({
        db: { host: 'db.local', port: '5432', password: 'pw-local' },
        apiKey: 'k-1',
        flags: { checkout: true },
      });
      expect(server.out.stderr).toContain(
        'strataconf local: s3 GetObject my-config/orders/prod.json5 -> 200',
      );
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.out.stderr).toMatch(/stopped\n$/);
  });

  it('serves a .yaml profile with the YAML content type, and an empty folder under s3/ as an empty bucket', async () => {
    const server = await serve();
    try {
      const port = server.env.AWS_APPCONFIG_EXTENSION_HTTP_PORT;
      const res = await fetch(
        `http://127.0.0.1:${port}/applications/orders/environments/prod/configurations/limits`,
      );
      expect(res.headers.get('content-type')).toBe('application/x-yaml');
      expect(await res.text()).toBe('limits:\n  maxItems: 5\n');
      const s3 = new S3Client({
        endpoint: server.env.AWS_ENDPOINT_URL_S3,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: {
          accessKeyId: server.env.AWS_ACCESS_KEY_ID ?? '',
          secretAccessKey: server.env.AWS_SECRET_ACCESS_KEY ?? '',
          sessionToken: server.env.AWS_SESSION_TOKEN ?? '',
        },
      });
      const err = await s3
        .send(new GetObjectCommand({ Bucket: 'empty-bucket', Key: 'x' }))
        .catch((e: Error) => e);
      expect(err).toMatchObject({ name: 'NoSuchKey' });
      s3.destroy();
    } finally {
      await server.stop();
    }
  });

  it('reads a file again when it changed, drops a deleted one, and keeps the last good values of a broken one', async () => {
    const server = await serve(['--format', 'json']);
    const env = JSON.parse(server.out.stdout) as Record<string, string>;
    stub(env);
    const port = () => loadConfig({ sources: [fromSsm('/orders/prod/db/', { optional: false })] });
    try {
      expect(await port()).toEqual({ port: '5432' });
      await writeFile(join(dir, 'ssm.json'), JSON.stringify({ '/orders/prod/db/port': '6543' }));
      resetConfigCache();
      expect(await port()).toEqual({ port: '6543' });
      expect(server.out.stderr).toContain('strataconf local: reloaded ssm.json');
      await writeFile(join(dir, 'ssm.json'), '{ "/orders/prod/db/port": ');
      resetConfigCache();
      expect(await port()).toEqual({ port: '6543' });
      expect(server.out.stderr).toMatch(/warning: ssm\.json is not JSON/);
      await writeFile(join(dir, 's3/my-config/gone.json'), '{}');
      const gone = () => loadConfig({ sources: [fromS3('s3://my-config/gone.json', { optional: false })] });
      resetConfigCache();
      expect(await gone()).toEqual({});
      await unlink(join(dir, 's3/my-config/gone.json'));
      resetConfigCache();
      expect(await gone().catch((e: Error) => e.message)).toMatch(/not found|NoSuchKey/);
    } finally {
      await server.stop();
      await writeFile(
        join(dir, 'ssm.json'),
        JSON.stringify({
          '/orders/prod/db/port': '5432',
          '/orders/prod/apiKey': { value: 'k-1', type: 'SecureString' },
        }),
      );
    }
  });

  it('returns at once with --background, the server serving from a process of its own until killed', async () => {
    const result = await cli(['local', '--dir', '.', '--background'], { cwd: dir, self: SELF_FROM_SOURCE });
    expect(result.code).toBe(0);
    const env = parseExports(result.stdout);
    const pid = Number(env.STRATACONF_LOCAL_PID);
    expect(pid).toBeGreaterThan(0);
    expect(result.stderr).toContain(`in the background; stop it with kill ${pid}`);
    try {
      stub(env);
      expect(await loadConfig({ sources: [fromSsm('/orders/prod/db/', { optional: false })] })).toEqual({
        port: '5432',
      });
    } finally {
      process.kill(pid, 'SIGTERM');
    }
    await until(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 'the background server to stop');
  });

  it.each([
    [['local'], 'local needs --dir DIR'],
    [['local', '--dir', '.', '--port', 'x'], '--port must be a port number from 0 to 65535, not "x"'],
    [['local', '--dir', '.', '--format', 'env'], '--format must be sh or json, not "env"'],
    [['local', '--dir', '.', 'extra'], 'local takes no positional arguments (got "extra")'],
    [['local', '--dir', 'no-such-folder'], 'is not a folder'],
    [['local', '--dir', '.', '--background'], '--background needs the strataconf bin'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const result = await cli(argv, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('exits 1 naming the file when a file of the folder cannot be read at start', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'strataconf-local-broken-'));
    try {
      await writeFile(join(broken, 'secrets.json'), '[1, 2]');
      const result = await cli(['local', '--dir', broken]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('PARSE_ERROR');
      expect(result.stderr).toContain('secrets.json must hold one JSON object');
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('has its help, and a line in the overview', async () => {
    const help = await cli(['local', '--help']);
    expect(help.stdout).toMatch(
      /^Usage: strataconf local --dir DIR \[--port N\] \[--format sh\|json\] \[--background\]/,
    );
    expect(help.stdout).toContain('DIR/appconfig/APP/ENV/PROFILE.json|.json5|.yaml|.yml');
    expect((await cli(['help'])).stdout).toContain('strataconf local --dir DIR');
  });
});

describe('strataconf local as a process of its own', () => {
  it('prints its environment, serves a request, and exits 0 on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', bin, 'local', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => stderr.includes('serving'), 'the server to start');
      const env = parseExports(stdout);
      const res = await fetch(
        `http://127.0.0.1:${env.AWS_APPCONFIG_EXTENSION_HTTP_PORT}/applications/orders/environments/prod/configurations/flags`,
      );
      expect(await res.json()).toEqual({ flags: { checkout: true } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/strataconf local: stopped\n$/);
  }, 30_000);
});
