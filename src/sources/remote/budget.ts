/**
 * The time limit of a remote layer's load: one AbortSignal that fires at `timeoutMs` or when the pipeline's
 * signal (the Lambda deadline) fires, whichever comes first. `raceAbort` (../abort.ts) stops waiting
 * at once even when the work ignores it (a mocked client, a body stream that never ends).
 */

/** A signal with a reason a person can read, and a `dispose` that clears the timer. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Why the signal fired, for the warning; empty while it has not. */
  reason(): string;
  dispose(): void;
}

export function startDeadline(parent: AbortSignal | undefined, timeoutMs: number): Deadline {
  const controller = new AbortController();
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
    reason: () => why,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
