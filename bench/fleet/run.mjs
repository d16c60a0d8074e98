#!/usr/bin/env node
/**
 * `npm run bench:fleet`: a fleet of Lambda execution environments cold-starting at once against a
 * throttled SSM endpoint (a token bucket of 40 requests a second, burst 40, as SSM's default
 * throughput), each with its own path and default options, side by side in one run:
 *
 * - `strataconf`: this build (dist/), its own signed requests (credentials in the environment, as on
 *   Lambda); after a first load without the layer, the environment keeps calling `load()` every
 *   250 ms (an invocation every 250 ms) to see when the layer comes back;
 * - `before`: another build of strataconf given with `--before path/to/dist/index.js` (the figures
 *   before a change);
 * - `sdk`: one AWS SDK v3 `SSMClient` per environment, default (standard) retries, reading the path
 *   once; `sdk-adaptive` with `retryMode: 'adaptive'` (`--adaptive`).
 *
 * N environments start at uniformly random times over 1 s (three arrival patterns, seeded; the cell
 * is the median). N = 1000 overloads one process on 2 cores (event-loop lag stretches the flood), so
 * it runs at 1:4 scale: 250 environments against 10 requests a second, burst 10.
 *
 *   node bench/fleet/run.mjs [--n 100,300,1000] [--patterns 3] [--before dist/index.js] [--adaptive]
 *                            [--variant NAME=path/to/dist/index.js]... (more builds side by side)
 *                            [--params 1] [--recovery-seconds 65] [--json out.json]
 */
import { fork } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuild, machine, ROOT } from '../lib/setup.mjs';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100,300,1000' },
    patterns: { type: 'string', default: '3' },
    before: { type: 'string' },
    variant: { type: 'string', multiple: true, default: [] },
    adaptive: { type: 'boolean', default: false },
    params: { type: 'string', default: '1' },
    'recovery-seconds': { type: 'string', default: '65' },
    json: { type: 'string' },
  },
});
const sizes = args.n.split(',').map(Number);
const patterns = Number(args.patterns);
const recoveryMs = Number(args['recovery-seconds']) * 1000;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: 'AKIDFLEET',
  AWS_SECRET_ACCESS_KEY: 'fleet-secret',
  AWS_SESSION_TOKEN: 'fleet-token',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
});

ensureBuild();
const server = fork(new URL('./throttled-ssm.mjs', import.meta.url), [], {
  env: { ...process.env, PARAMS: args.params },
});
const port = await new Promise((resolve) => server.once('message', (m) => resolve(m.port)));
const endpoint = `http://127.0.0.1:${port}`;
process.env.AWS_ENDPOINT_URL_SSM = endpoint;
const ask = (msg, key) =>
  new Promise((resolve) => {
    server.once('message', (m) => resolve(m[key]));
    server.send(msg);
  });

const variants = [
  { name: 'strataconf', module: await import(pathToFileURL(join(ROOT, 'dist/index.js')).href) },
];
const named = [...(args.before ? [`before=${args.before}`] : []), ...args.variant];
for (const spec of named) {
  const [name, file] = spec.split('=');
  if (!file || !existsSync(file)) throw new Error(`--variant ${spec}: expected NAME=path/to/dist/index.js`);
  variants.push({ name, module: await import(pathToFileURL(file).href) });
}
const { SSMClient, GetParametersByPathCommand } = await import('@aws-sdk/client-ssm');
variants.push({ name: 'sdk' });
if (args.adaptive) variants.push({ name: 'sdk-adaptive', adaptive: true });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Uniform arrival times over 1 s from a seeded generator (mulberry32), the same for every variant. */
function arrivals(count, seed) {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => random() * 1000);
}

let runs = 0;
/** How often an environment without the layer is invoked while recovery is watched. */
const INVOCATION_EVERY_MS = 250;

/** One environment of strataconf: a cold load, then an invocation a second until it has the layer. */
async function strataconfEnv(mod, path, watchRecovery) {
  const { defineConfig, fromObject, fromSsm } = mod;
  const definition = defineConfig({
    sources: [fromObject({ db: { host: 'default' } }), fromSsm(path)],
    logger: { warn() {} },
  });
  const start = performance.now();
  const config = await definition.load();
  const first = performance.now() - start;
  if (config.db.host === 'from-ssm' || !watchRecovery) return { ok: config.db.host === 'from-ssm', first };
  const failedAt = performance.now();
  while (performance.now() - failedAt < recoveryMs) {
    await sleep(INVOCATION_EVERY_MS);
    if ((await definition.load()).db.host === 'from-ssm')
      return { ok: false, first, recoveredMs: performance.now() - failedAt, recoveredAt: Date.now() };
  }
  return { ok: false, first };
}

