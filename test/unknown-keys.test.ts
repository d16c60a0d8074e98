import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ZodType, z } from 'zod';
import { fromEnv, fromFile, fromObject, fromS3, loadConfig, type Source } from '../src/index.js';
import { captureWarnings } from '../src/testing.js';
import { configError } from './helpers.js';
import { GetObjectCommand, objectOutput, S3Client, useMockedS3 } from './sources/s3-mock.js';

const s3 = useMockedS3();
const dir = mkdtempSync(join(tmpdir(), 'strataconf-unknown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file layer with `text` in it; named by its file name. */
function file(name: string, text: string): Source {
  writeFileSync(join(dir, name), text);
  return fromFile(join(dir, name), { name });
}

/** An S3 layer served by the mocked client. */
function s3Layer(text: string): Source {
  s3.on(GetObjectCommand).callsFake(objectOutput(text, '"e1"'));
  return fromS3('s3://cfg-bucket/prod.json5', { client: new S3Client({}) });
}

const app = z.object({
  db: z
    .object({ host: z.string().default('localhost'), port: z.number().default(5432) })
    .default({ host: 'localhost', port: 5432 }),
  logLevel: z.string().default('info'),
  http: z.object({ retries: z.number().default(3) }).default({ retries: 3 }),
  servers: z
    .array(z.object({ host: z.string(), tags: z.array(z.object({ name: z.string() })).optional() }))
    .default([]),
});

interface Row {
  what: string;
  schema?: ZodType;
  sources: () => Source<string>[];
  warnings: string[];
}

const rows: Row[] = [
  {
    what: 'a typo in a file, with the nearest key',
    sources: () => [file('a.json5', '{ db: { hots: "prod-db" } }')],
    warnings: ['db.hots from a.json5 is not in the schema; did you mean db.host?'],
  },
  {
    what: 'a typo in an S3 layer',
    sources: () => [s3Layer('{ db: { hots: "prod-db" } }')],
    warnings: ['db.hots from s3://cfg-bucket/prod.json5 is not in the schema; did you mean db.host?'],
  },
  {
    what: 'a typo in fromObject, in another case',
    sources: () => [fromObject({ LogLevel: 'debug' }, { name: 'defaults' })],
    warnings: ['LogLevel from defaults is not in the schema; did you mean logLevel?'],
  },
  {
    what: 'a key far from every declared one: no suggestion',
    sources: () => [fromObject({ db: { flavour: 'pg' } })],
    warnings: ['db.flavour from object is not in the schema'],
  },
  {
    what: 'a whole unknown object, reported once at its top',
    sources: () => [fromObject({ cache: { ttl: 1, size: 2 } })],
    warnings: ['cache from object is not in the schema'],
  },
  {
    what: 'a key that swallowed a level: httpRetries for http.retries',
    sources: () => [fromObject({ httpRetries: 5 })],
    warnings: ['httpRetries from object is not in the schema; did you mean http.retries?'],
  },
  {
    what: 'keys inside objects in an array, nested arrays too',
    sources: () => [
      fromObject({ servers: [{ host: 'a' }, { host: 'b', hots: 'b', tags: [{ name: 'n', nmae: 'x' }] }] }),
    ],
    warnings: [
      'servers[1].hots from object is not in the schema; did you mean servers[1].host?',
      'servers[1].tags[0].nmae from object is not in the schema; did you mean servers[1].tags[0].name?',
    ],
  },
  {
    what: 'an env variable under a prefix, named as a variable',
    sources: () => [fromEnv({ prefix: 'APP_', env: { APP_LOG_LEVL: 'debug' } })],
    warnings: ['APP_LOG_LEVL (logLevl) is not in the schema; did you mean APP_LOG_LEVEL?'],
  },
  {
    what: 'an env variable with one _ where __ separates levels',
    sources: () => [fromEnv({ prefix: 'APP_', env: { APP_HTTP_RETRIES: '5' } })],
    warnings: ['APP_HTTP_RETRIES (httpRetries) is not in the schema; did you mean APP_HTTP__RETRIES?'],
  },
  {
    what: 'an env variable with a typo below a known key',
    sources: () => [fromEnv({ prefix: 'APP_', env: { APP_DB__HOTS: 'h' } })],
    warnings: ['APP_DB__HOTS (db.hots) is not in the schema; did you mean APP_DB__HOST?'],
  },
  {
    what: 'a key inside an env variable holding JSON5',
    sources: () => [fromEnv({ prefix: 'APP_', env: { APP_DB: '{ hots: "h" }' } })],
    warnings: ['db.hots in APP_DB is not in the schema; did you mean db.host?'],
  },
  {
    what: 'an env map path the schema does not declare',
    sources: () => [fromEnv({ map: { 'db.hots': 'DB_HOST' }, env: { DB_HOST: 'h' } })],
    warnings: ['DB_HOST (db.hots) is not in the schema; did you mean db.host?'],
  },
  {
    what: 'a top-level $schema in a file or an S3 layer: ignored',
    sources: () => [file('s.json5', '{ $schema: "./config.schema.json" }'), s3Layer('{ "$schema": "x" }')],
    warnings: [],
  },
  ...(
    [
      ['z.looseObject', z.looseObject({ a: z.string().optional() })],
      ['.catchall()', z.object({ a: z.string().optional() }).catchall(z.number())],
      ['z.record', z.record(z.string(), z.number())],
      ['z.any()', z.object({ a: z.any() })],
      ['z.unknown()', z.object({ a: z.unknown() })],
      [
        'a union that declares it in one member',
        z.union([z.object({ b: z.number() }), z.object({ x: z.number() })]),
      ],
      [
        'an intersection',
        z.intersection(z.object({ b: z.number().optional() }), z.object({ x: z.number() })),
      ],
      ['z.preprocess', z.preprocess((v) => v, z.object({}))],
    ] as const
  ).map(([shape, schema]) => ({
    what: `an open shape stays silent: ${shape}`,
    schema: schema as ZodType,
    sources: () => [
      fromObject(shape.startsWith('z.any') || shape.startsWith('z.unknown') ? { a: { x: 1 } } : { x: 1 }),
    ],
    warnings: [],
  })),
];

describe('unknown keys (unknownKeys: warn, the default)', () => {
  it.each(rows)('$what', async ({ schema, sources, warnings }) => {
    const logger = captureWarnings();
    await loadConfig({ schema: schema ?? app, sources: sources(), logger });
    expect(logger.warnings.filter((w) => w.code === 'UNKNOWN_KEY').map((w) => w.message)).toEqual(warnings);
  });

  it('gives structured details: path, source, suggestion, and the variable for env', async () => {
    const logger = captureWarnings();
    await loadConfig({
      schema: app,
      logger,
      sources: [
        fromObject({ db: { hots: 'x' } }, { name: 'o' }),
        fromEnv({ prefix: 'APP_', env: { APP_LOG_LEVL: 'd' } }),
      ],
    });
    expect(logger.warnings.map((w) => w.details)).toEqual([
      { code: 'UNKNOWN_KEY', path: ['db', 'hots'], source: 'o', suggestion: ['db', 'host'] },
      {
        code: 'UNKNOWN_KEY',
        path: ['logLevl'],
        source: 'env:APP_',
        suggestion: ['logLevel'],
        variable: 'APP_LOG_LEVL',
      },
    ]);
  });

  it('never stops a load, and names every layer that set the key', async () => {
    const logger = captureWarnings();
    const config = await loadConfig({
      schema: app,
      logger,
      overrides: 'ignore',
      sources: [
        fromObject({ db: { hots: 'a' } }, { name: 'one' }),
        fromObject({ db: { hots: 'b' } }, { name: 'two' }),
      ],
    });
    expect(config.db.host).toBe('localhost');
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'db.hots from one is not in the schema; did you mean db.host?',
      'db.hots from two is not in the schema; did you mean db.host?',
    ]);
  });

  it('never merges a top-level $schema, with or without a schema', async () => {
    const config = await loadConfig({ sources: [file('editor.json', '{ "$schema": "./s.json", "a": 1 }')] });
    expect(config).toEqual({ a: 1 });
  });

  it('checks nothing without a schema, or with unknownKeys: ignore', async () => {
    const logger = captureWarnings();
    await loadConfig({ sources: [fromObject({ db: { hots: 'a' } })], logger });
    await loadConfig({
      schema: app,
      unknownKeys: 'ignore',
      sources: [fromObject({ db: { hots: 'a' } })],
      logger,
    });
    expect(logger.warnings).toEqual([]);
  });
});

