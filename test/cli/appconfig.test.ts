/**
 * `appconfig:` and `appconfig!:` source forms, in STRATACONF_SOURCES and --source, loaded through
 * the CLI against startLocalAws (the API path, credentials in the environment).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSourcesVariable } from '../../src/cli/sources.js';
import { type LocalAws, startLocalAws } from '../../src/testing.js';
import { cli } from './run-cli.js';

describe('appconfig: source forms', () => {
  it('parses optional and required forms', () => {
    expect(parseSourcesVariable('appconfig:orders/prod/settings,appconfig!:orders/prod/flags')).toEqual([
      { kind: 'appconfig', target: 'orders/prod/settings', optional: true },
      { kind: 'appconfig', target: 'orders/prod/flags', optional: false },
    ]);
  });

  it.each([
    ['appconfig:orders/prod', 'needs application/environment/profile'],
    ['appconfig:a//c', 'needs application/environment/profile'],
    ['appconfig!:', 'has nothing after its kind'],
  ])('refuses %s with a usage error saying why', async (spec, why) => {
    const result = await cli(['print', '--source', spec]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--source "${spec}" ${why}`);
  });
});

describe('appconfig: layers through the CLI', () => {
  let server: LocalAws;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startLocalAws(
      {
        appconfig: {
          'orders/prod/settings': {
            content: '{ "features": { "checkout": true }, "apiToken": "tok-appconfig-123" }',
          },
        },
      },
      { appConfigExtension: false },
    );
    env = server.env;
  });
  afterAll(() => server.close());
  // The AWS transport reads the process environment, as the installed bin does.
  beforeEach(() => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  });

  it('prints the profile merged over a file, secrets redacted, with its source in --explain', async () => {
    const result = await cli(
      ['print', '--explain', '--format', 'json', '--source', 'appconfig!:orders/prod/settings'],
      {
        env,
      },
    );
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { path: string; value: unknown; source: string }[];
    expect(rows).toEqual([
      { path: 'features.checkout', value: true, source: 'appconfig:orders/prod/settings', overridden: [] },
      { path: 'apiToken', value: '[redacted]', source: 'appconfig:orders/prod/settings', overridden: [] },
    ]);
  });

  it('drops a missing optional profile with a warning, and fails a required one (exit 1)', async () => {
    const optional = await cli(['print', '--source', 'appconfig:orders/prod/none'], { env });
    expect(optional.code).toBe(0);
    expect(optional.stderr).toContain('dropped optional source appconfig:orders/prod/none');
    const required = await cli(['validate'], {
      env: { ...env, STRATACONF_SOURCES: 'appconfig!:orders/prod/none' },
    });
    expect(required.code).toBe(1);
    expect(required.stderr).toContain('SOURCE_UNAVAILABLE');
  });
});
