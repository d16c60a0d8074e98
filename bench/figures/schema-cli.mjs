/**
 * `strataconf schema` on the example's schema, one process start per run: wall time from spawn to
 * exit, against `node -e 0` (the floor of any process), round-robin, median.
 * `npx tsup && node bench/figures/schema-cli.mjs [runs]` (default 20).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../../examples/lambda-handler/build.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const runs = Number(process.argv[2] ?? 20);
const out = mkdtempSync(join(tmpdir(), 'strataconf-schema-bench-'));
// The example's config.ts as a deploy would run it: bundled (zod inside), @aws-sdk left out.
await bundle({ outdir: out, entries: { config: join(REPO, 'examples/lambda-handler/config.ts') } });
const env = { ...process.env, CONFIG_S3_URI: 's3://my-config/orders/production.json5' };
const commands = {
  'node -e 0': ['-e', '0'],
  'strataconf schema': [join(REPO, 'dist/cli.js'), 'schema', '--loader', join(out, 'config.mjs')],
};
const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(commands)) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    samples[name].push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
rmSync(out, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(samples)) {
  console.log(
    `${name.padEnd(20)} median ${median(xs).toFixed(0)} ms  min ${Math.min(...xs).toFixed(0)} ms  (${runs} runs)`,
  );
}
