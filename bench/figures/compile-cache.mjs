#!/usr/bin/env node
/**
 * Does shipping a V8 compile cache (`NODE_COMPILE_CACHE`, Node >= 22.1) in the deployment zip help a
 * cold start? Whole cold processes reading a config with an S3 layer (bench/cold/s3-layer-child.mjs),
 * with no cache and with a cache written by one earlier run (as a build step would ship it),
 * round-robin. Not part of `npm run bench` (it needs a Node 22 binary):
 *
 *   node bench/figures/compile-cache.mjs /path/to/node22 [RUNS]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summary } from '../lib/stats.mjs';
import { s3ChildEnv, startS3 } from './cold-s3.mjs';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const CHILD = join(BENCH, 'cold/s3-layer-child.mjs');
const [node = process.execPath, runsArg = '11'] = process.argv.slice(2);
const runs = Number(runsArg);

function once(variant, env) {
  const t0 = performance.now();
  const child = spawnSync(node, [CHILD, variant], { env, cwd: BENCH, encoding: 'utf8', timeout: 60_000 });
  const wallMs = performance.now() - t0;
  const out = JSON.parse(child.stdout.trim().split('\n').at(-1) || '{}');
  if (!out.ok) throw new Error(`${variant}: ${child.stderr.slice(0, 400)}`);
  return wallMs;
}

const s3 = await startS3();
const caches = {};
try {
  const results = {};
  for (const variant of ['strataconf', 'SDK GetObjectCommand']) {
    const cacheDir = mkdtempSync(join(tmpdir(), 'strataconf-compile-cache-'));
    caches[variant] = cacheDir;
    // The build step: one run writes the cache that the zip would carry.
    once(variant, s3ChildEnv(s3.endpoint, { NODE_COMPILE_CACHE: cacheDir }));
    const cold = [];
    const cached = [];
    for (let r = 0; r < runs; r++) {
      const pair = [
        () => cold.push(once(variant, s3ChildEnv(s3.endpoint))),
        () => cached.push(once(variant, s3ChildEnv(s3.endpoint, { NODE_COMPILE_CACHE: cacheDir }))),
      ];
      if (r % 2) pair.reverse();
      for (const run of pair) run();
    }
    const a = summary(cold);
    const b = summary(cached);
    results[variant] = { noCache: a, compileCache: b, ratio: b.median / a.median };
  }
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(JSON.stringify({ node: version, runs, results }, null, 2));
} finally {
  s3.close();
  for (const dir of Object.values(caches)) rmSync(dir, { recursive: true, force: true });
}
