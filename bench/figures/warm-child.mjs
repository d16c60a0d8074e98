/**
 * One warm figure (mitata): what a warm Lambda invocation pays for its config, for strataconf and
 * for the peers' `get()`. `node figures/warm-child.mjs DIR REPEATS FIGURE`; the figure is measured
 * REPEATS times and the child prints the median (p50, ns) of each repeat. One figure per process:
 * measured after one another in a process, the later ones run on code V8 has seen called in other
 * ways (rebuilt options measured 2.4 us first and 9 us after other figures in one probe).
 */
import { join } from 'node:path';
import { do_not_optimize, measure } from 'mitata';
import { loaders } from '../lib/loaders.mjs';
import { STRATACONF } from '../lib/target.mjs';

const [dir, repeatsArg, only] = process.argv.slice(2);
const repeats = Number(repeatsArg) || 5;
const smoke = repeats === 1;
const { defineConfig, loadConfig, fromFile, fromEnv } = await import(STRATACONF);
const LAYERS = ['default.json', 'production.json', 'local.json'];
const silent = { warn() {} };
const LEAF = 's010.k4';

// As on Lambda: the working directory is the task root and the handler names files relative to it.
process.chdir(dir);
const definition = defineConfig({
  sources: [...LAYERS.map((f) => fromFile(f)), fromEnv({ prefix: 'APP_' })],
  logger: silent,
});
const config = await definition.load();
/** What a handler does when it builds its options inside the handler on every call. */
const rebuilt = () =>
  loadConfig({ sources: [...LAYERS.map((f) => fromFile(f)), fromEnv({ prefix: 'APP_' })], logger: silent });
if ((await rebuilt()) !== config) throw new Error('rebuilt options missed the cache');
/**
 * The same with an explicit `env` object (a copy of the environment, made once): its variables under
 * the prefix are part of the cache key, read each time the source is built.
 */
const givenEnv = { ...process.env };
const rebuiltWithEnv = () =>
  loadConfig({
    sources: [...LAYERS.map((f) => fromFile(f)), fromEnv({ prefix: 'APP_', env: givenEnv })],
    logger: silent,
  });
await rebuiltWithEnv();

const nodeConfig = await (await loaders['node-config'](dir))();
const convictFns = await import('convict');
const convictSchema = (await import(join(dir, 'convict-schema.mjs'))).default;
const convictConf = convictFns.default(convictSchema, { env: process.env });
convictConf.loadFile(LAYERS.map((f) => join(dir, f)));
const nconf = (await import('nconf')).default;
await (await loaders.nconf(dir))();

// mitata awaits what a function returns when it is a promise; sync reads go through do_not_optimize.
const figures = {
  'definition.load()': () => definition.load(),
  'loadConfig, options rebuilt in the handler': () => rebuilt(),
  'loadConfig, rebuilt with fromEnv({ env })': () => rebuiltWithEnv(),
  'read a leaf: strataconf (frozen object)': () => do_not_optimize(config.s010.k4),
  'read a leaf: node-config get()': () => do_not_optimize(nodeConfig.get(LEAF)),
  'read a leaf: convict get()': () => do_not_optimize(convictConf.get(LEAF)),
  'read a leaf: nconf get()': () => do_not_optimize(nconf.get('s010:k4')),
};

const opts = smoke ? { min_samples: 1, max_samples: 1, warmup_samples: 0, min_cpu_time: 0 } : {};
const out = {};
if (!(only in figures)) throw new Error(`no warm figure named ${only}`);
for (const [name, fn] of Object.entries(figures)) {
  if (name !== only) continue;
  const p50 = [];
  for (let r = 0; r < repeats; r++) {
    const stats = await measure(fn, opts);
    p50.push(stats.p50);
  }
  out[name] = p50;
}
process.stdout.write(`${JSON.stringify(out)}\n`);
