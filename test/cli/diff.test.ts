import { describe, expect, it } from 'vitest';
import { cli, KEY_SECRETS, leaked, SCHEMA_SECRETS } from './run-cli.js';

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

  it('is a usage error without the -- between the stacks', async () => {
    const result = await cli(['diff', ...STAGING]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('diff compares two stacks');
    expect(result.stderr).toContain('Usage: strataconf diff');
  });
});
