import type { SourceContext } from '../../types.js';

/**
 * The time budget of one load of a remote layer: it ends at `timeoutMs` or at the pipeline's
 * deadline (the Lambda deadline, less a margin), whichever comes first. One AbortSignal fires then;
 * `remaining()` tells the retry loop how long it may still wait. `raceAbort` (../../abort.ts) stops
 * waiting at once even when the work ignores the signal (a mocked client, a body that never ends).
 */

/** A load's time budget. */
export interface Budget {
  /** Fires when the budget ends; pass it on to every request. */
  readonly signal: AbortSignal;
  /** Milliseconds left (0 once it ended). */
  remaining(): number;
  /** Why the signal fired, in words (`no answer within 3000 ms (timeoutMs)`); empty while it has not. */
  reason(): string;
  dispose(): void;
}

/** Starts the budget of one load: `timeoutMs`, within the pipeline's signal and deadline. */
export function startBudget(
  ctx: Pick<SourceContext, 'signal' | 'deadline'> | undefined,
  timeoutMs: number,
): Budget {
  const parent = ctx?.signal;
  const controller = new AbortController();
  // timeoutMs on the monotonic clock (a wall clock set back or forward does not stretch it), the
  // pipeline's deadline on the wall clock it is given in.
  const ends = performance.now() + timeoutMs;
  const lambdaDeadline = ctx?.deadline;
  let why = '';
  const abort = (reason: string) => {
    if (controller.signal.aborted) return;
    why = reason;
    controller.abort(new Error(reason));
  };
  const timer = setTimeout(() => abort(`no answer within ${timeoutMs} ms (timeoutMs)`), timeoutMs);
  const onParent = () => abort('stopped before the Lambda deadline');
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    remaining() {
      if (controller.signal.aborted) return 0;
      const own = ends - performance.now();
      const lambda = lambdaDeadline === undefined ? own : lambdaDeadline - Date.now();
      return Math.max(0, Math.min(own, lambda));
    },
    reason: () => why,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
