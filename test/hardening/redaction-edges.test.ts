import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createRedactor, SHOW_ALL } from '../../src/cli/redact.js';
import { loadConfig, redact, resetConfigCache, type Source } from '../../src/index.js';
import { markSecret } from '../../src/layer-meta.js';

/**
 * Redaction at its edges: what a source marks (several paths, an array above a marked item), a
 * schema's records, the whole config secret, values a schema transform returns (frozen, cyclic),
 * and the CLI's redactor (paths with `*`, numbers and arrays scrubbed from messages,
 * the longest secret first).
 */

afterEach(() => resetConfigCache());

const marked = (layer: Record<string, unknown>, paths: string[][]): Source => ({
  name: 'marked',
  load: async () => {
    markSecret(layer, paths);
    return layer;
  },
});

describe('what a source marks secret', () => {
  it('covers each marked path, an array above a marked item, and nothing else', async () => {
    const config = await loadConfig({
      sources: [
        marked({ db: { pin: '1234', host: 'h' }, list: ['a', 'b'], other: 1 }, [
          ['db', 'pin'],
          ['list', '0'],
        ]),
      ],
    });
    expect(redact(config)).toEqual({ db: { pin: '[redacted]', host: 'h' }, list: '[redacted]', other: 1 });
    expect(config).toMatchObject({ db: { pin: '1234' }, list: ['a', 'b'] });
  });
});

describe("a schema's secrets", () => {
  it("redacts every value of a record whose values are secret, whatever the keys' names", async () => {
    const schema = z.object({
      pins: z.record(z.string(), z.string().meta({ secret: true })),
      name: z.string(),
    });
    const config = await loadConfig({
      schema,
      sources: [{ name: 's', load: async () => ({ pins: { alice: '1111', bob: '2222' }, name: 'n' }) }],
    });
    expect(redact(config)).toEqual({ pins: { alice: '[redacted]', bob: '[redacted]' }, name: 'n' });
    expect(inspect(config)).not.toContain('1111');
  });

  it('redacts the whole config when the schema marks its root secret', async () => {
    const schema = z.object({ a: z.string(), b: z.object({ c: z.number() }) }).meta({ secret: true });
    const config = await loadConfig({
      schema,
      sources: [{ name: 's', load: async () => ({ a: 'x', b: { c: 7 } }) }],
    });
    expect(redact(config)).toEqual({ a: '[redacted]', b: '[redacted]' });
    expect(redact(config.b)).toEqual({ c: '[redacted]' });
  });
});

describe('values a schema transform returns', () => {
  const source: Source = { name: 's', load: async () => ({ v: 1 }) };

  it('leaves a frozen object as it is, and loads', async () => {
    const schema = z.object({ v: z.number() }).transform(() => Object.freeze({ password: 'frozen-pw' }));
    const config = await loadConfig({ schema, sources: [source] });
    expect(config.password).toBe('frozen-pw');
    expect(redact(config)).toEqual({ password: '[redacted]' });
  });

  it('marks a cyclic object under a secret key once, and loads', async () => {
    const schema = z.object({ v: z.number() }).transform(() => {
      const creds: Record<string, unknown> = { user: 'u' };
      creds.self = creds;
      return { password: creds, plain: 1 };
    });
    const config = await loadConfig({ schema, sources: [source] });
    expect(redact(config)).toEqual({ password: '[redacted]', plain: 1 });
  });

  it('shows a Date inside a secret object as the date it is, when inspected by itself', async () => {
    const when = new Date(0);
    const schema = z.object({ v: z.number() }).transform(() => ({ secret: { when } }));
    const config = await loadConfig({ schema, sources: [source] });
    expect(inspect(config)).not.toContain('1970');
    expect(inspect(config.secret.when)).toBe(inspect(when));
  });

  it('keeps the mark under the registered symbol, which another copy of strataconf reads', async () => {
    const config = await loadConfig({
      sources: [{ name: 's', load: async () => ({ db: { password: 'p' } }) }],
    });
    expect((config.db as Record<symbol, unknown>)[Symbol.for('strataconf.secrets')]).toEqual(['password']);
  });
});

describe("the CLI's redactor", () => {
  it('redacts paths with * inside arrays of objects, and copies arrays exactly', () => {
    const r = createRedactor([], [], [['list', '*', 'pin']]);
    expect(
      r.redact({
        list: [
          { pin: 1234, id: 1 },
          { pin: 5678, id: 2 },
        ],
        n: [1, 2],
      }),
    ).toEqual({
      list: [
        { pin: '[redacted]', id: 1 },
        { pin: '[redacted]', id: 2 },
      ],
      n: [1, 2],
    });
    expect(r.isSecret(['list'])).toBe(false);
    expect(r.isSecret(['list', '3', 'pin', 'deeper'])).toBe(true);
  });

  it('scrubs secret numbers, bigints, array items and objects from messages, the longest first', () => {
    const config = {
      password: 123456,
      apiKey: 12345678901234567890n,
      tokens: ['tok-aaaa', 'tok-bbbb'],
      credentials: { user: 'cred-user' },
      list: [{ secret: 'in-a-list' }],
      pin: 'abc',
      secretWord: 'abcd',
      secretLonger: 'abcd-longer',
    };
    const r = createRedactor([undefined], [config]);
    expect(
      r.scrub('123456 12345678901234567890 tok-aaaa tok-bbbb cred-user in-a-list abc abcd-longer abcd'),
    ).toBe('[redacted] [redacted] [redacted] [redacted] [redacted] [redacted] abc [redacted] [redacted]');
  });

  it('scrubs an array item secret only by its path, and copies an empty array as empty', async () => {
    const r = createRedactor([], [{ pins: ['9876'] }], [['pins', '*']]);
    expect(r.scrub('pin 9876')).toBe('pin [redacted]');
    const config = await loadConfig({
      sources: [{ name: 's', load: async () => ({ list: [], password: 'x' }) }],
    });
    expect(redact(config)).toEqual({ list: [], password: '[redacted]' });
  });

  it('says no path through a null or a number is secret, and lets SHOW_ALL change nothing', () => {
    const r = createRedactor([], [{ a: null, n: 5 }]);
    expect([r.isSecret(['a', 'b']), r.isSecret(['n', 'x'])]).toEqual([false, false]);
    const value = { password: 'p' };
    expect([SHOW_ALL.isSecret(['password']), SHOW_ALL.redact(value), SHOW_ALL.scrub('p-word')]).toEqual([
      false,
      value,
      'p-word',
    ]);
  });
});
