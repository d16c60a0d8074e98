import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { schema } from '../../fixtures/schema/loader.js';
import { checkValue } from '../../src/cli/schema/check-layer.js';
import { cli } from './run-cli.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/schema/', import.meta.url));
const check = (files: string[], loader = 'loader.ts') =>
  cli(['check', ...files, '--loader', loader], { cwd: FIXTURES });

describe('strataconf check', () => {
  it('passes a layer with markers and a $schema key: exit 0, one ok line per file', async () => {
    const result = await check(['base.json5']);
    expect(result).toEqual({ code: 0, stdout: 'ok: base.json5\n', stderr: '' });
  });

  it('reports every problem with its line and column, and exits 1', async () => {
    const result = await check(['bad.json5']);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      'bad.json5:3:5: db.hots is not in the schema; did you mean db.host?',
      'bad.json5:4:11: db.port: Invalid input: expected number, received string',
      'bad.json5:5:28: db.password.$override: $override takes a string: why the value is needed and where to set it',
      'bad.json5:7:27: strict.extra is not in the schema',
      'bad.json5:8:20: labels.owner: Invalid input: expected string, received number',
      'bad.json5:9:11: region: "$default" must be the only key of its object',
      'bad.json5:10:20: limits.burst: Invalid input: expected number, received string',
    ]);
    expect(result.stderr).toBe('strataconf: 7 problems in 1 of 1 files\n');
  });

  it('checks each file alone, and fails when one of them fails', async () => {
    const result = await check(['base.json5', 'bad.json5']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ok: base\.json5\n/);
    expect(result.stderr).toContain('in 1 of 2 files');
  });

  it('reports a file json5 cannot parse at its line and column', async () => {
    const result = await check(['broken.json5']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^broken\.json5:2:20: invalid JSON5 at line 2, column 20/);
  });

  it('reports a key the load refuses (__proto__) where it stands', async () => {
    const result = await check(['unsafe.json5']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('unsafe.json5:2:9: the key "__proto__" is not allowed in configuration\n');
  });

  it('reports a file that does not exist', async () => {
    const result = await check(['nope.json5']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('nope.json5: cannot be read (ENOENT)\n');
  });

  it('never prints a value of the file', async () => {
    const result = await check(['bad.json5']);
    expect(result.stdout + result.stderr).not.toContain('db.internal');
    expect(result.stdout + result.stderr).not.toContain('many');
  });

  it('passes a YAML layer with markers written both ways and a $schema key', async () => {
    const result = await check(['base.yaml']);
    expect(result).toEqual({ code: 0, stdout: 'ok: base.yaml\n', stderr: '' });
  });

  it('reports every problem of a YAML layer at its line and column, as for JSON5', async () => {
    const result = await check(['bad.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      'bad.yaml:2:3: db.hots is not in the schema; did you mean db.host?',
      'bad.yaml:3:9: db.port: Invalid input: expected number, received string',
      'bad.yaml:4:26: db.password.$override: $override takes a string: why the value is needed and where to set it',
      'bad.yaml:5:23: strict.extra is not in the schema',
      'bad.yaml:7:10: labels.owner: Invalid input: expected string, received number',
      'bad.yaml:8:9: region: "$default" must be the only key of its object',
      'bad.yaml:10:10: limits.burst: Invalid input: expected number, received string',
    ]);
    expect(result.stdout).not.toContain('db.internal');
    expect(result.stdout).not.toContain('many');
  });

  it('reports a YAML file that does not parse, and a __proto__ key, where they stand', async () => {
    const result = await check(['broken.yaml', 'unsafe.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^broken\.yaml:4:1: invalid YAML at line 4, column 1 \(/),
      'unsafe.yaml:2:3: the key "__proto__" is not allowed in configuration',
    ]);
    expect(result.stdout).not.toContain('db.internal');
  });

  it.each([
    [['check', '--loader', 'loader.ts'], 'check needs at least one FILE'],
    [['check', 'base.json5'], 'check needs --loader MODULE'],
    [['check', 'base.json5', '--loader', 'loader.ts', '--env', 'X_'], 'unknown option'],
  ])('is a usage error: %j', async (argv, message) => {
    const result = await cli(argv, { cwd: FIXTURES });
    expect(result.code).toBe(2);
    expect(result.stderr.toLowerCase()).toContain(message.toLowerCase());
  });
});

describe('check and the emitted JSON Schema', () => {
  // The same layers, judged by check (zod, read partially) and by an editor's validator (Ajv on the
  // emitted JSON Schema): the two must agree wherever the JSON Schema can check.
  const layers: [string, unknown][] = [
    ['an empty layer', {}],
    [
      'markers',
      { db: { host: { $override: 'later' }, port: { $default: 1 } }, strict: { $default: { level: 'low' } } },
    ],
    ['a typo', { db: { hots: 'x' } }],
    ['a wrong type', { db: { port: '5432' } }],
    ['an $override that is not a string', { db: { host: { $override: 42 } } }],
    ['a marker with a second key', { region: { $default: 'x', other: 1 } }],
    ['a $default of the wrong type', { db: { port: { $default: 'x' } } }],
    ['an open object', { extras: { anything: 1 }, labels: { a: 'b' }, limits: { burst: 2 } }],
    ['a closed object', { strict: { extra: 1 } }],
    ['an array item missing a key', { tags: [{ key: 'team' }] }],
    ['a union branch', { output: { kind: 'file' } }],
    ['a wrong union branch', { output: 'stderr' }],
  ];

  it.each(layers)('agree on %s', async (_name, layer) => {
    const result = await cli(['schema', '--loader', 'loader.ts'], { cwd: FIXTURES });
    const validate = new Ajv2020({ strictTypes: false }).compile(JSON.parse(result.stdout));
    const problems = await checkValue(layer, schema);
    expect(problems.length === 0).toBe(validate(layer));
  });
});
