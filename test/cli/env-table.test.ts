import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { explainConfig, fromObject, getIn, type LoadOptions } from '../../src/index.js';
import { runLoad } from '../../src/load-config.js';
import { cli } from './run-cli.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/lambda-handler/config.ts', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../fixtures/schema/', import.meta.url));

interface Row {
  name: string;
  path: string;
  type: string;
  required: boolean;
  secret: boolean;
  wouldWarn?: string;
}

/** A value of `type` as an env variable would carry it, and what the load makes of it. */
function sample(type: string): { raw: string; value: unknown } {
  if (type === 'number') return { raw: '4242', value: 4242 };
  if (type === 'boolean') return { raw: 'true', value: true };
  if (type.startsWith('"')) {
    const last = JSON.parse(type.split(' | ').at(-1) as string) as string;
    return { raw: last, value: last };
  }
  return { raw: 'from-env', value: 'from-env' };
}

const FULL = {
  service: { name: 'orders', stage: 'dev' },
  db: { host: 'h', port: 1, password: 'p' },
  features: { greeting: 'hi', newCheckout: false },
  limits: { maxItems: 5 },
};

beforeEach(() => {
  // The example's module reads it when imported (the deploy sets it); nothing is fetched here.
  vi.stubEnv('CONFIG_S3_URI', 's3://my-config/orders/production.json5');
});
afterEach(() => vi.unstubAllEnvs());

async function rows(loader: string): Promise<Row[]> {
  const result = await cli(['env', '--loader', loader, '--format', 'json'], { cwd: FIXTURES });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Row[];
}

