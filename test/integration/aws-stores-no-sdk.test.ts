import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/testing.js';

/**
 * With credentials in the environment, fromSsm and fromSecret load no `@aws-sdk/*` or `@smithy/*`
 * module: a child process (strataconf's source, run by tsx) refuses to resolve any of them, and still
 * loads both layers from the local endpoints. Without credentials in the environment the same child
 * reaches for the SDK and is refused, which shows the guard works.
 */

const run = promisify(execFile);
const index = pathToFileURL(fileURLToPath(new URL('../../src/index.ts', import.meta.url))).href;

const GUARD = `export async function resolve(specifier, context, next) {
  if (/^@(aws-sdk|smithy)\\//.test(specifier)) throw new Error('the AWS SDK was asked for: ' + specifier);
  return next(specifier, context);
}`;

const SCRIPT = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(GUARD)}));
const { fromSecret, fromSsm, loadConfig } = await import(${JSON.stringify(index)});
try {
  const config = await loadConfig({
    sources: [fromSsm('/app/', { optional: false }), fromSecret('app/db', { optional: false, at: 'db' })],
  });
  console.log(JSON.stringify({ config }));
} catch (err) {
  console.log(JSON.stringify({ error: err.message }));
}
`;

let work: string;
let aws: LocalAws;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strataconf-no-sdk-'));
  writeFileSync(join(work, 'child.mjs'), SCRIPT);
  aws = await startLocalAws({ ssm: { '/app/db/host': 'h' }, secrets: { 'app/db': { password: 'pw' } } });
});
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await aws.close();
});

async function child(credentials: boolean): Promise<{ config?: unknown; error?: string }> {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, ...endpoints } = aws.env;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...endpoints,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (credentials) Object.assign(env, { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN });
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(work, 'child.mjs')], {
    env,
    cwd: repo,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
}

describe('fromSsm and fromSecret with credentials in the environment', () => {
  it('load both layers without resolving any @aws-sdk or @smithy module', async () => {
    expect(await child(true)).toEqual({ config: { db: { host: 'h', password: 'pw' } } });
  });

  it('reach for the SDK without them (the guard is live)', async () => {
    const out = await child(false);
    expect(out.error).toMatch(
      /@aws-sdk\/client-ssm failed to load \(the AWS SDK was asked for: @aws-sdk\/client-ssm\)/,
    );
  });
});
