#!/usr/bin/env node
/**
 * `npm run bench`: installs the peers (bench/package.json) and builds strataconf when needed, writes
 * the layer files, runs every figure, saves bench/results/latest.json and rewrites the results part
 * of BENCHMARKS.md. `npm run bench:smoke` runs each figure once and writes only results/smoke.json.
 *
 *   node bench/run.mjs [--smoke] [--runs N] [--only import,load200,load2000,zod,warm,s3,coldS3,coldSsm,coldAppConfig,bundle,trace]
 *                      [--no-write] [--dist path/to/a/saved/build/index.js]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH, ensureBuild, ensureDeps, machine, ROOT } from './lib/setup.mjs';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    only: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    dist: { type: 'string' },
  },
});
const smoke = args.smoke;
const runs = smoke ? 1 : Number(args.runs ?? 11);
const only = args.only ? new Set(args.only.split(',')) : undefined;
const want = (name) => !only || only.has(name);

ensureDeps();
if (args.dist) process.env.STRATACONF_DIST = resolve(args.dist);
else ensureBuild();
const { writeFixtures } = await import('./lib/fixtures.mjs');
const fixtures = join(BENCH, 'fixtures');
const dir200 = join(fixtures, '200');
const dir2000 = join(fixtures, '2000');
writeFixtures(dir200, 200);
writeFixtures(dir2000, 2000);
// node-config reads its directory at import: an empty one where only an import is timed.
mkdirSync(join(fixtures, 'empty'), { recursive: true });

const { importFigure, loadFigure, zodFigure } = await import('./figures/cold.mjs');
const { warmFigure, s3Figure } = await import('./figures/in-process.mjs');
const { bundleFigure } = await import('./figures/bundle.mjs');
const { traceFigure } = await import('./figures/trace.mjs');
const { coldS3Figure } = await import('./figures/cold-s3.mjs');
const { coldSsmFigure } = await import('./figures/cold-ssm.mjs');
const { coldAppConfigFigure } = await import('./figures/cold-appconfig.mjs');
const { judgeGoals } = await import('./lib/goals.mjs');
const { renderResults } = await import('./lib/report.mjs');

const results = { machine: machine(), runs, command: smoke ? 'npm run bench:smoke' : 'npm run bench' };
const started = performance.now();
const step = async (name, fn) => {
  if (!want(name)) return;
  const t0 = performance.now();
  results[name] = await fn();
  process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
};
await step('trace', () => traceFigure(dir200));
await step('bundle', () => bundleFigure(runs));
await step('import', () => importFigure(runs, fixtures));
await step('load200', () => loadFigure(runs, dir200));
await step('load2000', () => loadFigure(runs, dir2000));
await step('zod', () => zodFigure(runs, dir200));
await step('warm', () => warmFigure(dir200, smoke ? 1 : 5));
await step('s3', () => s3Figure(smoke ? 1 : 7));
await step('coldS3', () => coldS3Figure(runs));
await step('coldSsm', () => coldSsmFigure(runs));
await step('coldAppConfig', () => coldAppConfigFigure(runs));
if (!smoke) results.goals = judgeGoals(results);
results.seconds = Math.round((performance.now() - started) / 1000);

const complete = !only && !smoke && !args.dist;
// Only a complete run of dist/ is "latest": a partial one must not replace it.
const resultsName = smoke ? 'smoke' : complete ? 'latest' : 'partial';
const resultsDir = join(BENCH, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `${resultsName}.json`), `${JSON.stringify(results, null, 2)}\n`);
const markdown = complete ? renderResults(results) : undefined;
if (markdown && !args['no-write']) {
  const file = join(ROOT, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const at = text.indexOf(start);
  const to = text.indexOf(end);
  if (at < 0 || to < at) throw new Error('BENCHMARKS.md lacks the results markers');
  writeFileSync(file, `${text.slice(0, at + start.length)}\n${markdown}\n${text.slice(to)}`);
  process.stderr.write('bench: BENCHMARKS.md updated\n');
}
// One iteration says the suite works, not how fast anything is: a smoke run judges no goal.
if (smoke)
  process.stdout.write('bench: smoke run passed (every figure ran once; goals are judged on full runs)\n');
else
  for (const g of results.goals) process.stdout.write(`${g.met ? 'met ' : 'MISS'}  ${g.goal}: ${g.value}\n`);
process.stdout.write(`bench: ${results.seconds} s; results in bench/results/${resultsName}.json\n`);
