import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build as bundle } from 'esbuild';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_HOOKS, TRACE_PRELUDE } from './module-trace.js';

/**
 * The yaml package is loaded only when a YAML layer is parsed: the package built by tsup, installed
 * in a temp folder outside this repo with yaml (`with`) or without it (`without`), run in a child
 * process that records every module it loads (module hooks for `import`, `require.cache` for CJS).
 * A stack of JSON and JSON5 layers loads strataconf and json5, nothing else, even with yaml installed.
 */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
let work: string;
const roots = {} as Record<'with' | 'without', string>;

const SCRIPT = `${TRACE_PRELUDE}const mod = FORMAT === 'esm' ? await import('strataconf') : require('strataconf');
const sources = process.env.LAYERS.split(',').map((path) => mod.fromFile(path, { optional: path.startsWith('opt-') }));
const out = {};
try {
  out.config = await mod.loadConfig({ sources, overrides: 'ignore' });
} catch (err) {
  out.error = { code: err.code, message: err.message };
}
out.modules = loaded();
console.log(JSON.stringify(out));
`;

function install(kind: 'with' | 'without', dist: string): string {
  const root = join(work, kind);
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, 'strataconf'), { recursive: true });
  cpSync(join(repo, 'package.json'), join(modules, 'strataconf', 'package.json'));
  cpSync(dist, join(modules, 'strataconf', 'dist'), { recursive: true });
  symlinkSync(join(repo, 'node_modules', 'json5'), join(modules, 'json5'));
  if (kind === 'with') symlinkSync(join(repo, 'node_modules', 'yaml'), join(modules, 'yaml'));
  writeFileSync(join(root, 'app.json'), '{ "db": { "host": "from-json" } }');
  writeFileSync(join(root, 'stage.json5'), '{ db: { port: 5432 }, // JSON5 syntax: json5 loads\n}');
  writeFileSync(join(root, 'stage.yaml'), 'db:\n  port: 6432 # YAML\n');
  writeFileSync(join(root, 'opt-stage.yml'), 'db:\n  port: 7432\n');
  return root;
}

interface ChildResult {
  config?: unknown;
  error?: { code: string; message: string };
  modules: string[];
}

