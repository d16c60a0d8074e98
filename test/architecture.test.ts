import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * How src/ is laid out, held to: no import circle (type-only imports included), and no upward
 * import. The layers, lowest first: the core (src/*.ts, src/formats/) and the light AWS transport
 * (src/aws/, which may use the core's process state); the local sources (src/sources/*.ts); the
 * remote policy (src/sources/remote/); one folder per store (src/sources/<store>/, which never
 * imports another store) and the local stand-in stores (src/local-aws/); the CLI (src/cli/); and the
 * entry points (src/index.ts, src/testing.ts, src/testing/), which may import anything but the CLI.
 */

const root = resolve(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Each module's static imports (`import`/`export ... from`, `import type` included), as paths under src/. */
const graph = new Map(
  files(root).map((file) => {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gm)].map((m) =>
      relative(root, resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts'))),
    );
    return [relative(root, file), deps] as const;
  }),
);

/** The same, without `import type`/`export type` (erased from the build: they load nothing). */
const valueGraph = new Map(
  files(root).map((file) => {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(/^\s*(import|export)\s(?!type\s)[^;]*?\sfrom\s+'(\.[^']+)'/gm)].map((m) =>
      relative(root, resolve(dirname(file), (m[2] ?? '').replace(/\.js$/, '.ts'))),
    );
    return [relative(root, file), deps] as const;
  }),
);

const STORES = ['s3', 'ssm', 'secrets-manager', 'appconfig'];

/** The layer of a module, and for a store its name. */
function layer(path: string): { rank: number; store?: string } {
  const parts = path.split('/');
  // engines.ts is an entry of its own: the remote stores' engines, imported at a remote layer's first load.
  if (path === 'index.ts' || path === 'testing.ts' || path === 'engines.ts' || parts[0] === 'testing')
    return { rank: 5 };
  // The local stand-in stores: a component beside the stores, used by strataconf/testing and the CLI.
  if (parts[0] === 'local-aws') return { rank: 3, store: 'local-aws' };
  if (parts[0] === 'cli') return { rank: 4 };
  if (parts[0] === 'sources' && parts[1] !== undefined && STORES.includes(parts[1]))
    return { rank: 3, store: parts[1] };
  if (parts[0] === 'sources' && parts[1] === 'remote') return { rank: 2 };
  if (parts[0] === 'sources') return { rank: 1 };
  return { rank: 0 };
}

describe('src/ layout', () => {
  it('has modules to check (the scan found the source tree)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('sources/s3/engine.ts')).toContain('sources/remote/source.ts');
  });

  it('has no import circle, type-only imports included', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (node: string, stack: string[]) => {
      state.set(node, 'open');
      for (const dep of graph.get(node) ?? []) {
        if (state.get(dep) === 'open')
          cycles.push([...stack.slice(stack.indexOf(dep)), node, dep].join(' -> '));
        else if (!state.has(dep)) visit(dep, [...stack, node]);
      }
      state.set(node, 'done');
    };
    for (const node of graph.keys()) if (!state.has(node)) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('has no upward import, and no store imports another store', () => {
    const wrong: string[] = [];
    for (const [from, deps] of graph) {
      const a = layer(from);
      for (const dep of deps) {
        const b = layer(dep);
        const upward = b.rank > a.rank;
        const entryUsesCli = a.rank === 5 && b.rank === 4;
        const otherStore = a.store !== undefined && b.store !== undefined && a.store !== b.store;
        // The transport sits beside the core: it may use the core's process state, never a source.
        const transportUp = from.startsWith('aws/') && b.rank > 0;
        const coreOnTransport = a.rank === 0 && !from.startsWith('aws/') && dep.startsWith('aws/');
        if (upward || entryUsesCli || otherStore || transportUp || coreOnTransport)
          wrong.push(`${from} -> ${dep}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("keeps each store's wire types in wire.ts: its sdk and light paths import nothing else of the store", () => {
    for (const store of STORES) {
      for (const path of ['sdk.ts', 'light.ts']) {
        const deps = graph.get(`sources/${store}/${path}`) ?? [];
        const ownStore = deps.filter((d) => d.startsWith(`sources/${store}/`));
        expect(ownStore, `sources/${store}/${path}`).toEqual([`sources/${store}/wire.ts`]);
      }
    }
  });

  it("keeps each store's engine out of its factory: a function with local layers only never loads the transport", () => {
    // What fromS3(), fromSsm()... load with them (type imports load nothing); the engine is imported at the first load.
    const reach = (start: string): Set<string> => {
      const seen = new Set<string>();
      const walk = (node: string) => {
        if (seen.has(node)) return;
        seen.add(node);
        for (const dep of valueGraph.get(node) ?? []) walk(dep);
      };
      walk(start);
      return seen;
    };
    const allowed = new Set(['sources/remote/lazy.ts', 'sources/remote/options.ts']);
    for (const store of STORES) {
      const heavy = [...reach(`sources/${store}/source.ts`)].filter(
        (m) =>
          m.startsWith('aws/') ||
          (m.startsWith('sources/remote/') && !allowed.has(m)) ||
          /^sources\/[^/]+\/(engine|layer|light|sdk|agent|api|content|errors)\.ts$/.test(m),
      );
      expect(heavy, `sources/${store}/source.ts`).toEqual([]);
    }
  });
});
