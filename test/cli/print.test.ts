import { describe, expect, it } from 'vitest';
import { cli, leaked } from './run-cli.js';

const PROD = ['--file', 'base.json5', '--file', 'prod.json5'];

describe('strataconf print', () => {
  it('prints the merged config as 2-space JSON, later files winning', async () => {
    const result = await cli(['print', ...PROD]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${JSON.stringify(
        {
          service: 'orders',
          db: { host: 'prod-db.internal', port: 5432, password: '[redacted]' },
          signing: { key: 'sig-PLANTED-9c1e' },
          features: { beta: true, retries: 2 },
          tags: ['orders'],
        },
        null,
        2,
      )}\n`,
    );
    expect(result.stderr).toContain('UNEXPECTED_OVERRIDE');
    expect(leaked(result)).toEqual([]);
  });

  it('writes warnings to stderr only, so stdout always parses', async () => {
    const result = await cli(['print', ...PROD, '--optional-file', 'missing.json5']);
    expect(result.code).toBe(0);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    expect(result.stderr).toMatch(/warning: SOURCE_DROPPED: dropped optional source missing\.json5/);
    expect(result.stdout).not.toContain('warning');
  });

  it('prints JSON5 with --format json5', async () => {
    const result = await cli(['print', ...PROD, '--format', 'json5']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("host: 'prod-db.internal'");
    expect(result.stdout).toContain("password: '[redacted]'");
    const json5 = (await import('json5')).default;
    expect(json5.parse(result.stdout).db.port).toBe(5432);
  });

  it('prints env lines under the prefix of the last --env source', async () => {
    const env = { APP_DB__PASSWORD: 'env-PLANTED-0b9d', APP_FEATURES__RETRIES: '5' };
    const result = await cli(['print', '--file', 'base.json5', '--env', 'APP_', '--format', 'env'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'APP_SERVICE=orders',
      'APP_DB__HOST=localhost',
      'APP_DB__PORT=5432',
      '# APP_DB__PASSWORD is secret: left out (--show-secrets prints it)',
      'APP_SIGNING__KEY=dev-signing-key-0000',
      'APP_FEATURES__BETA=false',
      'APP_FEATURES__RETRIES=5',
      `APP_TAGS='["orders"]'`,
      '',
    ]);
    expect(leaked(result)).toEqual([]);
  });

  it('shows a URL with its password redacted, and a Key-suffixed value redacted, in JSON, env lines and get', async () => {
    const planted = ['url-PLANTED-4c1d', 'sk-PLANTED-8e2f'];
    const json = await cli(['print', '--file', 'urls.json5']);
    expect(JSON.parse(json.stdout)).toEqual({
      databaseUrl: 'postgres://orders:[redacted]@db.internal/orders',
      stripeKey: '[redacted]',
      region: 'eu-west-1',
    });
    const env = await cli(['print', '--file', 'urls.json5', '--format', 'env', '--prefix', 'APP_']);
    expect(env.stdout.split('\n')).toEqual([
      '# APP_DATABASE_URL is secret: left out (--show-secrets prints it)',
      '# APP_STRIPE_KEY is secret: left out (--show-secrets prints it)',
      'APP_REGION=eu-west-1',
      '',
    ]);
    const get = await cli(['get', 'databaseUrl', '--file', 'urls.json5']);
    expect(get.stdout).toBe('postgres://orders:[redacted]@db.internal/orders\n');
    for (const result of [json, env, get]) expect(leaked(result, planted)).toEqual([]);
    const shown = await cli(['get', 'databaseUrl', '--file', 'urls.json5', '--show-secrets']);
    expect(shown.stdout).toBe('postgres://orders:url-PLANTED-4c1d@db.internal/orders\n');
  });

  it('takes the env prefix from --prefix, converting camelCase keys to SNAKE_CASE', async () => {
    const result = await cli(['print', ...PROD, '--format', 'env', '--prefix', 'ORDERS_']);
    expect(result.stdout).toContain('ORDERS_DB__HOST=prod-db.internal\n');
    expect(result.stdout).not.toContain('APP_');
  });

  it('leaves out, with a warning, a key no variable name can carry', async () => {
    const result = await cli(['print', '--file', 'odd-keys.json', '--format', 'env', '--prefix', 'APP_']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('APP_SERVICE=orders\n');
    expect(result.stderr).toContain('warning: weird key has a key no variable name can carry; left out');
  });

  it('refuses --format env without a prefix, with exit code 2', async () => {
    const result = await cli(['print', ...PROD, '--format', 'env']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format env needs a prefix');
    expect(result.stdout).toBe('');
  });

  it('prints --show-secrets values as they are', async () => {
    const result = await cli(['print', ...PROD, '--show-secrets']);
    expect(JSON.parse(result.stdout).db.password).toBe('hunter2-PLANTED-7f3a');
  });

  it('rejects an unknown format with exit code 2 and the usage', async () => {
    const result = await cli(['print', ...PROD, '--format', 'yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format must be json, json5 or env');
    expect(result.stderr).toContain('Usage: strataconf print');
  });
});

describe('strataconf print --explain', () => {
  it('prints a table with path, value, source and the sources replaced', async () => {
    const result = await cli(['print', ...PROD, '--explain']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PATH\s+VALUE\s+SOURCE\s+REPLACED$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^db\.host\s+"prod-db\.internal"\s+prod\.json5\s+base\.json5$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^db\.port\s+5432\s+base\.json5\s+-$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^db\.password\s+"\[redacted\]"\s+prod\.json5\s+base\.json5$/),
    );
    expect(leaked(result)).toEqual([]);
  });

  it('prints a JSON array of { path, value, source, overridden } with --format json', async () => {
    const result = await cli(['print', ...PROD, '--explain', '--format', 'json']);
    const rows = JSON.parse(result.stdout) as unknown[];
    expect(rows).toContainEqual({
      path: 'db.host',
      value: 'prod-db.internal',
      source: 'prod.json5',
      overridden: ['base.json5'],
    });
    expect(rows).toContainEqual({
      path: 'db.password',
      value: '[redacted]',
      source: 'prod.json5',
      overridden: ['base.json5'],
    });
    expect(leaked(result)).toEqual([]);
  });

  it('refuses --explain with --format env', async () => {
    const result = await cli(['print', ...PROD, '--explain', '--format', 'env']);
    expect(result.code).toBe(2);
  });
});

describe('strataconf print failures', () => {
  it('exits 1 with the code and message when an $override is never set', async () => {
    const result = await cli(['print', '--file', 'base.json5']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^strataconf: OVERRIDE_MISSING: 1 value marked \$override/);
    expect(result.stderr).toContain('db.password');
  });

  it('exits 1 with PARSE_ERROR, line and column for a broken file', async () => {
    const result = await cli(['print', '--file', 'broken.json5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PARSE_ERROR: broken\.json5.*line 2/);
  });

  it('exits 1 with SOURCE_UNAVAILABLE for a missing required file', async () => {
    const result = await cli(['print', '--file', 'nope.json5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SOURCE_UNAVAILABLE: nope.json5 is unavailable: file not found');
  });
});
