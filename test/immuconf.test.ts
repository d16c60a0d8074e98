import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromFile, getIn, loadConfig, resetConfigCache } from '../src/index.js';
import { captureWarnings } from '../src/testing.js';
import { configError, fixture, tempDir } from './helpers.js';

// immuconf's own nine test cases, on the same layers: a = {a:{b:{c:1}}}, a2 = c:2, b = d:2,
// d = c as $default 42, o = c as $override "Override me!".
const layer = (name: string) => fromFile(fixture('immuconf', name), { name });
const load = (...names: string[]) => {
  const logger = captureWarnings();
  return { logger, config: loadConfig({ sources: names.map(layer), logger }) };
};

afterEach(() => resetConfigCache());

/** A home directory for the `~/` case. */
const HOME = tempDir('home');

describe('immuconf compatibility', () => {
  it('merges layers key by key', async () => {
    expect(await load('a.json5', 'b.json5').config).toEqual({ a: { b: { c: 1, d: 2 } } });
  });

  it('lets a later layer override an earlier one', async () => {
    expect(await load('a.json5', 'a2.json').config).toEqual({ a: { b: { c: 2 } } });
  });

  it('warns on an unexpected override, naming a.b.c and both layers', async () => {
    const { logger, config } = load('a.json5', 'a2.json');
    await config;
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.message).toBe('a.b.c from a.json5 was overridden by a2.json');
    expect(logger.warnings[0]?.details).toMatchObject({ code: 'UNEXPECTED_OVERRIDE', path: ['a', 'b', 'c'] });
  });

  it('fails when an $override is not satisfied', async () => {
    const err = await configError(load('o.json5').config);
    expect(err.code).toBe('OVERRIDE_MISSING');
    expect(err.message).toContain('a.b.c: Override me!');
  });

  it('accepts an $override satisfied by a later layer, silently', async () => {
    const { logger, config } = load('o.json5', 'a.json5');
    expect(await config).toEqual({ a: { b: { c: 1 } } });
    expect(logger.warnings).toEqual([]);
  });

  it('uses a $default when nothing replaces it', async () => {
    expect(await load('d.json5').config).toEqual({ a: { b: { c: 42 } } });
  });

  it('does not warn when a default is overridden', async () => {
    const { logger, config } = load('d.json5', 'a.json5');
    expect(await config).toEqual({ a: { b: { c: 1 } } });
    expect(logger.warnings).toEqual([]);
  });

  it('gets a nested value by keys', async () => {
    expect(getIn(await load('a.json5', 'b.json5').config, 'a', 'b', 'd')).toBe(2);
  });

  it('throws MISSING_KEY for a missing key instead of returning undefined', async () => {
    const config = await load('a.json5').config;
    const err = await configError(() => getIn(config, 'a', 'x', 'c'));
    expect(err.code).toBe('MISSING_KEY');
    expect(err.details.path).toEqual(['a', 'x']);
  });

  it('reads a path that starts with the home directory', async () => {
    const home = HOME;
    copyFileSync(fixture('immuconf', 'a.json5'), join(home, 'a.json5'));
    vi.stubEnv('HOME', home);
    const config = await loadConfig({ sources: [fromFile('~/a.json5')] });
    expect(config).toEqual({ a: { b: { c: 1 } } });
  });
});
