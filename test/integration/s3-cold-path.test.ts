import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putObject, s3Env, seedObjects } from '../setup/s3.js';

/**
 * What a cold start loads besides the floor (readFileSync + JSON.parse + a hand merge, in ESM):
 * Node's own internal modules (`process.moduleLoadList`) for `import 'strataconf'`, a first load of
 * a file and env layer, and a first load with an S3 layer on the light path, which must load no
 * `@aws-sdk/*` or `@smithy/*` module and nothing of the SDK's weight.
 */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const BUCKET = 'strataconf-it-cold-path';
let work: string;
let dist: string;

const FLOOR = `
const before = new Set(process.moduleLoadList);
const { readFileSync } = await import('node:fs');
const merged = { ...JSON.parse(readFileSync(process.env.LAYER_JSON, 'utf8')), port: process.env.APP_PORT };
console.log(JSON.stringify({ loaded: process.moduleLoadList.filter((m) => !before.has(m)), merged }));
`;

/** The floor of a remote layer: one GET by hand with node:http, a SHA-256 HMAC, JSON.parse. */
const FLOOR_GET = `
const before = new Set(process.moduleLoadList);
const { request } = await import('node:http');
const { createHmac } = await import('node:crypto');
createHmac('sha256', 'k').update('x').digest('hex');
const body = await new Promise((resolve, reject) => {
  const req = request(new URL(process.env.AWS_ENDPOINT_URL_S3), (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  req.on('error', reject);
  req.end();
});
console.log(JSON.stringify({ loaded: process.moduleLoadList.filter((m) => !before.has(m)), size: body.length }));
`;

const STRATACONF = `
const before = new Set(process.moduleLoadList);
const { loadConfig, fromFile, fromEnv, fromS3 } = await import(process.env.DIST);
const sources = [fromFile(process.env.LAYER_JSON5), fromEnv({ prefix: 'APP_' })];
if (process.env.TARGET) sources.push(fromS3(process.env.TARGET, { optional: false }));
const afterImport = process.moduleLoadList.filter((m) => !before.has(m));
const config = await loadConfig({ sources });
const loaded = process.moduleLoadList.filter((m) => !before.has(m));
console.log(JSON.stringify({ afterImport, loaded, config }));
`;

async function child(script: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: work,
    env: {
      ...process.env,
      ...s3Env(),
      APP_PORT: '8080',
      DIST: pathToFileURL(join(dist, 'index.js')).href,
      ...env,
    },
    timeout: 15_000,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strataconf-cold-path-'));
  dist = join(work, 'dist');
  await build({
    entry: { index: join(repo, 'src/index.ts') },
    format: ['esm'],
    outDir: dist,
    dts: false,
    silent: true,
  });
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(join(repo, 'node_modules', 'json5'), join(work, 'node_modules', 'json5'));
  writeFileSync(join(work, 'config.json'), '{ "db": { "host": "file" } }');
  writeFileSync(join(work, 'config.json5'), "{ db: { host: 'file' } }");
  await seedObjects(BUCKET, {});
  await putObject(BUCKET, 'prod.json5', "{ db: { host: 's3' } }");
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const layers = () => ({ LAYER_JSON: join(work, 'config.json'), LAYER_JSON5: join(work, 'config.json5') });

/**
 * Internals strataconf still loads that the floor does not, each with its reason; this list may only
 * shrink. The CJS lexer: json5 is CommonJS, imported from ESM at the first load of a JSON5 layer.
 */
const ALLOWED_BEYOND_FLOOR = ['NativeModule internal/deps/cjs-module-lexer/lexer'];

describe('the cold path (process.moduleLoadList)', () => {
  it('import and a first file + env load add no Node internal beyond the floor and the listed ones', async () => {
    const floor = (await child(FLOOR, layers())) as { loaded: string[] };
    const ours = (await child(STRATACONF, layers())) as { loaded: string[]; config: unknown };
    expect(ours.config).toEqual({ db: { host: 'file' }, port: '8080' });
    const extra = ours.loaded.filter((m) => !floor.loaded.includes(m) && !ALLOWED_BEYOND_FLOOR.includes(m));
    expect(extra).toEqual([]);
  });

  it('import alone loads no crypto, no http(s) and no TLS (the S3 light path loads them when it sends)', async () => {
    const ours = (await child(STRATACONF, layers())) as { afterImport: string[] };
    expect(ours.afterImport.filter((m) => /crypto|http|tls|zlib/.test(m))).toEqual([]);
  });

  it('a first load with an S3 layer on the light path adds http and crypto, and nothing of the SDK', async () => {
    const out = (await child(STRATACONF, { ...layers(), TARGET: `s3://${BUCKET}/prod.json5` })) as {
      loaded: string[];
      config: unknown;
    };
    expect(out.config).toEqual({ db: { host: 's3' }, port: '8080' });
    expect(out.loaded).toContain('NativeModule http');
    expect(out.loaded).toContain('NativeModule crypto');
    // Nothing beyond what a GET by hand loads on this Node (Node 22 loads more internals for
    // node:http than Node 20): the SDK's client pulls zlib-backed checksums, worker/stream helpers
    // and https even for http endpoints.
    const floor = (await child(FLOOR_GET, layers())) as { loaded: string[] };
    const ours = (await child(STRATACONF, layers())) as { loaded: string[] };
    const beyond = out.loaded.filter(
      (m) => !floor.loaded.includes(m) && !ours.loaded.includes(m) && !ALLOWED_BEYOND_FLOOR.includes(m),
    );
    expect(beyond.filter((m) => /zlib|https|worker_threads|child_process/.test(m))).toEqual([]);
  });
});
