import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeScriptSibling } from '../../src/cli/typescript.js';
import { run } from '../consumers/harness.js';

// A `.ts` --loader as plain `node` imports it (no tsx, no vitest transform): the CLI bundled into one
// file and run by the Node running the tests. CI runs this on Node 20 (no type stripping) and on
// Node 22 and 24 (type stripping by default), so each branch below runs on one of them.

const FIXTURES = fileURLToPath(new URL('../../fixtures/cli/typescript/', import.meta.url));
const strips = Boolean((process.features as { typescript?: unknown }).typescript);
let dir = '';
let cliFile = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strataconf-ts-loader-'));
  cliFile = join(dir, 'cli.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: cliFile,
    external: ['@aws-sdk/*'],
    // CommonJS dependencies bundled into ESM still call require() for Node's built-in modules.
    banner: {
      js: "import { createRequire as bannerRequire } from 'node:module'; const require = bannerRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const strataconf = (args: string[]) => run(process.execPath, [cliFile, ...args], { cwd: FIXTURES });

describe(`a .ts --loader on Node ${process.version} (${strips ? 'strips types' : 'no type stripping'})`, () => {
  it.runIf(strips)(
    'imports it as it is, its ./layers.js import finding layers.ts as tsc NodeNext means',
    async () => {
      const result = await strataconf(['print', '--loader', 'loader.ts']);
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({
        service: 'orders',
        db: { host: 'db.internal', port: 5432 },
      });
      expect(result.code).toBe(0);
    },
  );

  it.runIf(strips)('names the fix for TypeScript-only syntax', async () => {
    const result = await strataconf(['print', '--loader', 'enum.ts']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--loader enum.ts: Node');
    expect(result.stderr).toContain('enum');
    expect(result.stderr).toContain('"erasableSyntaxOnly": true');
    expect(result.stderr).toContain("NODE_OPTIONS='--import tsx'");
  });

  it.runIf(strips)('still fails on an import that is neither .js nor .ts, naming the .js', async () => {
    const result = await strataconf(['print', '--loader', 'missing.ts']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--loader missing.ts failed to import');
    expect(result.stderr).toContain('nothing.js');
  });

  it.skipIf(strips)('says which Node or loader imports TypeScript', async () => {
    const result = await strataconf(['print', '--loader', 'loader.ts']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot import TypeScript by itself');
    expect(result.stderr).toContain('(22.18+, 23.6+)');
  });
});

describe('typeScriptSibling', () => {
  const parent = 'file:///app/strataconf.config.ts';
  it('maps .js, .mjs and .cjs to .ts, .mts and .cts for relative imports from TypeScript', () => {
    expect(typeScriptSibling('./schema.js', parent)).toBe('./schema.ts');
    expect(typeScriptSibling('../lib/a.mjs', parent)).toBe('../lib/a.mts');
    expect(typeScriptSibling('./b.cjs', 'file:///app/c.mts')).toBe('./b.cts');
  });
  it('leaves packages, JavaScript parents, node_modules and other extensions alone', () => {
    expect(typeScriptSibling('zod', parent)).toBeUndefined();
    expect(typeScriptSibling('./schema.js', 'file:///app/config.mjs')).toBeUndefined();
    expect(typeScriptSibling('./a.js', 'file:///app/node_modules/x/index.ts')).toBeUndefined();
    expect(typeScriptSibling('./data.json', parent)).toBeUndefined();
    expect(typeScriptSibling('./schema.js', undefined)).toBeUndefined();
  });
});
