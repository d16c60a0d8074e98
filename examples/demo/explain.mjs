import { spawn } from 'node:child_process';

/**
 * `strataconf print --loader examples/lambda-handler/config.ts --explain`, the CLI run from source
 * (tsx for the TypeScript), with the function's environment: what the function sees, row by row.
 * Asynchronous on purpose: this process serves the S3 requests the CLI makes.
 */
export async function explain(repo, env) {
  const argv = ['print', '--loader', 'examples/lambda-handler/config.ts', '--explain'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...argv], {
    cwd: repo,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => {
    output += chunk;
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const status = await new Promise((resolve) => child.on('close', resolve));
  return { status, output };
}
