import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Invocation, type LambdaError, RuntimeApi } from './runtime-api.js';

/**
 * One Lambda execution environment: a Runtime API server and one process running the real runtime
 * loop, `aws-lambda-ric` (installed into test/lambda/runtime by `npm run test:lambda`), which imports
 * the handler from the task root (the init) and then serves invocations one by one. The first
 * invocation is the cold one; stopping the environment and starting another is the next cold start.
 */

/** The runtime interface client's entry point (its `bin`). */
export const ricEntry = fileURLToPath(
  new URL('./runtime/node_modules/aws-lambda-ric/index.mjs', import.meta.url),
);

/** True once `npm run test:lambda` (or `npm install --prefix test/lambda/runtime`) has built the runtime. */
export function ricInstalled(): boolean {
  return (
    existsSync(ricEntry) &&
    existsSync(new URL('./runtime/node_modules/aws-lambda-ric/rapid-client.node', import.meta.url))
  );
}

export interface EnvironmentOptions {
  /** The unpacked artifact, `/var/task` on Lambda. */
  taskRoot: string;
  /** `FILE.EXPORT`, as in the function's configuration. @default 'index.handler' */
  handler?: string;
  /** The function's environment variables. */
  env?: Record<string, string>;
}

export interface Environment {
  readonly api: RuntimeApi;
  /** Sends an event and resolves with the function's answer. */
  invoke(event: unknown, options?: { timeoutMs?: number }): Promise<Invocation>;
  /** Resolves when the runtime reports a failed init (`POST /runtime/init/error`). */
  readonly initError: Promise<LambdaError>;
  /** Resolves with the exit code when the runtime process ends. */
  readonly exited: Promise<number | null>;
  /** From the process start to its first poll for work: the init, as Lambda's "Init Duration". */
  initMs(): number | undefined;
  /** What the runtime and the function wrote (Lambda sends it to CloudWatch Logs). */
  logs(): string;
  stop(): Promise<void>;
}

/** The variables Lambda sets in every execution environment, then the function's own. */
function lambdaEnv(api: RuntimeApi, options: EnvironmentOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_LAMBDA_RUNTIME_API: api.address,
    _HANDLER: options.handler ?? 'index.handler',
    LAMBDA_TASK_ROOT: options.taskRoot,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_LAMBDA_FUNCTION_NAME: 'orders',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/orders',
    AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${api.address.replace(/\W/g, '')}`,
    AWS_REGION: 'eu-west-1',
    ...options.env,
  };
}

/** Starts the Runtime API server and the runtime process; the init starts at once, as on Lambda. */
export async function startEnvironment(options: EnvironmentOptions): Promise<Environment> {
  if (!ricInstalled()) {
    throw new Error(
      'aws-lambda-ric is not built: run `npm run test:lambda` (it installs test/lambda/runtime)',
    );
  }
  const api = await RuntimeApi.start();
  const startedAt = performance.now();
  const child = spawn(process.execPath, [ricEntry], {
    cwd: options.taskRoot,
    env: lambdaEnv(api, options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      api.abandon(`the runtime process exited (code ${code})`);
      resolve(code);
    });
  });
  return {
    api,
    invoke: (event, invokeOptions) => api.invoke(event, invokeOptions),
    initError: api.initError,
    exited,
    initMs: () => (api.firstPollAt === undefined ? undefined : api.firstPollAt - startedAt),
    logs: () => output,
    stop: () => stop(child, exited, api),
  };
}

async function stop(child: ChildProcess, exited: Promise<unknown>, api: RuntimeApi): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
  await api.close();
}
