/**
 * What a cold load imports: the child runs with module hooks that record every URL it resolves.
 * Proves that a load without an S3 layer never loads the AWS SDK, that strataconf itself never
 * imports zod, and that plain JSON layers never load json5.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, runChild } from '../lib/stats.mjs';

const BENCH = fileURLToPath(new URL('..', import.meta.url));

/** The packages a module URL list touches, by `node_modules/<name>`. */
function packagesOf(urls) {
  const names = new Set();
  for (const url of urls) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (match) names.add(match[1]);
  }
  return [...names].sort();
}

export function traceFigure(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const tmp = mkdtempSync(join(tmpdir(), 'strataconf-trace-'));
  const file = join(tmp, 'modules.txt');
  try {
    const env = childEnv({ TRACE_FILE: file, ...manifest.env });
    const args = [
      '--import',
      join(BENCH, 'lib/trace-register.mjs'),
      join(BENCH, 'cold/child.mjs'),
      'load',
      'strataconf',
      dir,
    ];
    const result = runChild(args, env, BENCH);
    if (result.error) throw new Error(`trace: ${result.error}`);
    const urls = [...new Set(readFileSync(file, 'utf8').trim().split('\n'))];
    const strataconfFiles = urls.filter((u) => u.includes('/dist/') && !u.includes('node_modules')).length;
    const packages = packagesOf(urls);
    return {
      packages,
      strataconfFiles,
      sdkLoaded: packages.some((p) => p.startsWith('@aws-sdk/')),
      zodLoaded: packages.includes('zod'),
      json5Loaded: packages.includes('json5'),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
