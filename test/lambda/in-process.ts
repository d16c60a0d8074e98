import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { Invocation, LambdaError } from './runtime-api.js';

/**
 * The light harness: the bundle imported once into this process (its init), then invoked again and
 * again with a Lambda-like context, as a warm execution environment would. Each `loadInProcess` imports
 * a new copy of the module, so each is a new environment with its own cache.
 */

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface InProcessFunction {
  /** How long the import took: the init, its top-level config load included. */
  initMs: number;
  invoke(event: unknown, options?: { timeoutMs?: number }): Promise<Invocation>;
}

let copies = 0;

/** How a runtime reports an error: its name as `errorType`, its message as `errorMessage`. */
export function formatError(err: unknown): LambdaError {
  return err instanceof Error
    ? { errorType: err.name, errorMessage: err.message }
    : { errorType: typeof err, errorMessage: String(err) };
}

function fakeContext(requestId: string, deadline: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'orders',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/orders',
    logStreamName: 'in-process',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * Imports `file` (the init) and returns the function; an init that throws rejects with that error.
 * The environment variables the function reads must be set before, and stay set while it runs.
 */
export async function loadInProcess(file: string, handlerName = 'handler'): Promise<InProcessFunction> {
  const started = performance.now();
  const module = (await import(`${pathToFileURL(file).href}?environment=${++copies}`)) as Record<
    string,
    unknown
  >;
  const initMs = performance.now() - started;
  const handler = module[handlerName] as Handler | undefined;
  if (typeof handler !== 'function') throw new Error(`${file} does not export ${handlerName}`);
  return {
    initMs,
    async invoke(event, { timeoutMs = 30_000 } = {}) {
      const requestId = randomUUID();
      const begin = performance.now();
      let outcome: Invocation['outcome'];
      try {
        // A JSON round trip, as the event and the result travel through the Runtime API.
        const result = await handler(
          JSON.parse(JSON.stringify(event)),
          fakeContext(requestId, Date.now() + timeoutMs),
        );
        outcome = { ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
      } catch (err) {
        outcome = { ok: false, error: formatError(err) };
      }
      const durationMs = performance.now() - begin;
      return { requestId, outcome, durationMs, totalMs: durationMs };
    },
  };
}
