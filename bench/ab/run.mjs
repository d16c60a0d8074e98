#!/usr/bin/env node
/**
 * A/B of one figure: the cold 200-key load with a zod schema (the strataconf row of the `zod`
 * figure: import + load in a fresh process, wall and CPU), two builds alternating run by run so
 * the machine's noise lands on both alike. CPU time is the steadier figure on a busy machine.
 *
 *   npx tsup && cp -r dist /tmp/before     # on the commit before the change
 *   npx tsup && cp -r dist /tmp/after      # on the change
 *   node bench/ab/run.mjs /tmp/before/index.js /tmp/after/index.js [RUNS=25]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixtures } from '../lib/fixtures.mjs';
import { childEnv, runChild, summary } from '../lib/stats.mjs';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const [before, after, runsArg] = process.argv.slice(2);
if (!before || !after) throw new Error('usage: node bench/ab/run.mjs BEFORE/index.js AFTER/index.js [RUNS]');
const dir = mkdtempSync(join(tmpdir(), 'strataconf-ab-'));
writeFixtures(dir, 200);
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const runs = Number(runsArg ?? 25);
const builds = { before: resolve(before), after: resolve(after) };
const out = { before: { wall: [], cpu: [] }, after: { wall: [], cpu: [] } };
for (let r = 0; r < runs; r++) {
  for (const name of r % 2 ? ['after', 'before'] : ['before', 'after']) {
    const env = childEnv({ NODE_ENV: 'production', ...manifest.env, STRATACONF_DIST: builds[name] });
    const result = runChild([join(BENCH, 'ab/zod-cpu-child.mjs'), dir], env, BENCH);
    if (result.error) throw new Error(result.error);
    out[name].wall.push(result.ownMs);
    out[name].cpu.push(result.ownCpuMs);
  }
}
const f = (v) => {
  const s = summary(v);
  return `median ${s.median.toFixed(1)} (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)})`;
};
for (const [name, o] of Object.entries(out))
  console.log(`${name}: import+load wall ms ${f(o.wall)}; CPU ms ${f(o.cpu)}; n=${o.wall.length}`);
