import { tsImport } from 'tsx/esm/api';

/**
 * Execution environments of the bundled function, from the harness in test/lambda: under
 * aws-lambda-ric (one process each) when `npm run test:lambda` has built it, else in this process.
 */
export async function harness({ inProcess }) {
  const ric = await tsImport('../../test/lambda/environment.ts', import.meta.url);
  const local = await tsImport('../../test/lambda/in-process.ts', import.meta.url);
  const useRic = !inProcess && ric.ricInstalled();
  return {
    ric: useRic,
    /** Starts one environment and invokes it once: `{ cold, coldMs, initMs, invoke, stop }` or `{ initError }`. */
    start: (task, env, event) =>
      useRic ? underRic(ric, task, env, event) : inThisProcess(local, task, env, event),
  };
}

async function underRic(ric, task, env, event) {
  const environment = await ric.startEnvironment({ taskRoot: task.dir, env });
  const exited = environment.exited.then(() => ({
    errorType: 'Runtime.ExitError',
    errorMessage: environment.logs(),
  }));
  const failed = Promise.race([environment.initError, exited]).then((initError) => ({ initError }));
  const ready = environment.invoke(event).then(
    (cold) => ({ cold }),
    () => failed,
  );
  const first = await Promise.race([failed, ready]);
  if (first.initError) {
    await environment.stop();
    // What the function logged (CloudWatch Logs on Lambda): strataconf's warnings.
    for (const line of environment.logs().split('\n'))
      if (line.includes('[strataconf]')) console.log(`   log: ${line}`);
    return first;
  }
  // The event waits from the start, so the cold invocation is the init, then the handler.
  const initMs = environment.initMs() ?? 0;
  return {
    cold: first.cold,
    coldMs: initMs + first.cold.durationMs,
    initMs,
    invoke: (next) => environment.invoke(next),
    stop: environment.stop,
  };
}

async function inThisProcess(local, task, env, event) {
  Object.assign(process.env, env);
  try {
    const fn = await local.loadInProcess(task.file);
    const cold = await fn.invoke(event);
    return {
      cold,
      coldMs: fn.initMs + cold.durationMs,
      initMs: fn.initMs,
      invoke: fn.invoke,
      stop: async () => {},
    };
  } catch (err) {
    return { initError: local.formatError(err) };
  }
}