/** One environment with its own SDK client: every page of the path, once. */
async function sdkEnv(path, adaptive) {
  const client = new SSMClient({
    region: 'us-east-1',
    endpoint,
    ...(adaptive ? { retryMode: 'adaptive' } : {}),
  });
  const start = performance.now();
  try {
    let NextToken;
    do {
      const input = { Path: path, Recursive: true, WithDecryption: true, MaxResults: 10, NextToken };
      ({ NextToken } = await client.send(new GetParametersByPathCommand(input)));
    } while (NextToken);
    return { ok: true, first: performance.now() - start };
  } catch {
    return { ok: false, first: performance.now() - start };
  } finally {
    client.destroy();
  }
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? undefined : s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs) => quantile(xs, 0.5);

/** One fleet of one variant: N environments over 1 s; what each got and what the store saw. */
async function fleet(variant, count, scale, seed, watchRecovery) {
  const run = ++runs;
  await ask({ bucket: { rate: 40 / scale, burst: 40 / scale } }, 'ready');
  variant.module?.resetConfigCache();
  const times = arrivals(count, seed);
  const t0 = performance.now();
  const envs = await Promise.all(
    times.map(async (at, i) => {
      await sleep(at - (performance.now() - t0));
      const path = `/fleet/${run}/${i}/`;
      return variant.module
        ? strataconfEnv(variant.module, path, watchRecovery)
        : sdkEnv(path, variant.adaptive);
    }),
  );
  // Recovery is watched after the fleet's first loads: the store's last throttle came before it ends.
  const { requests, lastThrottleAt } = await ask({ stats: true }, 'stats');
  const total = Object.values(requests).reduce((a, b) => a + b, 0);
  const failed = envs.filter((e) => !e.ok);
  const recovered = failed.filter((e) => e.recoveredMs !== undefined);
  return {
    share: envs.filter((e) => e.ok).length / count,
    p50: median(envs.filter((e) => e.ok).map((e) => e.first)),
    p99: quantile(
      envs.filter((e) => e.ok).map((e) => e.first),
      0.99,
    ),
    perEnv: total / count,
    failed: failed.length,
    recovered: watchRecovery ? recovered.length : undefined,
    recoveryP50: median(recovered.map((e) => e.recoveredMs)),
    recoveryMax: recovered.length ? Math.max(...recovered.map((e) => e.recoveredMs)) : undefined,
    // From the store's last throttle (the end of the throttling) to the last environment's recovery.
    afterThrottling: recovered.length
      ? Math.max(...recovered.map((e) => e.recoveredAt)) - lastThrottleAt
      : undefined,
  };
}

const results = { machine: machine(), params: Number(args.params), sizes: {} };
for (const n of sizes) {
  const scale = n > 300 ? 4 : 1;
  const count = n / scale;
  const rows = {};
  for (const variant of variants) {
    const per = [];
    for (let p = 1; p <= patterns; p++) {
      // Recovery is watched in the first pattern only: it takes a minute of wall time.
      const watch = p === 1 && variant.module !== undefined && recoveryMs > 0;
      per.push(await fleet(variant, count, scale, 1000 * n + p, watch));
      process.stderr.write(
        `fleet: N=${n} ${variant.name} pattern ${p}: ${(per.at(-1).share * 100).toFixed(0)} %\n`,
      );
    }
    rows[variant.name] = {
      share: median(per.map((r) => r.share)),
      p50: median(per.map((r) => r.p50).filter((x) => x !== undefined)),
      p99: median(per.map((r) => r.p99).filter((x) => x !== undefined)),
      perEnv: median(per.map((r) => r.perEnv)),
      recovery: per[0].recovered === undefined ? undefined : per[0],
    };
  }
  results.sizes[n] = { scale, count, rows };
}
server.send({ stop: true });

const pct = (x) => `${Math.round(x * 100)} %`;
const ms = (x) => (x === undefined ? '-' : x < 10_000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`);
console.log(
  `Fleet cold start against a throttled SSM (40 req/s, burst 40; N=1000 at 1:4 scale), ${args.params} parameter(s) per path, median of ${patterns} arrival patterns`,
);
console.log(`${machine().nproc} cores, Node ${process.version}, load average ${machine().loadavg ?? ''}`);
console.log(
  '| N | variant | first load had the layer | p50 / p99 time to config | requests per environment | recovered within 60 s (of those without it) |',
);
console.log('|---|---|---|---|---|---|');
for (const [n, { rows }] of Object.entries(results.sizes)) {
  for (const [name, r] of Object.entries(rows)) {
    const rec = r.recovery
      ? `${r.recovery.recovered} of ${r.recovery.failed}${r.recovery.recoveryP50 === undefined ? '' : ` (after its failure: p50 ${ms(r.recovery.recoveryP50)}, max ${ms(r.recovery.recoveryMax)}; the last ${ms(r.recovery.afterThrottling)} after the throttling ended)`}`
      : '-';
    console.log(
      `| ${n} | ${name} | ${pct(r.share)} | ${ms(r.p50)} / ${ms(r.p99)} | ${r.perEnv.toFixed(1)} | ${rec} |`,
    );
  }
}
if (args.json) writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
