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
    /** Why the function runs in this process, when it does. */
    inProcessBecause: useRic
      ? undefined
      : inProcess
        ? '--in-process'
        : 'aws-lambda-ric is not built: `npm run test:lambda` builds it, then the demo runs the function under it',
    /**
     * Starts one environment and invokes it once: `{ cold, coldMs, initMs, invoke, stop }`, or
     * `{ initError, logs }` with the strataconf lines the function logged during the failed init.
     */
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
    return { ...first, logs: strataconfLines(environment.logs().split('\n')) };
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

/** The lines of a function's log that strataconf wrote. */
function strataconfLines(lines) {
  return lines.filter((line) => line.includes('[strataconf]'));
}

/**
 * Runs `fn` with what the function writes through console.warn kept in `logs` (its CloudWatch Logs
 * on Lambda) instead of this process's stderr, where it would break the demo's indented output.
 */
async function logging(logs, fn) {
  const warn = console.warn;
  console.warn = (...args) => logs.push(args.map(String).join(' '));
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

async function inThisProcess(local, task, env, event) {
  Object.assign(process.env, env);
  const logs = [];
  try {
    const fn = await logging(logs, () => local.loadInProcess(task.file));
    const cold = await logging(logs, () => fn.invoke(event));
    return {
      cold,
      coldMs: fn.initMs + cold.durationMs,
      initMs: fn.initMs,
      invoke: (next) => logging(logs, () => fn.invoke(next)),
      stop: async () => {},
    };
  } catch (err) {
    return { initError: local.formatError(err), logs: strataconfLines(logs) };
  }
}
