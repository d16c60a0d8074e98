/**
 * zod or zod/mini in a bundled handler: what each adds to the bundle and to its import in a fresh
 * process. Each handler builds the same small config schema; esbuild bundles it with zod inside
 * (minified, ESM, Node 20), as a Lambda build does. Fresh `node` processes, round-robin, median of
 * the runs with (min–max). Not part of `npm run bench`:
 *
 *   node bench/zod-flavours.mjs [--runs 11]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 11;
const schema = `z.object({ db: z.object({ host: z.string(), port: z.number() }), apiKey: z.string() })`;
const HANDLERS = {
  'zod/mini': `import * as z from 'zod/mini';\nexport const schema = ${schema};`,
  'zod (import * as z)': `import * as z from 'zod';\nexport const schema = ${schema};`,
  'zod (import { z })': `import { z } from 'zod';\nexport const schema = ${schema};`,
  'no zod': `export const schema = {};`,
};

const dir = mkdtempSync(join(tmpdir(), 'zod-flavours-'));
try {
  const bundles = {};
  for (const [i, [name, code]] of Object.entries(HANDLERS).entries()) {
    const entry = join(dir, `h${i}.mjs`);
    writeFileSync(entry, code);
    const outfile = join(dir, `b${i}.mjs`);
    await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile,
      nodePaths: [join(ROOT, 'node_modules')],
      logLevel: 'error',
    });
    bundles[name] = { outfile, kb: statSync(outfile).size / 1024, times: [] };
  }
  const child = `const t = performance.now(); await import(process.argv[1]); console.log(performance.now() - t);`;
  const names = Object.keys(bundles);
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < names.length; k++) {
      const b = bundles[names[(k + r) % names.length]];
      const out = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', child, pathToFileURL(b.outfile).href],
        { encoding: 'utf8' },
      );
      b.times.push(Number(out));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`Node ${process.version}, ${runs} fresh processes each`);
  console.log('| bundle | size KiB | import ms, median (min–max) |\n|---|---|---|');
  for (const [name, b] of Object.entries(bundles)) {
    const f = (x) => x.toFixed(1);
    console.log(
      `| ${name} | ${f(b.kb)} | ${f(median(b.times))} (${f(Math.min(...b.times))}–${f(Math.max(...b.times))}) |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
