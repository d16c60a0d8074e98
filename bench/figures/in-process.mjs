/** Figures measured inside one child process each: warm calls (mitata) and the remote-latency load. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, runChild, summary } from '../lib/stats.mjs';

const BENCH = fileURLToPath(new URL('..', import.meta.url));

function summarizeLists(result) {
  if (result.error) throw new Error(result.error);
  const { wallMs, ...lists } = result;
  return Object.fromEntries(Object.entries(lists).map(([name, list]) => [name, summary(list)]));
}

/** The figures of warm-child.mjs, each measured in a process of its own. */
const WARM_FIGURES = [
  'definition.load()',
  'loadConfig, options rebuilt in the handler',
  'loadConfig, rebuilt with fromEnv({ env })',
  'read a leaf: strataconf (frozen object)',
  'read a leaf: node-config get()',
  'read a leaf: convict get()',
  'read a leaf: nconf get()',
];

/** Warm figures in ns: strataconf's warm calls and a leaf read through each peer's `get()`. */
export function warmFigure(dir, repeats) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const env = childEnv({
    NODE_ENV: 'production',
    NODE_CONFIG_DIR: dir,
    SUPPRESS_NO_CONFIG_WARNING: '1',
    ...manifest.env,
  });
  const out = {};
  for (const figure of WARM_FIGURES) {
    const args = [join(BENCH, 'figures/warm-child.mjs'), dir, String(repeats), figure];
    Object.assign(out, summarizeLists(runChild(args, env, BENCH)));
  }
  return out;
}

/** Cold loads of two layers that each answer after 100 ms, in ms. */
export function s3Figure(runs) {
  return summarizeLists(runChild([join(BENCH, 'figures/s3-child.mjs'), String(runs)], childEnv(), BENCH));
}
