import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CliResult, cli } from '../cli/run-cli.js';
import { expectNoSecrets } from './leaks.js';

/**
 * The CLI over layers with planted secrets (fixtures/hardening/secrets/, env variables): every
 * command and output format on a stack that loads (with override and dropped-source warnings), and
 * every error path (parse, validation, coercion, $override, forbidden override, unsafe key, missing
 * source, missing key). No planted secret may reach stdout or stderr without `--show-secrets`.
 */

const CWD = fileURLToPath(new URL('../../fixtures/hardening/secrets/', import.meta.url));
const found = (pattern: RegExp) =>
  readdirSync(CWD)
    .filter((name) => /\.json5?$/.test(name))
    .flatMap((name) => readFileSync(`${CWD}${name}`, 'utf8').match(pattern) ?? []);

const ENV = {
  APP_DB__PASSWORD: 'env-db-password-PLANTED-u1',
  APP_API_KEY: 'env-api-key-PLANTED-w3',
  APP_AUTH__SESSION_TOKEN: 'env-session-token-PLANTED-x4',
};
/** Secret by key name: every `...PLANTED...` string in the fixtures and the env. */
const BY_KEY = [...new Set([...found(/[\w-]*PLANTED[\w-]*/g), ...Object.values(ENV)])];
/** Secret by the loader schema's `.meta({ secret: true })` only. */
const BY_SCHEMA = [...new Set(found(/[\w-]*SCHEMA[\w-]*/g))];
/** Secret only because marked-loader.ts's sources mark them (as SecureString parameters and secrets). */
const BY_SOURCE = ['ssm-dsn-MARKED-k1', 'https://hooks.example/MARKED-m2'];

const FILES = ['--file', 'base.json5', '--file', 'prod.json5'];
const stacks: [string, string[], string[]][] = [
  ['two files', FILES, BY_KEY],
  ['two files and --env APP_', [...FILES, '--env', 'APP_'], BY_KEY],
  ['a missing --optional-file', [...FILES, '--optional-file', 'nope.json5'], BY_KEY],
  ['--loader with a schema', ['--loader', 'loader.ts'], [...BY_KEY, ...BY_SCHEMA]],
  ['--loader and --env APP_', ['--loader', 'loader.ts', '--env', 'APP_'], [...BY_KEY, ...BY_SCHEMA]],
  ['--loader with sources that mark secrets', ['--loader', 'marked-loader.ts'], [...BY_KEY, ...BY_SOURCE]],
];

/** Every command and format, over a stack. */
const commands: [string, (stack: string[]) => string[]][] = [
  ['print', (s) => ['print', ...s]],
  ['print --format json5', (s) => ['print', ...s, '--format', 'json5']],
  ['print --format env', (s) => ['print', ...s, '--format', 'env', '--prefix', 'APP_']],
  ['print --explain', (s) => ['print', ...s, '--explain']],
  ['print --explain --format json', (s) => ['print', ...s, '--explain', '--format', 'json']],
  ['get db.password', (s) => ['get', 'db.password', ...s]],
  ['get db', (s) => ['get', 'db', ...s]],
  ['get auth', (s) => ['get', 'auth', ...s]],
  ['get apiKey', (s) => ['get', 'apiKey', ...s]],
  ['get signing', (s) => ['get', 'signing', ...s]],
  ['validate', (s) => ['validate', ...s]],
  ['diff', (s) => ['diff', '--file', 'base.json5', '--', ...s]],
  ['diff --format json', (s) => ['diff', '--file', 'base.json5', '--', ...s, '--format', 'json']],
];

const run = (argv: string[]) => cli(argv, { cwd: CWD, env: ENV });
const text = (r: CliResult) => `${r.stdout}\n${r.stderr}`;

describe('the planted secrets are really loaded', () => {
  it('--show-secrets prints every secret of the final config (so the checks below can fail)', async () => {
    const result = await run(['print', '--loader', 'loader.ts', '--env', 'APP_', '--show-secrets']);
    expect(result.code).toBe(0);
    for (const secret of [...Object.values(ENV), 'prod-signing-SCHEMA-j0', 'base-cred-PLANTED-f6']) {
      expect(result.stdout).toContain(secret);
    }
    const marked = await run(['print', '--loader', 'marked-loader.ts', '--show-secrets']);
    for (const secret of BY_SOURCE) expect(marked.stdout).toContain(secret);
  });
});

describe.each(stacks)('no secret from the CLI on %s', (_stack, stack, secrets) => {
  it.each(commands)('%s', async (_command, argv) => {
    const result = await run(argv(stack));
    expect(result.code === 0 || (argv(stack)[0] === 'diff' && result.code === 1)).toBe(true);
    expect(result.stdout).not.toBe('');
    expectNoSecrets(text(result), secrets);
  });
});

describe('no source-marked secret from get', () => {
  it.each([['db.dsn'], ['db'], ['webhook'], ['webhook.url']])('get %s', async (path) => {
    const result = await run(['get', path, '--loader', 'marked-loader.ts']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[redacted]');
    expectNoSecrets(text(result), BY_SOURCE);
  });
});

const failures: [string, string[], string][] = [
  ['a JSON5 parse error', ['--file', 'base.json5', '--file', 'broken.json5'], 'PARSE_ERROR'],
  ['a JSON parse error', ['--file', 'base.json5', '--file', 'broken.json'], 'PARSE_ERROR'],
  ['a validation error', ['--loader', 'loader.ts', '--file', 'wrong-types.json5'], 'VALIDATION_ERROR'],
  ['an env coercion error', ['--loader', 'loader.ts', '--env', 'APP_'], 'VALIDATION_ERROR'],
  [
    'an $override left unset',
    ['--file', 'base.json5', '--file', 'override-missing.json5'],
    'OVERRIDE_MISSING',
  ],
  ['a forbidden override', ['--loader', 'strict-loader.ts'], 'OVERRIDE_FORBIDDEN'],
  ['a forbidden key', ['--file', 'base.json5', '--file', 'unsafe.json5'], 'UNSAFE_KEY'],
  ['a missing required file', ['--file', 'base.json5', '--file', 'missing.json5'], 'SOURCE_UNAVAILABLE'],
];
const failing = commands.filter(([name]) => !name.startsWith('get ') || name === 'get db.password');

describe.each(failures)('no secret from the CLI on %s', (_what, stack, code) => {
  it.each(failing)('%s exits 1 with the code and no secret', async (_command, argv) => {
    const env = code === 'VALIDATION_ERROR' ? { ...ENV, APP_DB__PORT: 'env-port-PLANTED-v2' } : ENV;
    const result = await cli(argv(stack), { cwd: CWD, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`strataconf: ${code}: `);
    expectNoSecrets(text(result), [...BY_KEY, ...BY_SCHEMA, 'env-port-PLANTED-v2']);
  });
});

describe('no secret from get on a missing path', () => {
  it('exits 1 with MISSING_KEY naming the path only', async () => {
    const result = await run(['get', 'db.nope', '--loader', 'loader.ts', '--env', 'APP_']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MISSING_KEY');
    expectNoSecrets(text(result), [...BY_KEY, ...BY_SCHEMA]);
  });
});
