import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_HOOKS, TRACE_PRELUDE } from './module-trace.js';

/**
 * The remote stores' engines (the light transport, the retry policy, each store's requests) load
 * with the first remote layer, not with strataconf: a function whose layers are all local reads two
 * files of strataconf (the entry and one shared chunk) and never the engines. Checked on the package
 * as tsup builds it, installed in a temp folder outside this repo, in a child process that records
 * every module it loads (module hooks for ESM, require.cache for CJS).
 */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const config = await import(join(repo, 'tsup.config.ts')).catch(() => undefined);
const run = promisify(execFile);
let root: string;
let dist: string;

// Loads a local stack, notes the modules, then an SSM layer from the local stand-in store.
const SCRIPT = `${TRACE_PRELUDE}const mod = FORMAT === 'esm' ? await import('strataconf') : require('strataconf');
const out = {};
out.local = await mod.loadConfig({ sources: [mod.fromFile('app.json'), mod.fromEnv({ prefix: 'APP_', env: { APP_DB__PORT: '5432' } })] });
out.afterLocal = loaded();
const testing = FORMAT === 'esm' ? await import('strataconf/testing') : require('strataconf/testing');
const aws = await testing.startLocalAws({ ssm: { '/orders/prod/db/host': 'db.internal' } });
Object.assign(process.env, aws.env);
const ssm = mod.fromSsm('/orders/prod/');
out.afterBuild = loaded();
out.remote = await mod.loadConfig({ sources: [mod.fromFile('app.json'), ssm] });
out.afterRemote = loaded();
await aws.close();
console.log(JSON.stringify(out));
`;

interface Trace {
  local: unknown;
  remote: unknown;
  afterLocal: string[];
  afterBuild: string[];
  afterRemote: string[];
}

async function child(format: 'esm' | 'cjs'): Promise<Trace> {
  const body = `const FORMAT = '${format}';\n${SCRIPT}`;
  const script =
    format === 'esm'
      ? `import { createRequire } from 'node:module';\nconst require = createRequire(${JSON.stringify(`${join(root, 'x.js')}`)});\n${body}`
      : `(async () => {\n${body}\n})();`;
  const args = format === 'esm' ? ['--input-type=module', '-e', script] : ['-e', script];
  const trace = join(root, `trace-${format}.txt`);
  writeFileSync(trace, '');
  const { stdout } = await run(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOOKS: TRACE_HOOKS, TRACE: trace },
  });
  return JSON.parse(stdout) as Trace;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'strataconf-lazy-engines-'));
  dist = join(root, 'node_modules', 'strataconf', 'dist');
  // The library's build from tsup.config.ts (its first configuration: index and testing), into the temp folder.
  const library = (config?.default as Array<Record<string, unknown>> | undefined)?.[0];
  if (library === undefined) throw new Error('tsup.config.ts: no library build');
  const entry = Object.fromEntries(
    Object.entries(library.entry as Record<string, string>).map(([k, v]) => [k, join(repo, v)]),
  );
  await build({ ...library, entry, outDir: dist, dts: false, silent: true, config: false });
  cpSync(join(repo, 'package.json'), join(root, 'node_modules', 'strataconf', 'package.json'));
  symlinkSync(join(repo, 'node_modules', 'json5'), join(root, 'node_modules', 'json5'));
  writeFileSync(join(root, 'app.json'), '{ "db": { "host": "localhost", "port": 1 } }');
}, 60_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const ofStrataconf = (modules: string[]) => modules.filter((m) => m.startsWith('strataconf/dist/'));
const engines = (modules: string[]) => modules.filter((m) => /\/engines-[\w-]+\.c?js$/.test(m));

describe.each(['esm', 'cjs'] as const)('the %s build', (format) => {
  const ext = format === 'esm' ? '.js' : '.cjs';

  it('has an entry that imports one shared chunk, and the engines in a chunk of their own', () => {
    const index = readFileSync(join(dist, `index${ext}`), 'utf8');
    const chunks = [...index.matchAll(/["']\.\/(chunk-[\w-]+\.c?js)["']/g)].map((m) => m[1]);
    expect(new Set(chunks).size).toBe(1);
    const shared = readFileSync(join(dist, chunks[0] as string), 'utf8');
    // The shared chunk imports no other chunk: a cold import reads two files.
    expect(shared).not.toMatch(/(?:from|require\()\s*["']\.\/chunk-/);
    expect(readdirSync(dist).filter((f) => f.startsWith('engines-') && f.endsWith(ext))).toHaveLength(1);
  });

  it('loads no engine for local layers, and the engines with the first remote load', async () => {
    const out = await child(format);
    expect(out.local).toEqual({ db: { host: 'localhost', port: 5432 } });
    expect(ofStrataconf(out.afterLocal)).toHaveLength(2);
    expect(engines(out.afterLocal)).toEqual([]);
    // Building a remote layer checks its options and loads nothing more.
    expect(engines(out.afterBuild)).toEqual([]);
    expect(out.remote).toEqual({ db: { host: 'db.internal', port: 1 } });
    expect(engines(out.afterRemote)).toHaveLength(1);
  });
});
