/**
 * Time limits for an S3 load: one AbortSignal that fires at `timeoutMs` or when the pipeline's signal
 * (the Lambda deadline) fires, whichever comes first, and a race that stops waiting at once even when
 * the work ignores the signal (a mocked client, a body stream that never ends).
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

/** `work`, or a rejection as soon as `signal` fires (then `onAbort` runs, to release what `work` holds). */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal, onAbort?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(signal.reason);
    };
    if (signal.aborted) {
      work.catch(() => {});
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
