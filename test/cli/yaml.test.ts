import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

/** YAML layers through the CLI: --file, file: in STRATACONF_SOURCES, and errors at line and column. */

const YAML_FIXTURES = fileURLToPath(new URL('../../fixtures/yaml/', import.meta.url));
const stageEnv = { APP_DB__PASSWORD: 'env-PLANTED-yaml-1' };

describe('YAML layers in the CLI', () => {
  it('prints a YAML blueprint and stage layer given with --file, secrets redacted', async () => {
    const result = await cli(['print', '--file', 'base.yaml', '--file', 'prod.yaml', '--env', 'APP_'], {
      cwd: YAML_FIXTURES,
      env: stageEnv,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      service: 'orders',
      db: { host: 'prod.db.internal', port: 6432, password: '[redacted]' },
      features: { checkout: 'no-op', beta: true },
      retries: 3,
      retires: 5,
    });
    expect(result.stdout + result.stderr).not.toContain('env-PLANTED');
  });

  it('reads file:x.yaml sources from STRATACONF_SOURCES and explains where each value came from', async () => {
    const result = await cli(['print', '--explain', '--format', 'json'], {
      cwd: YAML_FIXTURES,
      env: { ...stageEnv, STRATACONF_SOURCES: 'file:base.yaml,file?:missing.yml,file:prod.yaml,env:APP_' },
    });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { path: string; source: string; overridden: string[] }[];
    expect(rows.find((r) => r.path === 'db.port')).toMatchObject({
      source: 'prod.yaml',
      overridden: ['base.yaml'],
    });
    expect(rows.find((r) => r.path === 'db.password')).toMatchObject({ source: 'env:APP_' });
    expect(result.stderr).toContain('dropped optional source missing.yml');
  });

  it('fails a YAML layer that does not parse with PARSE_ERROR, its line and column, and no value', async () => {
    const result = await cli(['validate', '--file', 'broken.yaml'], {
      cwd: fileURLToPath(new URL('../../fixtures/schema/', import.meta.url)),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PARSE_ERROR/);
    expect(result.stderr).toContain('broken.yaml: invalid YAML at line 4, column 1');
    expect(result.stderr).not.toContain('db.internal');
  });
});
