import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm run demo` as a fresh clone runs it (no aws-lambda-ric built: the function runs in-process).
const repo = fileURLToPath(new URL('..', import.meta.url));

describe('npm run demo', () => {
  it('invokes cold then warm, serves an S3 edit after maxAge, reports the failed init and explains', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['examples/demo.mjs', '--in-process'],
      { cwd: repo, timeout: 60_000 },
    );
    const lines = stdout.split('\n');
    // Numbered steps and what they show, indented: the function's warnings are routed into its log.
    expect(lines.filter((line) => line !== '' && !/^(\d\. | {3})/.test(line))).toEqual([]);
    expect(stderr).not.toContain('[strataconf]');
    expect(stdout).toContain(
      '   log: [strataconf] SOURCE_DROPPED: dropped optional source s3://strataconf-demo/orders/staging.json5',
    );
    // Says what ran: in this process, not under the runtime client.
    expect(stdout).toContain('3. the function imported and invoked in this process (--in-process)\n');
    expect(stdout).toContain('): importing the function fails (on Lambda, an init error)\n');
    expect(stdout).not.toMatch(/under aws-lambda-ric\)/);
    const invocation = (n: number) => lines.find((line) => line.trimStart().startsWith(`#${n} `)) ?? '';
    expect(invocation(1)).toMatch(/#1 cold .*S3 GET: 200 .*welcome back, Ada.*config loads: 1/);
    expect(invocation(2)).toMatch(/#2 warm .*S3 GET: none .*welcome back, Ada.*config loads: 1/);
    expect(invocation(4)).toMatch(/#4 warm .*S3 GET: none .*welcome back, Ada/);
    expect(invocation(5)).toMatch(/#5 warm .*S3 GET: 200 .*good to see you, Ada.*config loads: 2/);
    expect(stdout).toContain('"errorType": "ConfigError"');
    expect(stdout).toContain('service.stage: the deployment stage: set service.stage in the S3 layer');
    expect(stdout).toMatch(/db\.password\s+"\[redacted\]"\s+secret:orders\/production\/db\s+config\.json5/);
    expect(stdout).not.toContain('demo-password');
  }, 90_000);
});