let traces = 0;
async function child(format: 'esm' | 'cjs', kind: 'with' | 'without', layers: string): Promise<ChildResult> {
  const cwd = roots[kind];
  const body = `const FORMAT = '${format}';\n${SCRIPT}`;
  const script =
    format === 'esm'
      ? `import { createRequire } from 'node:module';\nconst require = createRequire(${JSON.stringify(pathToFileURL(join(cwd, 'x.js')).href)});\n${body}`
      : `(async () => {\n${body}\n})();`;
  const args = format === 'esm' ? ['--input-type=module', '-e', script] : ['-e', script];
  const trace = join(work, `trace-${traces++}.txt`);
  writeFileSync(trace, '');
  const { stdout } = await run(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOOKS: TRACE_HOOKS, TRACE: trace, LAYERS: layers },
    timeout: 15_000,
  });
  return JSON.parse(stdout) as ChildResult;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strataconf-yaml-lazy-'));
  const dist = join(work, 'dist');
  await build({
    entry: { index: join(repo, 'src/index.ts'), testing: join(repo, 'src/testing.ts') },
    outDir: dist,
    format: ['esm', 'cjs'],
    splitting: true,
    external: ['json5', 'zod', 'yaml', /^@aws-sdk\//],
    dts: false,
    clean: true,
    silent: true,
  });
  roots.with = install('with', dist);
  roots.without = install('without', dist);
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const strataconfModules = (format: 'esm' | 'cjs') =>
  readdirModules(join(roots.with, 'node_modules', 'strataconf', 'dist'), format);

/** The files of dist/ a format's build is made of (index and the chunks it shares with testing). */
function readdirModules(dist: string, format: 'esm' | 'cjs'): string[] {
  const ext = format === 'esm' ? '.js' : '.cjs';
  const index = readFileSync(join(dist, `index${ext}`), 'utf8');
  const chunks = [...index.matchAll(/["']\.\/(chunk-[\w-]+\.c?js)["']/g)].map((m) => m[1] as string);
  return [`index${ext}`, ...new Set(chunks)].map((f) => `strataconf/dist/${f}`);
}

describe.each(['esm', 'cjs'] as const)('the %s build', (format) => {
  it('loads a JSON and JSON5 stack with strataconf and json5 only, even with yaml installed', async () => {
    const out = await child(format, 'with', 'app.json,stage.json5');
    expect(out.config).toEqual({ db: { host: 'from-json', port: 5432 } });
    const packages = out.modules.filter((m) => !m.startsWith('strataconf/'));
    expect(packages.every((m) => m.startsWith('json5/'))).toBe(true);
    expect(out.modules.filter((m) => m.startsWith('strataconf/')).sort()).toEqual(
      strataconfModules(format).sort(),
    );
    expect(out.modules.some((m) => m.startsWith('yaml/'))).toBe(false);
  });

  it('loads the yaml package when a YAML layer is parsed', async () => {
    const out = await child(format, 'with', 'app.json,stage.yaml');
    expect(out.config).toEqual({ db: { host: 'from-json', port: 6432 } });
    expect(out.modules.some((m) => m.startsWith('yaml/'))).toBe(true);
  });

  it('without yaml, fails a YAML layer with PARSE_ERROR saying how to install it, optional or not', async () => {
    const message =
      'YAML layers need the yaml package, which is not installed: install it with `npm install yaml` (a bundled function ships it beside the bundle, in node_modules/yaml)';
    for (const layer of ['stage.yaml', 'opt-stage.yml']) {
      const out = await child(format, 'without', `app.json,${layer}`);
      expect(out.error).toEqual({ code: 'PARSE_ERROR', message: `${layer}: ${message}` });
    }
  });

  it('without yaml, loads a JSON stack as before', async () => {
    const out = await child(format, 'without', 'app.json,stage.json5');
    expect(out.config).toEqual({ db: { host: 'from-json', port: 5432 } });
  });
});

describe('a handler bundled with esbuild', () => {
  const HANDLER = (layer: string) => `import { fromFile, loadConfig } from 'strataconf';
export const handler = () => loadConfig({ sources: [fromFile('app.json'), fromFile('${layer}')] });
`;

  /** Bundles a handler reading `layer` in the folder of `kind`, as the Lambda guide does; returns the bundle's text. */
  async function bundled(kind: 'with' | 'without', layer: string): Promise<string> {
    const entry = join(roots[kind], `handler-${layer}.mjs`);
    writeFileSync(entry, HANDLER(layer));
    const result = await bundle({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Minified, as the Lambda guide builds: no comments naming the folder the files came from.
      minify: true,
      external: ['@aws-sdk/*'],
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0]?.text ?? '';
  }

  it('does not grow by the YAML parser when yaml is installed beside strataconf', async () => {
    const withYaml = await bundled('with', 'stage.json5');
    const withoutYaml = await bundled('without', 'stage.json5');
    expect(withYaml.length).toBe(withoutYaml.length);
    expect(withYaml).not.toContain('yaml.alias');
  });

  it('reads a YAML layer when node_modules/yaml is shipped beside the bundle, and says how otherwise', async () => {
    const code = await bundled('with', 'stage.yaml');
    const deployed = join(work, 'deployed');
    mkdirSync(join(deployed, 'node_modules'), { recursive: true });
    writeFileSync(join(deployed, 'index.mjs'), code);
    for (const file of ['app.json', 'stage.yaml']) cpSync(join(roots.with, file), join(deployed, file));
    const invoke = async () => {
      const script =
        "const { handler } = await import('./index.mjs'); handler().then((c) => console.log(JSON.stringify(c)), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));";
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: deployed,
        timeout: 15_000,
      });
      return JSON.parse(stdout) as unknown;
    };
    expect(await invoke()).toMatchObject({
      code: 'PARSE_ERROR',
      message: expect.stringContaining('npm install yaml'),
    });
    cpSync(join(repo, 'node_modules', 'yaml'), join(deployed, 'node_modules', 'yaml'), { recursive: true });
    expect(await invoke()).toEqual({ db: { host: 'from-json', port: 6432 } });
  });
});
