import { describe, expect, it } from 'vitest';
import { fromAppConfig, fromSecret, fromSsm } from '../../../src/index.js';

/**
 * The options every AWS store layer shares (src/sources/remote/options.ts), checked when the factory
 * is called: a JavaScript caller's wrong value is a `USAGE` error naming the factory and the option,
 * never a TypeError from inside a load, nor a layer built on a value it cannot use.
 */

const factories = [
  ['fromSsm', (opts: unknown) => fromSsm('/app/', opts as never)],
  ['fromSecret', (opts: unknown) => fromSecret('app/db', opts as never)],
  ['fromAppConfig', (opts: unknown) => fromAppConfig('orders/prod/flags', opts as never)],
] as const;

/** The `USAGE` error `factory` throws, with `message`. */
const usage = (message: string) => expect.objectContaining({ name: 'ConfigError', code: 'USAGE', message });

describe.each(factories)('%s options', (factory, make) => {
  it.each([
    ['null', null],
    ['a string (a region passed where the options go)', 'eu-west-1'],
    ['a number', 3000],
  ])('refuses options that are %s', (_what, opts) => {
    expect(() => make(opts)).toThrow(usage(`${factory}: options must be an object`));
  });

  it.each([
    ['an empty name', { name: '' }, 'name'],
    ['a name that is not a string', { name: 42 }, 'name'],
    ['a region that is not a string', { region: 42 }, 'region'],
  ])('refuses %s', (_what, opts, field) => {
    expect(() => make(opts)).toThrow(usage(`${factory}: ${field} must be a non-empty string`));
  });

  it('refuses a client that is null, as any client without a send method', () => {
    const message = `${factory}: client must be an AWS SDK v3 client (an object with a send method)`;
    expect(() => make({ client: null })).toThrow(usage(message));
    expect(() => make({ client: {} })).toThrow(usage(message));
  });

  it('refuses a timeoutMs given as a string', () => {
    expect(() => make({ timeoutMs: '3000' })).toThrow(
      usage(`${factory}: timeoutMs must be a positive number`),
    );
  });

  it('takes absent options, and valid ones', () => {
    expect(make(undefined).name.length).toBeGreaterThan(0);
    expect(
      make({ name: 'n', region: 'eu-west-1', timeoutMs: 500, client: { send: async () => ({}) } }).name,
    ).toBe('n');
  });
});
