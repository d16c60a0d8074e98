import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, fromObject, loadConfig, resetConfigCache } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { cli } from '../cli/run-cli.js';
import { expectNoSecrets, surfaces } from './leaks.js';

/**
 * The schema is the last step a value passes, and zod's messages, a refine or a transform that
 * throws, are the last place a value could slip out: every failure is a VALIDATION_ERROR, and no
 * planted secret is in any of its surfaces, for hand-picked and for generated values.
 */

const SECRET = 'hunter2-PLANTED-zz9';
const CWD = fileURLToPath(new URL('../../fixtures/hardening/schema/', import.meta.url));

afterEach(() => resetConfigCache());

/** Schemas for one key `a`: zod's own checks, and user code that throws instead of adding an issue. */
const SCHEMAS: [string, z.ZodType][] = [
  ['a number', z.number()],
  ['a long string', z.string().min(64)],
  ['a literal', z.literal('prod')],
  ['an enum', z.enum(['eu', 'us'])],
  ['a pattern', z.string().regex(/^\d+$/)],
  ['an email', z.email()],
  ['a URL', z.url()],
  ['a UUID', z.uuid()],
  ['an IPv4 address', z.ipv4()],
  ['a string boolean', z.stringbool()],
  ['a coerced bigint', z.coerce.bigint()],
  ['a record of numbers', z.record(z.string(), z.number())],
  ['a union', z.union([z.number(), z.boolean()])],
  ['a discriminated union', z.discriminatedUnion('kind', [z.object({ kind: z.literal('x') })])],
  ['a tuple', z.tuple([z.number()])],
  ['a refine', z.string().refine((s) => s.length > 100, 'too short')],
  ['a transform with JSON.parse', z.string().transform((s) => JSON.parse(s) as unknown)],
  ['a transform with BigInt', z.string().transform((s) => BigInt(s))],
  ['a transform with new URL', z.string().transform((s) => new URL(s))],
  [
    'a refine that throws with the value',
    z.string().refine((s) => {
      throw new Error(`cannot check ${s}`);
    }),
  ],
  [
    'an async refine that throws with the value',
    z.string().refine(async (s) => {
      throw new TypeError(`cannot check ${s}`);
    }),
  ],
];

describe('a schema that rejects a secret value', () => {
  it.each(SCHEMAS)('%s: VALIDATION_ERROR without the value', async (_what, schema) => {
    const outcome = await loadConfig({
      schema: z.object({ a: schema }),
      sources: [fromObject({ a: SECRET }, { name: 'layer' })],
    }).catch((err: unknown) => err);
    expect(outcome).toBeInstanceOf(ConfigError);
    expect((outcome as ConfigError).code).toBe('VALIDATION_ERROR');
    expectNoSecrets(surfaces(outcome), [SECRET]);
  });

  it('keeps the stack of a transform that threw, for the person fixing it', async () => {
    const err = (await loadConfig({
      schema: z.object({ a: z.string().transform((s) => JSON.parse(s) as unknown) }),
      sources: [fromObject({ a: SECRET })],
    }).catch((e: unknown) => e)) as ConfigError;
    expect(err.message).toMatch(/^the schema threw a SyntaxError while parsing the config/);
    expect(err.details).toEqual({ issues: [], thrown: 'SyntaxError' });
    expect((err.cause as Error).stack).toMatch(/\n\s+at .*schema-faults\.test\.ts/);
  });

  it('the CLI reports it with exit 1 and no value on stderr', async () => {
    const result = await cli(['validate', '--loader', 'throwing-transform.mjs'], { cwd: CWD });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^strataconf: VALIDATION_ERROR: the schema threw a SyntaxError/);
    expectNoSecrets(`${result.stdout}\n${result.stderr}`, ['hunter2-PLANTED-cli']);
  });
});

describe('generated values under every schema', () => {
  const planted = fc
    .tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }))
    .map(([before, after]) => `${before}${SECRET}${after}`);
  const value = fc.oneof(
    planted,
    fc.array(planted, { maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), planted, { maxKeys: 3 }),
    fc.record({ kind: planted }),
  );
  // Values some of the schemas accept, so the loads that pass are checked too.
  const valid = fc.constantFrom(
    7,
    'eu',
    'prod',
    '42',
    'true',
    [1],
    { kind: 'x' },
    'a@b.co',
    'https://x.test/',
  );

  it('fail only with a VALIDATION_ERROR that holds no planted string, and pass only as the schema does', async () => {
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SCHEMAS), fc.oneof(value, valid), async ([, schema], a) => {
        resetConfigCache();
        // Generated objects carry keys no schema declares: their UNKNOWN_KEY warnings name keys, never values.
        const logger = captureWarnings();
        const outcome = await loadConfig({
          schema: z.object({ a: schema }),
          sources: [fromObject({ a })],
          logger,
        }).catch((err: unknown) => err);
        expectNoSecrets(logger.warnings.map((w) => w.message).join('\n'), [SECRET]);
        // What the schema alone says of the value: the load must agree with it either way.
        const alone = await z
          .object({ a: schema })
          .safeParseAsync({ a })
          .catch(() => ({ success: false as const, data: undefined }));
        if (outcome instanceof Error) {
          expect(outcome).toMatchObject({ code: 'VALIDATION_ERROR' });
          expectNoSecrets(surfaces(outcome), [SECRET]);
          expect(alone.success).toBe(false);
        } else {
          expect(alone.success).toBe(true);
          expect(outcome).toEqual(alone.data);
          passed++;
        }
      }),
      { numRuns: 300 },
    );
    expect(passed).toBeGreaterThan(0);
  });
});
