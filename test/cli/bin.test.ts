import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Env, seedObjects } from '../setup/s3.js';
import { installPackedProject, type ProcessResult, runProcess } from './packed.js';
import { KEY_SECRETS, SCHEMA_SECRETS } from './run-cli.js';

let project = '';

/** `npx strataconf ...` in the project, as a user runs it (`--no`: never fetch it from the registry). */
function strataconf(args: string[], env: Record<string, string> = {}): Promise<ProcessResult> {
  return runProcess('npx', ['--no', 'strataconf', ...args], project, env);
}

/** Planted secrets in the output: key-named ones always count, schema-marked ones with a schema loader. */
function leaked(result: ProcessResult, secrets: readonly string[] = KEY_SECRETS): string[] {
  return secrets.filter((s) => result.stdout.includes(s) || result.stderr.includes(s));
}

const PROD = ['--file', 'base.json5', '--file', 'prod.json5'];

beforeAll(async () => {
  project = await installPackedProject();
}, 240_000);

afterAll(async () => {
  if (project !== '') await rm(dirname(project), { recursive: true, force: true });
});

// Each npx start costs about a second; on a busy 2-core CI machine a test of several runs needs room.
describe('the packed strataconf bin, installed from its tarball', { timeout: 60_000 }, () => {
  it('prints parseable JSON on stdout, warnings on stderr, no colour into a pipe, exit 0', async () => {
    const result = await strataconf(['print', ...PROD]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).db).toEqual({
      host: 'prod-db.internal',
      port: 5432,
      password: '[redacted]',
    });
    expect(result.stderr).toContain('strataconf: warning: UNEXPECTED_OVERRIDE: signing.key');
    expect(result.stdout + result.stderr).not.toContain('\u001b[');
    expect(leaked(result)).toEqual([]);
  });

  it('merges sources in command-line order', async () => {
    const env = { APP_DB__HOST: 'from-env', APP_DB__PASSWORD: 'x' };
    const envLast = await strataconf(['get', 'db.host', ...PROD, '--env', 'APP_'], env);
    const fileLast = await strataconf(
      ['get', 'db.host', '--file', 'base.json5', '--env', 'APP_', '--file', 'prod.json5'],
      env,
    );
    expect([envLast.stdout, fileLast.stdout]).toEqual(['from-env\n', 'prod-db.internal\n']);
  });

  it('reads STRATACONF_SOURCES when no source is given', async () => {
    const result = await strataconf(['validate'], {
      STRATACONF_SOURCES: 'file:base.json5,file?:local.json5,file:prod.json5',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ok: config valid (8 values from 3 sources, no schema)\n');
    expect(result.stderr).toContain('SOURCE_DROPPED');
  });

  it('uses a --loader module with a zod schema: defaults applied, schema secrets redacted', async () => {
    const result = await strataconf(['print', '--loader', 'strataconf.config.mjs'], {
      APP_FEATURES__RETRIES: '7',
    });
    expect(result.code).toBe(0);
    const config = JSON.parse(result.stdout);
    expect(config).toMatchObject({
      region: 'eu-west-1',
      signing: { key: '[redacted]' },
      features: { retries: 7 },
    });
    expect(leaked(result, [...KEY_SECRETS, ...SCHEMA_SECRETS])).toEqual([]);
  });

  it('fails validate --strict (exit 1) on a mistyped variable, and passes without it', async () => {
    const args = ['validate', '--strict', '--loader', 'strataconf.config.mjs', '--overrides', 'ignore'];
    const clean = await strataconf(args);
    const typo = await strataconf(args, { APP_DB__HOTS: 'typo-db' });
    expect([clean.code, clean.stdout]).toEqual([
      0,
      'ok: config valid (9 values from 3 sources, schema passed)\n',
    ]);
    expect(typo.code).toBe(1);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain(
      'UNKNOWN_KEY: APP_DB__HOTS (db.hots) is not in the schema; did you mean APP_DB__HOST?',
    );
    expect(typo.stderr).toContain('STRICT: 1 warning fails validate --strict (UNKNOWN_KEY)');
    expect(typo.stderr).not.toContain('typo-db');
  });

  it('runs a definition built by another copy of strataconf, env layer included', async () => {
    const result = await strataconf(['get', 'db', '--loader', 'vendor/config.mjs'], {
      APP_DB__PASSWORD: 'env-PLANTED-0b9d',
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ host: 'localhost', port: 5432, password: '[redacted]' });
    expect(leaked(result)).toEqual([]);
  });

  it('explains why a TypeScript loader needs a loader on this Node, and loads it with tsx', async () => {
    const plain = await strataconf(['print', '--loader', 'strataconf.config.ts']);
    // Node >= 22.18 strips types by itself (process.features.typescript is then set).
    if ((process.features as { typescript?: unknown }).typescript) {
      expect(plain.code).toBe(0);
      return;
    }
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain(
      "cannot import TypeScript by itself. Run with a TypeScript loader, e.g. NODE_OPTIONS='--import tsx'",
    );
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const withTsx = await strataconf(['get', 'region', '--loader', 'strataconf.config.ts'], {
      NODE_OPTIONS: `--import=${tsx}`,
    });
    expect(withTsx).toMatchObject({ code: 0, stdout: 'eu-west-1\n' });
  });

  it('exits 1 with the code when the config fails, 2 with the usage on a usage error', async () => {
    const missing = await strataconf(['print', '--file', 'base.json5']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^strataconf: OVERRIDE_MISSING: /);
    const key = await strataconf(['get', 'db.user', ...PROD]);
    expect(key.code).toBe(1);
    expect(key.stderr).toContain('MISSING_KEY');
    const usage = await strataconf(['print']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: strataconf print');
    const help = await strataconf(['diff', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: strataconf diff/);
  });

  it('diffs two stacks: exit 1 with the differences, exit 0 when equal', async () => {
    const differ = await strataconf([
      'diff',
      '--file',
      'base.json5',
      '--file',
      'staging.json5',
      '--',
      ...PROD,
    ]);
    expect(differ.code).toBe(1);
    expect(differ.stdout).toContain(
      'db.password\n  - "[redacted]"  (staging.json5)\n  + "[redacted]"  (prod.json5)\n',
    );
    expect(leaked(differ)).toEqual([]);
    const equal = await strataconf(['diff', ...PROD, '--', ...PROD]);
    expect(equal).toMatchObject({ code: 0, stdout: 'no differences\n' });
  });

  it('diffs one loader across two stages, each side in a process of its own with its --set-env', async () => {
    const stage = (name: string) => ['--loader', 'stage.config.mjs', '--set-env', `STAGE=${name}`];
    const result = await strataconf(['diff', ...stage('staging'), '--', ...stage('prod')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'db.host\n  - "staging-db.internal"  (staging.json5)\n  + "prod-db.internal"     (prod.json5)\n',
    );
    expect(result.stdout).toContain(
      'signing.key\n  - "[redacted]"  (staging.json5)\n  + "[redacted]"  (prod.json5)\n',
    );
    expect(result.stdout).toMatch(/\n5 paths differ\n$/);
    expect(leaked(result, [...KEY_SECRETS, ...SCHEMA_SECRETS])).toEqual([]);
    // The same secret on both sides is no difference, though neither child sends its value.
    const same = await strataconf(['diff', ...stage('prod'), '--', ...stage('prod')]);
    expect(same).toMatchObject({ code: 0, stdout: 'no differences\n' });
  });

  it('prints env lines that a shell can load to reproduce the same config', async () => {
    const script = [
      'npx --no strataconf print --file base.json5 --file prod.json5 --format env --prefix APP_ --show-secrets > app.env',
      'set -a; . ./app.env; set +a',
      'npx --no strataconf print --file base.json5 --env APP_ --show-secrets',
    ].join(' && ');
    const roundTrip = await runProcess('sh', ['-c', script], project);
    const direct = await strataconf(['print', ...PROD, '--show-secrets']);
    expect(roundTrip.code).toBe(0);
    expect(JSON.parse(roundTrip.stdout)).toEqual(JSON.parse(direct.stdout));
  });

  it('serves a folder in the background for eval, read by the same bin, stopped by kill', async () => {
    await mkdir(join(project, 'local-aws/s3/my-config'), { recursive: true });
    await writeFile(join(project, 'local-aws/s3/my-config/prod.json5'), "{ db: { host: 'db-local' } }");
    await writeFile(join(project, 'local-aws/ssm.json'), '{ "/orders/prod/db/port": "6543" }');
    const script = [
      'eval "$(npx --no strataconf local --dir local-aws --background)"',
      'echo "$AWS_ENDPOINT_URL_S3"',
      'npx --no strataconf print --source s3://my-config/prod.json5 --source ssm:/orders/prod/',
      'kill "$STRATACONF_LOCAL_PID"',
    ].join(' && ');
    const result = await runProcess('sh', ['-c', script], project);
    expect(result.code).toBe(0);
    const [endpoint = '', ...printed] = result.stdout.split('\n');
    expect(JSON.parse(printed.join('\n'))).toEqual({ db: { host: 'db-local', port: '6543' } });
    expect(result.stderr).toContain('in the background; stop it with kill');
    // Stopped: nothing listens any more (polled: the signal is handled asynchronously).
    let refused = false;
    for (let i = 0; i < 100 && !refused; i++) {
      refused = await fetch(endpoint).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(refused).toBe(true);
  });

  it('reads an S3 layer from the local S3 server', async () => {
    await seedObjects('strataconf-cli-bin', { 'prod.json5': "{ db: { host: 'db-from-s3' } }" });
    const argv = ['get', 'db.host', ...PROD, '--required-s3', 's3://strataconf-cli-bin/prod.json5'];
    const result = await strataconf(argv, s3Env());
    expect(result).toMatchObject({ code: 0, stdout: 'db-from-s3\n' });
  });
});
