import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

describe('strataconf schema, env and check in a process of their own', () => {
  it('never load the AWS SDK, though the example definition declares an S3 layer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strataconf-trace-'));
    try {
      const trace = join(dir, 'modules.txt');
      const loader = 'examples/lambda-handler/config.ts';
      for (const args of [
        ['schema', '--loader', loader],
        ['env', '--loader', loader],
        ['check', 'examples/lambda-handler/config.json5', '--loader', loader],
      ]) {
        // tsx runs the CLI from its sources (the same module graph as dist/cli.js) and the TypeScript loader.
        const { stdout } = await promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', '--import', './bench/lib/trace-register.mjs', 'src/cli/bin.ts', ...args],
          {
            cwd: REPO,
            env: {
              ...process.env,
              TRACE_FILE: trace,
              CONFIG_S3_URI: 's3://my-config/orders/production.json5',
            },
          },
        );
        expect(stdout.length).toBeGreaterThan(0);
      }
      const modules = (await readFile(trace, 'utf8')).split('\n');
      expect(modules.some((url) => url.includes('/examples/lambda-handler/config.ts'))).toBe(true);
      expect(modules.filter((url) => /\/@aws-sdk\/|\/@smithy\//.test(url))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
