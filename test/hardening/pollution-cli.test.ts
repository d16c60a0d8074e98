import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, cli } from '../cli/run-cli.js';
import { seedObjects, stubS3Env } from '../setup/s3.js';
import { CASES, json5Text, untouched } from './pollution.js';

/**
 * Forbidden keys reaching the CLI: `--file`/`--optional-file` with polluting JSON and JSON5 files
 * (fixtures/hardening/pollution/), `--env APP_` with polluting variable names and values,
 * `STRATACONF_SOURCES`, and `--s3`/`--required-s3` objects on s3rver. Every command fails with exit 1
 * and `UNSAFE_KEY` on stderr, prints nothing on stdout, and leaves Object.prototype alone.
 */

const CWD = fileURLToPath(new URL('../../fixtures/hardening/', import.meta.url));
const FILES = readdirSync(`${CWD}pollution`).map((name) => `pollution/${name}`);
const BUCKET = 'strataconf-hardening-cli';

/** Every command, over a base layer and then the stack under test. */
const COMMANDS: [string, (stack: string[]) => string[]][] = [
  ['print', (stack) => ['print', '--file', 'base.json5', ...stack]],
  ['print --format json5', (stack) => ['print', '--file', 'base.json5', ...stack, '--format', 'json5']],
  [
    'print --format env',
    (stack) => ['print', '--file', 'base.json5', ...stack, '--format', 'env', '--prefix', 'APP_'],
  ],
  ['print --explain', (stack) => ['print', '--file', 'base.json5', ...stack, '--explain']],
  ['get', (stack) => ['get', 'db.host', '--file', 'base.json5', ...stack]],
  ['validate', (stack) => ['validate', '--file', 'base.json5', ...stack]],
  ['diff', (stack) => ['diff', '--file', 'base.json5', '--', '--file', 'base.json5', ...stack]],
];

function refused(result: CliResult): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^strataconf: UNSAFE_KEY: .+ is not allowed/m);
  expect(result.stdout).toBe('');
  untouched();
}

const run = (argv: string[], env: Record<string, string> = {}) => cli(argv, { cwd: CWD, env });

afterEach(() => untouched());

describe('CLI --file with a polluting layer', () => {
  it('has fixtures to run', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(7);
  });

  describe.each(COMMANDS)('%s', (_command, argv) => {
    it.each(FILES)('exits 1 with UNSAFE_KEY for --file %s', async (file) => {
      refused(await run(argv(['--file', file])));
    });
  });

  it.each(FILES)(
    'exits 1 with UNSAFE_KEY for --optional-file %s (optional is not a way around it)',
    async (file) => {
      refused(await run(['print', '--optional-file', file]));
    },
  );
});

describe('CLI --env APP_ with polluting variables', () => {
  it.each([
    'APP___PROTO____X',
    'APP___proto____polluted',
    'APP_DB____PROTO__',
    'APP_CONSTRUCTOR__PROTOTYPE__POLLUTED',
    'APP_DB__CONSTRUCTOR',
    'APP_DB__PROTOTYPE__X',
    'APP_PROTOTYPE',
  ])('exits 1 with UNSAFE_KEY naming %s', async (variable) => {
    for (const [, argv] of COMMANDS) {
      const result = await run(argv(['--env', 'APP_']), { [variable]: 'yes' });
      refused(result);
      expect(result.stderr).toContain(variable);
    }
  });

  it.each(CASES)('exits 1 with UNSAFE_KEY for %s %s in a JSON5 object value', async (key, _where, shape) => {
    const result = await run(['print', '--file', 'base.json5', '--env', 'APP_'], {
      APP_SETTINGS: json5Text(shape, key),
    });
    refused(result);
    expect(result.stderr).toContain(`"${key}"`);
  });
});

describe('CLI STRATACONF_SOURCES with a polluting layer', () => {
  it.each(FILES)('exits 1 with UNSAFE_KEY for file:%s (and file?:)', async (file) => {
    for (const kind of ['file:', 'file?:']) {
      refused(await run(['print'], { STRATACONF_SOURCES: `file:base.json5,${kind}${file}` }));
    }
  });

  it('exits 1 with UNSAFE_KEY for env:APP_ with APP___PROTO____X', async () => {
    const env = { STRATACONF_SOURCES: 'file:base.json5,env:APP_', APP___PROTO____X: 'yes' };
    for (const command of [['print'], ['get', 'db.host'], ['validate']]) refused(await run(command, env));
  });
});

describe('CLI S3 layers with a polluting body (s3rver)', () => {
  const objects = FILES.map((file) => file.replace('/', '-'));
  beforeAll(() =>
    seedObjects(
      BUCKET,
      Object.fromEntries(FILES.map((file, i) => [objects[i], readFileSync(`${CWD}${file}`)])),
    ),
  );
  beforeEach(() => stubS3Env());

  it.each(objects)(
    'exits 1 with UNSAFE_KEY for %s by --s3, --required-s3, s3:// and s3!://',
    async (object) => {
      refused(await run(['print', '--file', 'base.json5', '--s3', `s3://${BUCKET}/${object}`]));
      refused(await run(['validate', '--required-s3', `s3://${BUCKET}/${object}`]));
      for (const kind of ['s3://', 's3!://']) {
        refused(await run(['print'], { STRATACONF_SOURCES: `file:base.json5,${kind}${BUCKET}/${object}` }));
      }
    },
  );
});
