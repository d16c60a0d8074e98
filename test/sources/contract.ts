import { afterEach, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { loadConfig, resetConfigCache, type Source } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';

/** A source kind under test: how to build it so that it yields `{ app: { name: 'contract', port: 8080 } }`. */
export interface ContractCase {
  kind: string;
  make(): Source;
  /** A schema the layer needs to type its values (env values are strings without one). */
  schema?: ZodType;
  /** Build the same source again (as a handler rebuilding its options does). */
  remake?: () => Source;
}

const ctx = () => ({ signal: new AbortController().signal, logger: captureWarnings() });

/** Behaviour every source kind shares; each source's test file runs it. */
export function sourceContract(c: ContractCase): void {
  describe(`${c.kind} (source contract)`, () => {
    afterEach(() => resetConfigCache());

    it('is a plain object with a name and a load function', () => {
      const source = c.make();
      expect(typeof source.name).toBe('string');
      expect(source.name.length).toBeGreaterThan(0);
      expect(typeof source.load).toBe('function');
    });

    it('loads its layer into the config', async () => {
      const config = await loadConfig({ schema: c.schema, sources: [c.make()] });
      expect(config).toEqual({ app: { name: 'contract', port: 8080 } });
    });

    it('returns the same layer object when nothing changed, so a reload can keep the config', async () => {
      const source = c.make();
      const first = await source.load(ctx());
      expect(await source.load(ctx())).toBe(first);
    });

    it('shares the cache with an equivalent source built again', async () => {
      const first = await loadConfig({ schema: c.schema, sources: [c.make()] });
      const again = await loadConfig({ schema: c.schema, sources: [(c.remake ?? c.make)()] });
      expect(again).toBe(first);
    });

    it('is overridden by a later layer and overrides an earlier one', async () => {
      const logger = captureWarnings();
      const low: Source = { name: 'low', load: async () => ({ app: { name: 'low', extra: true } }) };
      const high: Source = { name: 'high', load: async () => ({ app: { port: 1 } }) };
      const config = await loadConfig({
        schema: c.schema,
        sources: [low, c.make(), high],
        logger,
        overrides: 'ignore',
      });
      expect(config).toEqual({ app: { name: 'contract', port: 1, extra: true } });
    });
  });
}
