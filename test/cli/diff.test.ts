import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/cli/diff-side.js';
import { cli, KEY_SECRETS, leaked, SCHEMA_SECRETS, SELF_FROM_SOURCE } from './run-cli.js';

const STAGING = ['--file', 'base.json5', '--file', 'staging.json5'];
const PROD = ['--file', 'base.json5', '--file', 'prod.json5'];

describe('strataconf diff', () => {
  it('exits 0 and says so when both stacks load to the same config', async () => {
    const result = await cli(['diff', ...PROD, '--', ...PROD]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('no differences\n');
  });

  it('exits 1 and prints each differing path with both values and sources', async () => {
    const result = await cli(['diff', ...STAGING, '--', ...PROD]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'db.host\n  - "staging-db.internal"  (staging.json5)\n  + "prod-db.internal"     (prod.json5)\n',
    );
    expect(result.stdout).toContain(
      'tags\n  - ["orders","staging"]  (staging.json5)\n  + ["orders"]            (base.json5)\n',
    );
    expect(result.stdout).toMatch(/\n5 paths differ\n$/);
  });

  it('redacts secrets on both sides but still reports that they differ', async () => {
    const result = await cli(['diff', ...STAGING, '--', ...PROD]);
    expect(result.stdout).toContain(
      'db.password\n  - "[redacted]"  (staging.json5)\n  + "[redacted]"  (prod.json5)\n',
    );
    expect(leaked(result, [...KEY_SECRETS])).toEqual([]);
  });

  it('prints a JSON array of { path, left, right } with --format json', async () => {
    const result = await cli(['diff', ...STAGING, '--format', 'json', '--', ...PROD]);
    const entries = JSON.parse(result.stdout);
    expect(entries).toContainEqual({
      path: 'features.beta',
      left: { value: false, source: 'base.json5' },
      right: { value: true, source: 'prod.json5' },
    });
    expect(entries.map((e: { path: string }) => e.path)).toEqual([
      'db.host',
      'db.password',
      'signing.key',
      'features.beta',
      'tags',
    ]);
  });

  it('shows a path only one side has as absent on the other', async () => {
    const result = await cli(['diff', '--loader', 'loader.ts', '--', ...PROD, '--format', 'json']);
    const entries = JSON.parse(result.stdout);
    expect(entries).toEqual([
      { path: 'region', left: { value: 'eu-west-1', source: 'schema' }, right: null },
    ]);
  });

  it('redacts a path the schema of either side marks secret', async () => {
    const result = await cli(['diff', '--loader', 'loader.ts', '--', ...STAGING]);
    expect(result.stdout).toContain(
      'signing.key\n  - "[redacted]"  (prod.json5)\n  + "[redacted]"  (staging.json5)\n',
    );
    expect(leaked(result, [...KEY_SECRETS, ...SCHEMA_SECRETS])).toEqual([]);
    const shown = await cli(['diff', '--loader', 'loader.ts', '--', ...STAGING, '--show-secrets']);
    expect(shown.stdout).toContain('+ "sig-staging-PLANTED-3e8a"');
  });

  it('exits 1 with the error when a side fails to load', async () => {
    const result = await cli(['diff', '--file', 'base.json5', '--', ...PROD]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('OVERRIDE_MISSING');
  });

  it('says on stderr that nothing marks values secret when neither side has a schema', async () => {
    const env = { APP_SIGNING__KEY: 'seed-9f8e7d6c', APP_DB__PASSWORD: 'x' };
    const result = await cli(['diff', ...PROD, '--', '--file', 'base.json5', '--env', 'APP_'], { env });
    expect(result.stdout).toMatch(/\+ "seed-9f8e7d6c" +\(env:APP_\)/);
    expect(result.stderr).toContain(
      'strataconf: note: neither side has a schema (--loader), so nothing marks values secret but their keys',
    );
    const withSchema = await cli(
      ['diff', '--loader', 'loader.ts', '--', '--file', 'base.json5', '--env', 'APP_'],
      {
        env,
      },
    );
    expect(withSchema.stdout).toContain('+ "[redacted]"  (env:APP_)');
    expect(withSchema.stdout + withSchema.stderr).not.toContain('seed-9f8e7d6c');
    expect(withSchema.stderr).not.toContain('note:');
  });

  it('is a usage error without the -- between the stacks', async () => {
    const result = await cli(['diff', ...STAGING]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('diff compares two stacks');
    expect(result.stderr).toContain('Usage: strataconf diff');
  });
});

describe('the digest a diff side sends instead of a secret', () => {
  it('is equal for equal values in any key order, and differs by value and by key', () => {
    const a = digestOf('k1', { user: 'ada', roles: ['x'] });
    expect(digestOf('k1', { roles: ['x'], user: 'ada' })).toBe(a);
    expect(digestOf('k1', { user: 'ada', roles: ['y'] })).not.toBe(a);
    expect(digestOf('k2', { user: 'ada', roles: ['x'] })).not.toBe(a);
    expect(digestOf('k1', '5')).not.toBe(digestOf('k1', 5));
    expect(digestOf('k1', undefined)).not.toBe(digestOf('k1', null));
    expect(a).not.toContain('ada');
  });
});

describe('strataconf diff --set-env: one loader, two stages, a process each', () => {
  const STAGE = (stage: string) => ['--loader', 'loader-stage.ts', '--set-env', `STAGE=${stage}`];
  const self = SELF_FROM_SOURCE;

  it('loads each side with its own environment, the loader reading it when imported', async () => {
    const alone = await cli(['diff', '--loader', 'loader-stage.ts', '--', '--loader', 'loader-stage.ts']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('STAGE is not set');
    const result = await cli(['diff', ...STAGE('staging'), '--', ...STAGE('prod')], { self });
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'db.host\n  - "staging-db.internal"  (staging.json5)\n  + "prod-db.internal"     (prod.json5)\n',
    );
    expect(result.stdout).toContain(
      'signing.key\n  - "[redacted]"  (staging.json5)\n  + "[redacted]"  (prod.json5)\n',
    );
    expect(result.stdout).toMatch(/\n5 paths differ\n$/);
    expect(leaked(result, [...KEY_SECRETS, ...SCHEMA_SECRETS])).toEqual([]);
  }, 60_000);

  it('redacts by the other side schema, tells equal secrets from different ones, and shows them when asked', async () => {
    const right = ['--file', 'base.json5', '--file', 'prod.json5', '--env', 'APP_'];
    const seed = ['--set-env', 'APP_SIGNING__KEY=seed-9f8e7d6c'];
    const result = await cli(['diff', ...STAGE('prod'), '--format', 'json', '--', ...right, ...seed], {
      self,
    });
    expect(JSON.parse(result.stdout)).toEqual([
      {
        path: 'signing.key',
        left: { value: '[redacted]', source: 'prod.json5' },
        right: { value: '[redacted]', source: 'env:APP_' },
      },
    ]);
    expect(result.stdout + result.stderr).not.toContain('seed-9f8e7d6c');
    expect(leaked(result, [...KEY_SECRETS, ...SCHEMA_SECRETS])).toEqual([]);
    const shown = await cli(['diff', ...STAGE('prod'), '--show-secrets', '--', ...right, ...seed], { self });
    expect(shown.stdout).toMatch(/- "sig-PLANTED-9c1e" +\(prod\.json5\)\n +\+ "seed-9f8e7d6c" +\(env:APP_\)/);
  }, 60_000);

  it('exits with the failing side named and its error, and refuses a malformed --set-env', async () => {
    const failed = await cli(['diff', ...STAGE('nowhere'), '--', ...STAGE('prod')], { self });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('SOURCE_UNAVAILABLE: nowhere.json5 is unavailable: file not found');
    expect(failed.stderr).toContain('strataconf: the left side did not load (exit 1)');
    const malformed = await cli(['diff', '--set-env', 'STAGE', '--', ...PROD], { self });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--set-env expects NAME=VALUE');
    // Run in-process without a way to start itself (no bin), --set-env cannot load a side.
    const inProcess = await cli(['diff', ...STAGE('prod'), '--', ...STAGE('prod')]);
    expect(inProcess.code).toBe(2);
    expect(inProcess.stderr).toContain('--set-env needs the CLI to start itself again');
    // The children's protocol is not a way around redaction: without the run's digest key, refused.
    const report = await cli(['diff', '--report-side-json', ...PROD]);
    expect(report.code).toBe(2);
    expect(leaked(report)).toEqual([]);
  }, 60_000);
});
