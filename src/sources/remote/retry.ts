import type { Budget } from './budget.js';
import { classify } from './failure.js';

/**
 * The one retry loop of remote layers. The light transport and the AWS SDK clients strataconf
 * creates each make one attempt per call; this loop decides whether and when to send again, from the
 * failure table (failure.ts), within the load's time budget. A caller's own SDK client keeps its
 * own retry strategy and gets one pass here.
 */

/** How a store retries within one load. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first retry waits up to this long (full jitter); each later one up to twice as long. */
  baseMs: number;
  /** No wait is longer than this (a store's `Retry-After` excepted, up to `retryAfterCapMs`). */
  capMs: number;
  /** The longest `Retry-After` honoured; the budget may end the wait sooner. */
  retryAfterCapMs: number;
}

/** One pass, for a caller's client: its own retry strategy applies inside `send`. */
export const SINGLE_PASS: RetryPolicy = { attempts: 1, baseMs: 0, capMs: 0, retryAfterCapMs: 0 };

/** The retries of the requests strataconf sends itself, per store. */
export function retriesOf(attempts: number): RetryPolicy {
  return { attempts, baseMs: 100, capMs: 2000, retryAfterCapMs: 20_000 };
}

/** Waits `ms`, or rejects with the budget's reason when it ends first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** Records the attempts on the error the way the SDK does (`$metadata.attempts`), keeping a larger count. */
function countAttempts(err: unknown, attempts: number, totalRetryDelay: number): unknown {
  if (typeof err !== 'object' || err === null) return err;
  const meta = (err as { $metadata?: { attempts?: number; totalRetryDelay?: number } }).$metadata;
  if ((meta?.attempts ?? 0) >= attempts) return err;
  Object.assign(err, { $metadata: { ...meta, attempts, totalRetryDelay } });
  return err;
}

/** The wait before attempt `attempt + 1`: full jitter over a doubling window, or the store's `Retry-After`. */
export function backoff(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number {
  const window = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  const jitter = Math.floor(Math.random() * window);
  return Math.max(jitter, Math.min(retryAfterMs ?? 0, policy.retryAfterCapMs));
}

/**
 * Runs `op` until it succeeds, fails for good, uses up `policy.attempts`, or the budget ends.
 * A failure is rethrown as it came (with `$metadata.attempts`), so the store still sees its own
 * error names (an AppConfig token to renew, S3's "not modified").
 */
export async function retrying<T>(
  op: (signal: AbortSignal) => Promise<T>,
  budget: Budget,
  policy: RetryPolicy,
): Promise<T> {
  let totalRetryDelay = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(budget.signal);
    } catch (err) {
      if (budget.signal.aborted || attempt >= policy.attempts) {
        throw countAttempts(err, attempt, totalRetryDelay);
      }
      const failure = classify(err);
      if (!failure.retryable) throw countAttempts(err, attempt, totalRetryDelay);
      const wait = backoff(policy, attempt, failure.retryAfterMs);
      totalRetryDelay += wait;
      await sleep(wait, budget.signal);
    }
  }
}
