import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import JSON5 from 'json5';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cli } from './run-cli.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/schema/', import.meta.url));
const LOADER = join(FIXTURES, 'loader.ts');

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
let validate: Validate;
let stderr = '';

/** Compiles the emitted schema as an editor's validator does (Ajv, draft 2020-12, strict mode). */
async function compile(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ validate: Validate; schema: Record<string, unknown>; stderr: string }> {
  const result = await cli(argv, { cwd: FIXTURES, env });
  expect(result.code).toBe(0);
  const schema = JSON.parse(result.stdout) as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
  return { validate: ajv.compile(schema) as Validate, schema, stderr: result.stderr };
}

beforeAll(async () => {
  ({ validate, stderr } = await compile(['schema', '--loader', LOADER]));
});

const base = async () =>
  JSON5.parse(await readFile(join(FIXTURES, 'base.json5'), 'utf8')) as Record<string, unknown>;

describe('strataconf schema', () => {
  it('accepts a layer with markers, a nested $default and a $schema key', async () => {
    expect(validate(await base())).toBe(true);
    expect(validate({})).toBe(true);
    expect(validate({ db: { $default: { host: { $override: 'later' }, port: 1 } } })).toBe(true);
  });

  it('accepts the same base layer written in YAML, read as the YAML language server reads it', async () => {
    const text = await readFile(join(FIXTURES, 'base.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\/layer\.schema\.json\n/);
    expect(validate(parseYaml(text))).toBe(true);
  });

  it('refuses a YAML layer with the mistakes check reports', async () => {
    const bad = parseYaml(await readFile(join(FIXTURES, 'bad.yaml'), 'utf8'));
    expect(validate(bad)).toBe(false);
    const paths = ((validate.errors ?? []) as { instancePath: string }[]).map((e) => e.instancePath);
    expect(paths).toEqual(expect.arrayContaining(['/db', '/db/port', '/labels/owner', '/limits/burst']));
  });

  it.each([
    ['a typo', { db: { hots: 'x' } }],
    ['an unknown top-level key', { servce: 'x' }],
    ['a wrong type', { db: { port: '5432' } }],
    ['a number out of range', { db: { port: 70_000 } }],
    ['a wrong enum value', { strict: { level: 'medium' } }],
    ['a key a strict object does not declare', { strict: { extra: 1 } }],
    ['an $override that is not a string', { db: { host: { $override: 42 } } }],
    ['a marker with a second key', { region: { $default: 'x', other: 1 } }],
    ['a $default of the wrong type', { db: { port: { $default: 'x' } } }],
    ['a wrong type in a record', { labels: { owner: 7 } }],
    ['a wrong type under a catchall', { limits: { burst: 'many' } }],
    ['an array item missing a key (arrays are whole values)', { tags: [{ key: 'team' }] }],
    ['a marker inside an array (not a marker there)', { tags: [{ $default: { key: 'a', value: 'b' } }] }],
    ['a $schema that is not a string', { $schema: 1 }],
  ])('refuses %s', (_name, layer) => {
    expect(validate(layer)).toBe(false);
  });

  it('keeps open what zod keeps open: looseObject, records, catchall', () => {
    expect(
      validate({ extras: { anything: { deep: [1] } }, labels: { any: 'x' }, limits: { burst: 20 } }),
    ).toBe(true);
  });

  it('accepts every branch of a union, each partial', () => {
    expect(validate({ output: 'stdout' })).toBe(true);
    expect(validate({ output: { kind: 'file' } })).toBe(true);
    expect(validate({ output: { kind: 'pipe' } })).toBe(false);
  });

  it('carries the descriptions and defaults of the zod schema, and no "secret" keyword', async () => {
    const { schema } = await compile(['schema', '--loader', LOADER]);
    const text = JSON.stringify(schema);
    expect(schema.description).toBe('The test service');
    expect(text).toContain('"description":"The database host"');
    expect(text).toContain('"default":"eu-west-1"');
    expect(text).not.toContain('"secret"');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('names on stderr the paths it cannot check, and still checks the rest', () => {
    expect(stderr).toContain(
      'warning: retries is not checked by the JSON Schema (a refinement is not checked)',
    );
    expect(stderr).toContain('warning: started is not checked by the JSON Schema (a custom type');
    // The transform's input (a string) is checked: not reported.
    expect(stderr).not.toContain('timeoutMs');
    expect(validate({ timeoutMs: 3000 })).toBe(false);
    expect(validate({ retries: 2, started: 'anything' })).toBe(true);
  });

  it('uses the zod the loader module resolves when the schema has no toJSONSchema method (zod 4.0, 4.1)', async () => {
    const { validate: fallback } = await compile(['schema', '--loader', join(FIXTURES, 'loader-old-zod.ts')]);
    expect(fallback({ db: { port: 1 } })).toBe(true);
    expect(fallback({ db: { hots: 'x' } })).toBe(false);
  });

  it('writes the schema into --out FILE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strataconf-schema-'));
    try {
      const result = await cli(['schema', '--loader', LOADER, '--out', join(dir, 'layer.schema.json')], {
        cwd: FIXTURES,
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      const written = JSON.parse(await readFile(join(dir, 'layer.schema.json'), 'utf8'));
      expect(new Ajv2020({ strictTypes: false }).compile(written)({ db: { port: 'x' } })).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('explains itself with --help, without the source flags it does not take', async () => {
    const result = await cli(['schema', '--help'], { cwd: FIXTURES });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: strataconf schema --loader MODULE \[--out FILE\]/);
    expect(result.stdout).not.toContain('--file');
  });

  it.each([
    [['schema'], 'schema needs --loader MODULE'],
    [['schema', '--loader', 'loader.ts', 'extra'], 'no positional arguments'],
    [['schema', '--loader', 'loader.ts', '--file', 'base.json5'], 'unknown option'],
    [['schema', '--loader', '../cli/loader-env.mjs'], 'the definition has no schema'],
  ])('is a usage error: %j', async (argv, message) => {
    const result = await cli(argv, { cwd: FIXTURES });
    expect(result.code).toBe(2);
    expect(result.stderr.toLowerCase()).toContain(message.toLowerCase());
  });
});

describe('strataconf schema on what JSON Schema cannot fully say', () => {
  it('answers for recursion, shared ids, dates, bigints, maps and transforms, naming what it leaves unchecked', async () => {
    const { validate: odd, stderr: warnings } = await compile([
      'schema',
      '--loader',
      join(FIXTURES, 'loader-odd.ts'),
    ]);
    for (const path of ['since', 'big', 'index', 'raw']) {
      expect(warnings).toContain(`warning: ${path} is not checked by the JSON Schema`);
    }
    expect(warnings).toContain(
      'warning: count is not checked by the JSON Schema (only the input of .pipe() is checked)',
    );
    expect(
      odd({ tree: { name: 'a', children: [{ name: 'b', children: [] }] }, primary: { host: 'h' } }),
    ).toBe(true);
    expect(odd({ tree: { children: [{ name: 1, children: [] }] } })).toBe(false);
    expect(odd({ replica: { $default: { host: 'h' } }, primary: { hots: 'h' } })).toBe(false);
    expect(odd({ both: { a: 1, b: 'x' }, count: '2' })).toBe(true);
    expect(odd({ both: { a: 'x' } })).toBe(false);
  });
});
