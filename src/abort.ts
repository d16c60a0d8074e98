/**
 * Waiting on work that may ignore an AbortSignal (a user-written source, a mocked client, a body
 * stream that never ends): the pipeline's Lambda deadline and the S3 layer's timeout both use it.
 */

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
