/**
 * What a config library adds to a bundled handler: esbuild, minified, ESM for Node 20, zod and the
 * AWS SDK external (Lambda users bundle; the SDK is in the runtime or its own layer). The share is
 * the handler's size minus an empty handler's, and for strataconf, split by input (own code, json5).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, roundRobin, runChild, summarize } from '../lib/stats.mjs';
import { STRATACONF_FILE } from '../lib/target.mjs';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
/** Inside bench/, so that the bundles' external imports (zod) resolve from bench/node_modules. */
const BUNDLES = join(BENCH, 'results/bundles');

const HANDLERS = {
  empty: `export const handler = async () => ({ ok: true });`,
  strataconf: `import { defineConfig, fromFile, fromEnv } from 'strataconf';
const config = defineConfig({ sources: [fromFile('config.json5'), fromEnv({ prefix: 'APP_' })] });
export const handler = async () => (await config.load()).db;`,
  convict: `import convict from 'convict';
const config = convict({ db: { host: { format: String, default: '', env: 'APP_DB_HOST' } } });
export const handler = async () => {
  config.loadFile('config.json');
  config.validate({ allowed: 'strict' });
  return config.get('db');
};`,
  nconf: `import nconf from 'nconf';
nconf.env({ separator: '__' }).file('config.json');
export const handler = async () => nconf.get('db');`,
  'node-config': `import config from 'config';
export const handler = async () => config.get('db');`,
  c12: `import { loadConfig } from 'c12';
export const handler = async () => (await loadConfig({ name: 'app' })).config.db;`,
  'zod-config': `import { loadConfig } from 'zod-config';
import { jsonAdapter } from 'zod-config/json-adapter';
import { envAdapter } from 'zod-config/env-adapter';
import { z } from 'zod';
export const handler = async () => (await loadConfig({ schema: z.looseObject({}), adapters: [jsonAdapter({ path: 'config.json' }), envAdapter({})] })).db;`,
};

/** esbuild's code splitting: a dynamic import (json5 in strataconf) becomes a chunk loaded on use. */
const SPLIT = 'strataconf, esbuild --splitting';

async function build(esbuild, dir, name, source) {
  const split = name === SPLIT;
  const entry = join(dir, `${split ? 'split' : name}.mjs`);
  writeFileSync(entry, split ? HANDLERS.strataconf : source);
  const out = split
    ? { splitting: true, outdir: join(BUNDLES, 'split') }
    : { outfile: join(BUNDLES, `${name}.mjs`) };
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      ...out,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      minify: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      external: ['zod', 'zod/*', '@aws-sdk/*'],
      // The usual banner of an ESM Lambda bundle: CommonJS peers call require('fs').
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      alias: { strataconf: STRATACONF_FILE },
      nodePaths: [join(BENCH, 'node_modules')],
    });
    mkdirSync(out.outdir ?? BUNDLES, { recursive: true });
    for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
    // What the init loads: the entry file and the chunks it imports statically, transitively (a
    // split build's lazily imported chunks load only when used).
    const outputs = result.metafile.outputs;
    const [path] = Object.entries(outputs).find(([, o]) => o.entryPoint);
    const file = result.outputFiles.find((f) => f.path.endsWith(path.split('/').at(-1)));
    const loaded = new Set();
    const visit = (p) => {
      if (loaded.has(p) || !outputs[p]) return;
      loaded.add(p);
      for (const i of outputs[p].imports) if (i.kind === 'import-statement') visit(i.path);
    };
    visit(path);
    let bytes = 0;
    const inputs = {};
    for (const p of loaded) {
      bytes += outputs[p].bytes;
      for (const [input, used] of Object.entries(outputs[p].inputs))
        inputs[input] = { bytesInOutput: (inputs[input]?.bytesInOutput ?? 0) + used.bytesInOutput };
    }
    return { bytes, inputs, file: file.path, files: loaded.size };
  } catch (err) {
    return { error: String(err.message).split('\n')[0] };
  }
}

/** Bytes by who owns them: strataconf's dist files, json5, anything else. */
function split(inputs) {
  const out = { strataconf: 0, json5: 0, other: 0 };
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    if (path.includes('node_modules/json5/')) out.json5 += bytesInOutput;
    else if (/(^|\/)dist\//.test(path) && !path.includes('node_modules')) out.strataconf += bytesInOutput;
    else out.other += bytesInOutput;
  }
  return out;
}

/**
 * Sizes of each bundled handler, then the import of each bundle in fresh processes (`runs` times,
 * round-robin): what a bundled Lambda function's init pays for its config library.
 */
export async function bundleFigure(runs) {
  const esbuild = await import('esbuild');
  mkdirSync(BUNDLES, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'strataconf-bundle-'));
  try {
    const sizes = {};
    for (const [name, source] of [...Object.entries(HANDLERS), [SPLIT, '']])
      sizes[name] = await build(esbuild, dir, name, source);
    const empty = sizes.empty.bytes;
    const out = {};
    for (const [name, size] of Object.entries(sizes)) {
      if (name === 'empty') continue;
      out[name] = size.error
        ? { error: size.error }
        : { bytes: size.bytes, share: size.bytes - empty, files: size.files };
    }
    if (sizes.strataconf.inputs) out.strataconf.byOwner = split(sizes.strataconf.inputs);
    if (sizes[SPLIT].inputs) out[SPLIT].byOwner = split(sizes[SPLIT].inputs);
    const built = Object.keys(sizes).filter((n) => !sizes[n].error);
    const env = childEnv({ NODE_CONFIG_DIR: join(BENCH, 'fixtures/empty'), SUPPRESS_NO_CONFIG_WARNING: '1' });
    const samples = roundRobin(Object.fromEntries(built.map((n) => [n, sizes[n].file])), runs, (_n, file) =>
      runChild([join(BENCH, 'cold/child.mjs'), 'import-file', file], env, BENCH),
    );
    const imports = summarize(samples, ['importMs', 'wallMs']);
    for (const name of built) {
      out[name] ??= {};
      out[name].import = imports[name];
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
