/**
 * How each loader reads the same three JSON layers plus the env vars, the way its own docs say to.
 * `load(dir, manifest)` imports the library (timed as "import") and returns `run()`, which loads the
 * config (timed as "load"). Nothing here imports a library statically: the child times it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { STRATACONF } from './target.mjs';

const silent = { warn() {} };
const LAYERS = ['default.json', 'production.json', 'local.json'];

function handMerge(target, source) {
  for (const key of Object.keys(source)) {
    const value = source[key];
    const old = target[key];
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      old &&
      typeof old === 'object' &&
      !Array.isArray(old)
    )
      handMerge(old, value);
    else target[key] = value;
  }
  return target;
}

/** The env vars of the manifest, set by path by hand (what a loader without env mapping needs). */
function envOverrides(manifest) {
  const out = {};
  for (const { name, path } of manifest.envPaths) {
    const value = process.env[name];
    if (value === undefined) continue;
    let node = out;
    for (const key of path.slice(0, -1)) node = node[key] ??= {};
    node[path.at(-1)] = value;
  }
  return out;
}

export const loaders = {
  /** The floor: readFileSync + JSON.parse + a hand merge, env set by hand. */
  floor: async (dir, manifest) => () => {
    const merged = {};
    for (const file of LAYERS) handMerge(merged, JSON.parse(readFileSync(join(dir, file), 'utf8')));
    return handMerge(merged, envOverrides(manifest));
  },
  strataconf: async (dir) => {
    const { loadConfig, fromFile, fromEnv } = await import(STRATACONF);
    return () =>
      loadConfig({
        sources: [...LAYERS.map((f) => fromFile(join(dir, f))), fromEnv({ prefix: 'APP_' })],
        logger: silent,
      });
  },
  /** node-config loads NODE_CONFIG_DIR at import time: its load is inside its import. */
  'node-config': async () => {
    const config = (await import('config')).default;
    return () => config;
  },
  convict: async (dir) => {
    const convict = (await import('convict')).default;
    return async () => {
      const schema = (await import(pathToFileURL(join(dir, 'convict-schema.mjs')).href)).default;
      const conf = convict(schema, { env: process.env });
      conf.loadFile(LAYERS.map((f) => join(dir, f)));
      conf.validate({ allowed: 'strict' });
      return conf.getProperties();
    };
  },
  /** nconf: the first store wins, so env first, then the layers from last to first. */
  nconf: async (dir) => {
    const nconf = (await import('nconf')).default;
    return () => {
      // nconf 0.13 ignores its `prefix` option: the transform keeps APP_ variables and strips it.
      const transform = ({ key, value }) =>
        key.startsWith('APP_') && { key: key.slice(4).toLowerCase(), value };
      nconf.env({ separator: '__', transform });
      for (const file of [...LAYERS].reverse()) nconf.file(file, join(dir, file));
      return nconf.get();
    };
  },
  /** c12: one entry file extends the layers; it has no env-var mapping, so env goes in `overrides`. */
  c12: async (dir, manifest) => {
    const { loadConfig } = await import('c12');
    return async () => {
      const { config } = await loadConfig({
        cwd: join(dir, 'c12'),
        name: 'app',
        rcFile: false,
        globalRc: false,
        packageJson: false,
        dotenv: false,
        envName: false,
        overrides: envOverrides(manifest),
      });
      return config;
    };
  },
  /** zod-config always parses with a zod schema: here the lightest, a loose empty object. */
  'zod-config': async (dir) => {
    const [{ loadConfig }, { jsonAdapter }, { envAdapter }, { z }] = await Promise.all([
      import('zod-config'),
      import('zod-config/json-adapter'),
      import('zod-config/env-adapter'),
      import('zod'),
    ]);
    return () =>
      loadConfig({
        schema: z.looseObject({}),
        adapters: [
          ...LAYERS.map((f) => jsonAdapter({ path: join(dir, f) })),
          envAdapter({
            regex: /^APP_/,
            nestingSeparator: '__',
            transform: ({ key, value }) => ({ key: key.slice(4).toLowerCase(), value }),
          }),
        ],
      });
  },
};

/** Import-only figures: the module names whose import is timed. */
export const importTargets = {
  nothing: null,
  json5: 'json5',
  'deepmerge-ts': 'deepmerge-ts',
  strataconf: STRATACONF,
  convict: 'convict',
  nconf: 'nconf',
  'node-config': 'config',
  c12: 'c12',
  'zod-config': 'zod-config',
  zod: 'zod',
  '@aws-sdk/client-s3': '@aws-sdk/client-s3',
};
