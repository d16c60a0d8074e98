import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const TYPO = ['--loader', 'loader-strict.ts'];
const WARNING = 'db.prot from typo.json5 is not in the schema; did you mean db.port?';

describe('strataconf validate --strict', () => {
  it('passes a clean stack with the usual ok line', async () => {
    const result = await cli([
      'validate',
      '--strict',
      '--file',
      'base.json5',
      '--file',
      'prod.json5',
      '--overrides',
      'ignore',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: config valid/);
  });

  it('fails (exit 1) on an unknown key, naming it', async () => {
    const result = await cli(['validate', '--strict', ...TYPO]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `strataconf: warning: UNKNOWN_KEY: ${WARNING}\nstrataconf: STRICT: 1 warning fails validate --strict (UNKNOWN_KEY); see above\n`,
    );
  });

  it('fails on unexpected overrides and dropped optional sources, listing every code', async () => {
    const result = await cli([
      'validate',
      '--strict',
      '--file',
      'base.json5',
      '--optional-file',
      'missing.json5',
      '--file',
      'prod.json5',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SOURCE_DROPPED: dropped optional source missing.json5');
    expect(result.stderr).toContain('UNEXPECTED_OVERRIDE: signing.key');
    expect(result.stderr).toContain(
      'STRICT: 2 warnings fail validate --strict (SOURCE_DROPPED, UNEXPECTED_OVERRIDE)',
    );
  });

  it('passes the same stack without --strict, the warning on stderr', async () => {
    const result = await cli(['validate', ...TYPO]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`strataconf: warning: UNKNOWN_KEY: ${WARNING}\n`);
  });
});

describe('--unknown-keys and --overrides', () => {
  it.each(['print', 'validate'])('--unknown-keys error fails %s with UNKNOWN_KEY', async (command) => {
    const result = await cli([command, ...TYPO, '--unknown-keys', 'error']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`UNKNOWN_KEY: 1 key is not in the schema:\n  - ${WARNING}`);
  });

  it('--unknown-keys ignore silences the warning (get)', async () => {
    const result = await cli(['get', 'db.host', ...TYPO, '--unknown-keys', 'ignore']);
    expect(result).toEqual({ code: 0, stdout: 'db.internal\n', stderr: '' });
  });

  it('--overrides error fails with OVERRIDE_FORBIDDEN; ignore is silent', async () => {
    const stack = ['--file', 'base.json5', '--file', 'prod.json5'];
    expect((await cli(['print', ...stack, '--overrides', 'error'])).stderr).toContain('OVERRIDE_FORBIDDEN');
    expect((await cli(['print', ...stack, '--overrides', 'ignore'])).stderr).toBe('');
  });

  it('applies a policy given on either side of diff to both', async () => {
    const result = await cli([
      'diff',
      '--file',
      'base.json5',
      '--file',
      'prod.json5',
      '--',
      ...TYPO,
      '--unknown-keys',
      'error',
      '--overrides',
      'error',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('OVERRIDE_FORBIDDEN');
  });

  it('is a usage error for a policy that is not warn, error or ignore', async () => {
    const result = await cli(['validate', ...TYPO, '--unknown-keys', 'strict']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--unknown-keys must be warn, error or ignore, not "strict"');
  });
});

describe('CLI mistakes', () => {
  it('suggests the flag meant for an unknown one', async () => {
    const result = await cli(['print', '--explian', '--file', 'base.json5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--explian'; did you mean --explain?");
  });

  it('suggests nothing for a flag far from every known one', async () => {
    const result = await cli(['print', '--zzzzzz', '--file', 'base.json5']);
    expect(result.stderr).toContain("Unknown option '--zzzzzz'");
    expect(result.stderr).not.toContain('did you mean');
  });

  it('suggests the path meant for get of a missing one', async () => {
    const result = await cli(['get', 'db.hots', '--file', 'base.json5', '--file', 'prod.json5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MISSING_KEY: the config has no value at db.hots; did you mean db.host?');
  });
});

describe('--loader with named exports', () => {
  it('takes the only definition a module exports by name', async () => {
    const result = await cli(['get', 'db.host', '--loader', 'loader-named.mjs']);
    expect(result).toEqual({ code: 0, stdout: 'from-named-export\n', stderr: '' });
  });

  it('picks one export with MODULE#NAME', async () => {
    const result = await cli(['get', 'db.host', '--loader', 'loader-two.mjs#prod']);
    expect(result.stdout).toBe('prod-db\n');
  });

  it('asks for #NAME when a module exports several definitions, naming them', async () => {
    const result = await cli(['get', 'db.host', '--loader', 'loader-two.mjs']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--loader loader-two.mjs: it exports 2 definitions (staging, prod); pick one with --loader loader-two.mjs#NAME',
    );
  });

  it('names the definitions there are when #NAME is none of them', async () => {
    const result = await cli(['get', 'db.host', '--loader', 'loader-two.mjs#qa']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'no defineConfig(...) result exported as "qa" (it exports staging, prod)',
    );
  });
});