describe("unknownKeys: 'error'", () => {
  it('fails with UNKNOWN_KEY listing every unknown key', async () => {
    const err = await configError(
      loadConfig({
        schema: app,
        unknownKeys: 'error',
        sources: [
          fromObject({ db: { hots: 'a' }, cache: 1 }),
          fromEnv({ prefix: 'APP_', env: { APP_LOG_LEVL: 'd' } }),
        ],
      }),
    );
    expect(err.code).toBe('UNKNOWN_KEY');
    expect(err.message).toBe(
      [
        '3 keys are not in the schema:',
        '  - db.hots from object is not in the schema; did you mean db.host?',
        '  - cache from object is not in the schema',
        '  - APP_LOG_LEVL (logLevl) is not in the schema; did you mean APP_LOG_LEVEL?',
      ].join('\n'),
    );
    expect((err.details.unknownKeys as { path: string[] }[]).map((k) => k.path)).toEqual([
      ['db', 'hots'],
      ['cache'],
      ['logLevl'],
    ]);
  });

  it('is a USAGE error when the policy is none of warn, error, ignore', async () => {
    const err = await configError(() =>
      loadConfig({ schema: app, unknownKeys: 'strict' as 'error', sources: [fromObject({})] }),
    );
    expect(err.code).toBe('USAGE');
  });
});
