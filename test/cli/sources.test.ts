import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { parseSourcesVariable } from '../../src/cli/sources.js';
import { fromObject } from '../../src/index.js';
import { cli, KEY_SECRETS, leaked, SCHEMA_SECRETS } from './run-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/cli/${name}`, import.meta.url));

describe('CLI sources', () => {
  it('merges sources in command-line order, whatever their kind', async () => {
    const env = { APP_DB__HOST: 'from-env' };
    const envLast = await cli(
      ['get', 'db.host', '--file', 'base.json5', '--file', 'prod.json5', '--env', 'APP_'],
      {
        env,
      },
    );
    const fileLast = await cli(
      ['get', 'db.host', '--file', 'base.json5', '--env', 'APP_', '--file', 'prod.json5'],
      {
        env: { ...env, APP_DB__PASSWORD: 'x' },
      },
    );
    expect(envLast.stdout).toBe('from-env\n');
    expect(fileLast.stdout).toBe('prod-db.internal\n');
  });

  it('resolves relative --file paths against the cwd and names the source by the path as given', async () => {
    const result = await cli(
      ['print', '--explain', '--format', 'json', '--file', 'cli/base.json5', '--file', 'cli/prod.json5'],
      {
        cwd: fileURLToPath(new URL('../../fixtures/', import.meta.url)),
      },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toContainEqual(
      expect.objectContaining({ path: 'db.host', source: 'cli/prod.json5' }),
    );
  });

  it('reads STRATACONF_SOURCES when no source or loader is given', async () => {
    const env = {
      STRATACONF_SOURCES: 'file:base.json5, file?:local.json5, file:prod.json5, env:APP_,',
      APP_DB__PORT: '6543',
    };
    const result = await cli(['print'], { env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).db).toEqual({
      host: 'prod-db.internal',
      port: 6543,
      password: '[redacted]',
    });
    expect(result.stderr).toContain('dropped optional source local.json5');
  });

  it('ignores STRATACONF_SOURCES when sources are given on the command line', async () => {
    const env = { STRATACONF_SOURCES: 'file:nope.json5' };
    const result = await cli(['get', 'service', '--file', 'base.json5', '--file', 'prod.json5'], { env });
    expect(result.stdout).toBe('orders\n');
  });

  it('is a usage error (exit 2, short usage) to name no sources at all', async () => {
    const result = await cli(['print']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('USAGE: no sources');
    expect(result.stderr).toContain('Usage: strataconf print');
  });

  it.each([
    ['json:x.json', 'is not a source'],
    ['file:', 'has nothing after its kind'],
    ['s3://bucket-only', 'needs a bucket and a key'],
  ])('rejects the STRATACONF_SOURCES entry %j with exit 2', async (entry, message) => {
    const result = await cli(['print'], { env: { STRATACONF_SOURCES: entry } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('parses every STRATACONF_SOURCES form', () => {
    expect(parseSourcesVariable('file:a.json5,file?:b.json,s3://bk/k/x.json5,s3!://bk/y,env:APP_')).toEqual([
      { kind: 'file', path: 'a.json5', optional: false },
      { kind: 'file', path: 'b.json', optional: true },
      { kind: 's3', target: 's3://bk/k/x.json5', optional: true },
      { kind: 's3', target: 's3://bk/y', optional: false },
      { kind: 'env', prefix: 'APP_' },
    ]);
  });

  it('builds --s3 sources optional and --required-s3 sources required, in order', async () => {
    const made: { target: string; optional: boolean }[] = [];
    const s3 = (target: string, opts: { optional: boolean }) => {
      made.push({ target, ...opts });
      return fromObject({ db: { host: target } }, { name: target });
    };
    const argv = ['get', 'db.host', '--s3', 's3://cfg/a.json5', '--required-s3', 's3://cfg/b.json5'];
    const result = await cli(argv, { s3 });
    expect(made).toEqual([
      { target: 's3://cfg/a.json5', optional: true },
      { target: 's3://cfg/b.json5', optional: false },
    ]);
    expect(result.stdout).toBe('s3://cfg/b.json5\n');
  });

  it('rejects an --s3 value that is not s3://bucket/key with exit 2', async () => {
    const result = await cli(['print', '--s3', 'https://example.com/x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--s3 expects s3://bucket/key');
  });
});

describe('CLI --loader', () => {
  it('uses the sources and schema of the module, schema defaults and secrets included', async () => {
    const result = await cli(['print', '--loader', 'loader.ts']);
    expect(result.code).toBe(0);
    const config = JSON.parse(result.stdout);
    expect(config.region).toBe('eu-west-1');
    expect(config.signing.key).toBe('[redacted]');
    expect(leaked(result, [...KEY_SECRETS, ...SCHEMA_SECRETS])).toEqual([]);
  });

  it('appends SOURCES given beside it after its own sources', async () => {
    const result = await cli(['get', 'db.host', '--loader', 'loader.ts', '--env', 'APP_'], {
      env: { APP_DB__HOST: 'beside-the-loader' },
    });
    expect(result.stdout).toBe('beside-the-loader\n');
  });

  it('recognises a definition by its shape, not by instanceof', async () => {
    const result = await cli(['print', '--loader', fixture('loader-shape.mjs')]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ db: { host: 'from-hand-made', password: '[redacted]' } });
  });

  it("runs the module's env sources against the process environment", async () => {
    vi.stubEnv('LOADER_DB__PASSWORD', 'env-PLANTED-0b9d');
    const result = await cli(['print', '--loader', 'loader-env.mjs', '--explain']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/db\.password\s+"\[redacted\]"\s+env:LOADER_\s+base\.json5/);
    expect(leaked(result)).toEqual([]);
  });

  it.each([
    ['nope.mjs', 'no such file'],
    ['not-a-definition.mjs', 'the module must export a defineConfig(...) result'],
  ])('is a usage error for %s', async (module, message) => {
    const result = await cli(['print', '--loader', module]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('accepts one --loader only', async () => {
    const result = await cli(['print', '--loader', 'loader.ts', '--loader', 'loader.ts']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--loader may be given only once');
  });

  it('scrubs secret values from error messages that quote them', async () => {
    const result = await cli(['validate', '--loader', 'loader-echo.ts']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('VALIDATION_ERROR');
    expect(result.stderr).toContain('too short: [redacted]');
    expect(leaked(result)).toEqual([]);
    // The schema's message really quotes the value: --show-secrets lets it through.
    const shown = await cli(['print', '--loader', 'loader-echo.ts', '--show-secrets']);
    expect(shown.stderr).toContain('too short: hunter2-PLANTED-7f3a');
  });
});