describe('strataconf env', () => {
  it('lists the example function variables as JSON, with exactly name, path, type, required, secret (and wouldWarn where it applies)', async () => {
    const list = await rows(EXAMPLE);
    expect(list.map((r) => Object.keys(r))).toEqual(
      list.map((r) => ['name', 'path', 'type', 'required', 'secret', ...(r.wouldWarn ? ['wouldWarn'] : [])]),
    );
    // config.json5 sets them unmarked: a variable that changes them is an unexpected override.
    expect(list.filter((r) => r.wouldWarn).map((r) => [r.name, r.wouldWarn])).toEqual([
      ['APP_SERVICE__NAME', 'not $default in config.json5'],
      ['APP_LIMITS__MAX_ITEMS', 'not $default in config.json5'],
    ]);
    expect(list.find((r) => r.path === 'db.password')).toEqual({
      name: 'APP_DB__PASSWORD',
      path: 'db.password',
      type: 'string',
      required: true,
      secret: true,
    });
    // config.json5 sets it as a $default: not required. Its $override values are.
    expect(list.filter((r) => r.required).map((r) => r.name)).toEqual([
      'APP_SERVICE__STAGE',
      'APP_DB__HOST',
      'APP_DB__PASSWORD',
    ]);
    expect(list.find((r) => r.path === 'features.newCheckout')?.name).toBe('APP_FEATURES__NEW_CHECKOUT');
  });

  it('names variables that reach their path in a load, one for every value of the config', async () => {
    const list = await rows(EXAMPLE);
    const { config } = (await import('../../examples/lambda-handler/config.js')) as unknown as {
      config: { options: LoadOptions };
    };
    const env = config.options.sources.find((s) => s.name === 'env:APP_');
    expect(env).toBeDefined();
    for (const row of list) {
      const { raw, value } = sample(row.type);
      vi.stubEnv(row.name, raw);
      const sources = [fromObject(FULL), env as NonNullable<typeof env>];
      const loaded = await runLoad({
        schema: config.options.schema,
        sources,
        overrides: 'ignore',
        logger: { warn() {} },
      });
      expect(getIn(loaded.config, ...row.path.split('.')), row.name).toEqual(value);
      vi.unstubAllEnvs();
    }
    const leaves = explainConfig(
      (await runLoad({ schema: config.options.schema, sources: [fromObject(FULL)] })).config,
    );
    expect(list.map((r) => r.path).sort()).toEqual(leaves.map((l) => l.path.join('.')).sort());
  });

  it('shows a table with defaults, the values of secrets redacted', async () => {
    vi.stubEnv('SVC_DB__PASSWORD', 'never-shown');
    const result = await cli(['env', '--loader', 'loader.ts'], { cwd: FIXTURES });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+PATH\s+TYPE\s+REQUIRED\s+DEFAULT\s+SECRET\s+WOULD WARN$/);
    expect(result.stdout).toMatch(/SVC_REGION\s+region\s+string\s+no\s+"eu-west-1"\s+no/);
    expect(result.stdout).toMatch(/SVC_DB__PORT\s+db\.port\s+number\s+no\s+5432\s+no/);
    expect(result.stdout).toMatch(/SVC_DB__HOST\s+db\.host\s+string\s+yes\s+no/);
    // The map entry, beside the prefixed name.
    expect(result.stdout).toMatch(/DB_PASSWORD\s+db\.password\s+string\s+yes\s+yes/);
    expect(result.stdout).toMatch(/SVC_OPTIONAL__FLAG\s+optional\.flag\s+boolean\s+no/);
    expect(result.stdout).not.toContain('never-shown');
  });

  it('redacts a secret default a layer below sets', async () => {
    const result = await cli(['env', '--loader', '../cli/loader-env.mjs', '--format', 'table'], {
      cwd: FIXTURES,
    });
    // No schema: a usage error, not a guess.
    expect(result.code).toBe(2);
    const withSecret = await cli(['env', '--loader', 'loader-secret.ts'], { cwd: FIXTURES });
    expect(withSecret.code).toBe(0);
    expect(withSecret.stdout).toMatch(/APP_DB__PASSWORD\s+db\.password\s+string\s+no\s+\[redacted\]\s+yes/);
    expect(withSecret.stdout).not.toContain('base-PLANTED');
  });

  it('writes a Markdown table for a README', async () => {
    const result = await cli(['env', '--loader', EXAMPLE, '--format', 'markdown'], { cwd: FIXTURES });
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([
      '| Name | Path | Type | Required | Default | Secret | Would warn |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| `APP_SERVICE__NAME` | `service.name` | string | no | "orders" | no | not $default in config.json5 |',
    ]);
    expect(result.stdout).toContain(
      '| `APP_SERVICE__STAGE` | `service.stage` | "dev" \\| "staging" \\| "production" | yes |  | no |  |',
    );
  });

  it('marks the variables whose value a layer below sets unmarked, as the merge leaves it', async () => {
    const list = await rows('loader-warns.ts');
    expect(list.map((r) => [r.name, r.required, r.wouldWarn ?? null])).toEqual([
      ['APP_SERVICE', false, 'not $default in base'],
      // An $override above the base value: a layer above must set it, silently.
      ['APP_DB__HOST', true, null],
      ['APP_DB__PORT', false, null],
      // Set over its $default by stage, so unmarked again.
      ['APP_DB__POOL', false, 'not $default in stage'],
      ['APP_TAGS', false, 'not $default in base'],
    ]);
    const table = await cli(['env', '--loader', 'loader-warns.ts'], { cwd: FIXTURES });
    expect(table.stdout).toMatch(
      /APP_DB__POOL\s+db\.pool\s+number\s+no\s+10\s+no\s+not \$default in stage\n/,
    );
  });

  it('marks none under overrides: ignore, where setting any variable is silent', async () => {
    const list = await rows('loader-warns.ts#quiet');
    expect(list.filter((r) => r.wouldWarn !== undefined)).toEqual([]);
  });

  it('refuses an unknown --format', async () => {
    const result = await cli(['env', '--loader', EXAMPLE, '--format', 'yaml'], { cwd: FIXTURES });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format must be table, json or markdown');
  });
});
