/**
 * The cold figures: each variant in fresh child processes, round-robin, timed in-process around
 * import and load, and from the parent spawn to exit (`wallMs`, the whole process).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTargets, loaders } from '../lib/loaders.mjs';
import { childEnv, roundRobin, runChild, summarize } from '../lib/stats.mjs';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const CHILD = join(BENCH, 'cold/child.mjs');
const ZOD_CHILD = join(BENCH, 'cold/zod-child.mjs');

function loadEnv(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return childEnv({
    NODE_ENV: 'production',
    NODE_CONFIG_DIR: dir,
    SUPPRESS_NO_CONFIG_WARNING: '1',
    ...manifest.env,
  });
}

/** Import cost of each library, and `node -e 0` as the floor of a whole process. */
export function importFigure(runs, fixtures) {
  const empty = join(fixtures, 'empty');
  mkdirSync(empty, { recursive: true });
  // node-config reads its directory at import: an empty one, so that only the import is timed.
  const env = childEnv({ NODE_CONFIG_DIR: empty, SUPPRESS_NO_CONFIG_WARNING: '1' });
  const variants = { 'node -e 0': null, ...importTargets };
  const samples = roundRobin(variants, runs, (name) =>
    name === 'node -e 0' ? runChild(['-e', '0'], env, BENCH) : runChild([CHILD, 'import', name], env, BENCH),
  );
  return summarize(samples, ['importMs', 'wallMs', 'boot']);
}

/** Cold load of the three layers + env vars in `dir`, by the floor, strataconf and each peer. */
export function loadFigure(runs, dir) {
  const env = loadEnv(dir);
  const samples = roundRobin(loaders, runs, (name) => runChild([CHILD, 'load', name, dir], env, BENCH));
  return summarize(samples, ['importMs', 'loadMs', 'workMs', 'wallMs', 'boot']);
}

/** Cold load with a zod schema of one check per leaf, with and without `z.config({ jitless: true })`. */
export function zodFigure(runs, dir) {
  const env = loadEnv(dir);
  const variants = {
    floor: ['floor'],
    'floor, jitless': ['floor', 'jitless'],
    strataconf: ['strataconf'],
    'strataconf, jitless': ['strataconf', 'jitless'],
    'zod-config': ['zod-config'],
    'zod-config, jitless': ['zod-config', 'jitless'],
  };
  const samples = roundRobin(variants, runs, (_name, [loader, jitless]) =>
    runChild([ZOD_CHILD, loader, dir, ...(jitless ? [jitless] : [])], env, BENCH),
  );
  return summarize(samples, ['zodImportMs', 'schemaMs', 'parseMs', 'ownMs', 'workMs', 'wallMs']);
}
