import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, KEY_SECRETS, leaked, SCHEMA_SECRETS } from './run-cli.js';

const LOADER = fileURLToPath(new URL('../../fixtures/cli/loader.ts', import.meta.url));

describe('strataconf validate', () => {
  it('prints one ok line on stdout and exits 0', async () => {
    const result = await cli(['validate', '--file', 'base.json5', '--file', 'prod.json5']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ok: config valid (8 values from 2 sources, no schema)\n');
  });

  it('validates against the schema of a --loader module', async () => {
    const result = await cli(['validate', '--loader', LOADER]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ok: config valid (9 values from 2 sources, schema passed)\n');
  });

  it('exits 1 with VALIDATION_ERROR, each issue and its source on stderr', async () => {
    const result = await cli(['validate', '--loader', LOADER, '--file', 'invalid.json5']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /strataconf: VALIDATION_ERROR: the config does not match the schema \(1 issue\)/,
    );
    expect(result.stderr).toMatch(/db\.port: .*\(from invalid\.json5\)/);
    expect(leaked(result, [...KEY_SECRETS, ...SCHEMA_SECRETS])).toEqual([]);
  });

  it('exits 1 with OVERRIDE_MISSING when a required override is not set', async () => {
    const result = await cli(['validate', '--file', 'base.json5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('OVERRIDE_MISSING');
  });

  it('names, beside an unset $override, the variable that looks like a typo of it', async () => {
    const result = await cli(['validate', '--file', 'base.json5', '--env', 'APP_'], {
      env: { APP_DB__PASSWROD: 'env-PLANTED-0b9d' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '  - db.password: set in the environment layer (prod.json5 or APP_DB__PASSWORD) (marked in base.json5); APP_DB__PASSWROD (db.passwrod) looks like a typo of it',
    );
    expect(leaked(result, KEY_SECRETS)).toEqual([]);
  });

  it('takes no positional arguments', async () => {
    expect((await cli(['validate', 'extra', '--file', 'base.json5'])).code).toBe(2);
  });

  it('points at strataconf iam when a layer was dropped because access was denied', async () => {
    const denied = fileURLToPath(new URL('../../fixtures/cli/loader-denied.ts', import.meta.url));
    const loose = await cli(['validate', '--loader', denied]);
    expect(loose.code).toBe(0);
    expect(loose.stderr).toContain(
      'SOURCE_DROPPED: dropped optional source ssm:/orders/prod/: access denied',
    );
    expect(loose.stderr).toContain(
      "strataconf: hint: access to ssm:/orders/prod/ was denied: strataconf iam, given the same sources, prints the policy the function's role needs\n",
    );
    const strict = await cli(['validate', '--strict', '--loader', denied]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('hint: access to ssm:/orders/prod/ was denied: strataconf iam');
    const missing = await cli([
      'validate',
      '--optional-file',
      'missing.json5',
      '--file',
      'base.json5',
      '--file',
      'prod.json5',
    ]);
    expect(missing.stderr).not.toContain('strataconf iam');
  });
});
