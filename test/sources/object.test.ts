import { afterEach, describe, expect, it } from 'vitest';
import { explainConfig, fromObject, loadConfig, resetConfigCache } from '../../src/index.js';
import { configError } from '../helpers.js';
import { sourceContract } from './contract.js';

const value = { app: { name: 'contract', port: 8080 } };
sourceContract({
  kind: 'fromObject',
  make: () => fromObject(value),
  remake: () => fromObject(structuredClone(value)),
});

afterEach(() => resetConfigCache());

describe('fromObject', () => {
  it('is named "object" unless named', async () => {
    expect(fromObject({}).name).toBe('object');
    expect(fromObject({}, { name: 'defaults' }).name).toBe('defaults');
  });

  it('is keyed by content: different content is a different config', async () => {
    const a = await loadConfig({ sources: [fromObject({ x: 1 })] });
    const b = await loadConfig({ sources: [fromObject({ x: 2 })] });
    expect(a).not.toBe(b);
    expect(b).toEqual({ x: 2 });
  });

  it('understands markers', async () => {
    const config = await loadConfig({ sources: [fromObject({ a: { $default: 1 } }, { name: 'defaults' })] });
    expect(explainConfig(config)).toEqual([{ path: ['a'], value: 1, source: 'defaults', overridden: [] }]);
  });

  it('refuses something that is not an object, at once', async () => {
    const err = await configError(() => fromObject([1, 2] as unknown as object));
    expect(err.code).toBe('USAGE');
  });

  it('fails with UNSAFE_KEY for a __proto__ literal, leaving Object.prototype untouched', async () => {
    const hostile = JSON.parse('{"a":{"__proto__":{"polluted":true}}}');
    const err = await configError(loadConfig({ sources: [fromObject(hostile)] }));
    expect(err.code).toBe('UNSAFE_KEY');
    expect(err.details.path).toEqual(['a', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('fails with UNSAFE_KEY for an object whose prototype was set by a literal', async () => {
    const hostile = { a: { __proto__: { polluted: true } } };
    const err = await configError(loadConfig({ sources: [fromObject(hostile)] }));
    expect(err.code).toBe('UNSAFE_KEY');
  });
});
