import type { Budget } from './budget.js';
import { classify } from './failure.js';

/**
 * The one retry loop of remote layers. The light transport and the AWS SDK clients strataconf
 * creates each make one attempt per call; this loop decides whether and when to send again, from the
 * failure table (failure.ts), within the load's time budget. A caller's own SDK client keeps its
 * own retry strategy and gets one pass here.
 *
 * Two schedules, because the two kinds of failure pass in different ways:
 * - Throttling (the store's rate limit: SSM shares 40 requests a second per account and region) is
 *   retried for as long as the budget allows, with capped exponential backoff and decorrelated
 *   jitter: the first wait is between 0.8 and 2.4 s, each later one between 0.8 s and three times
 *   the last, at most 5 s. A rate-limited store needs time to refill, and a fleet of cold starts
 *   that all come back after tens of milliseconds only throttles itself again. Decorrelated jitter
 *   spreads the fleet's retries with fewer requests per environment than full or equal jitter; the
 *   base was picked from bench/fleet (see BENCHMARKS.md): lower bases sent more requests than the
 *   AWS SDK does, higher ones got fewer environments their config in time.
 * - Other transient failures (a 5xx, a dropped connection) keep short retries: a few attempts per
 *   load, full jitter over 100 ms, then 200 ms.
 * Both share the load's budget: the pages of an SSM path draw on one budget and one attempt count,
 * not a fresh set per page. A wait the budget cannot hold (a `Retry-After` of 5 s with 1 s left)
 * gives up at once, naming the throttling, instead of sleeping into a timeout.
 */

/** How a store retries within one load. */
export interface RetryPolicy {
  /** Attempts per load for transient failures other than throttling (5xx, network), the first included. */
  attempts: number;
  /** The first short retry waits up to this long (full jitter); each later one up to twice as long. */
  baseMs: number;
  /** No short retry waits longer than this. */
  capMs: number;
  /** Whether throttling is retried until the budget ends (false: a caller's client, one pass). */
  throttleRetries: boolean;
  /** The shortest wait after a throttle; the first is between this and three times it. */
  throttleBaseMs: number;
  /** No wait after a throttle is longer than this (a store's `Retry-After` excepted). */
  throttleCapMs: number;
  /** The longest `Retry-After` honoured. */
  retryAfterCapMs: number;
}

/** One pass, for a caller's client: its own retry strategy applies inside `send`. */
export const SINGLE_PASS: RetryPolicy = {
  attempts: 1,
  baseMs: 0,
  capMs: 0,
  throttleRetries: false,
  throttleBaseMs: 400,
  throttleCapMs: 0,
  retryAfterCapMs: 0,
};

/** The retries of the requests strataconf sends itself, with `attempts` short retries per load. */
export function retriesOf(attempts: number): RetryPolicy {
  return {
    attempts,
    baseMs: 100,
    capMs: 2000,
    throttleRetries: true,
    throttleBaseMs: 800,
    throttleCapMs: 5000,
    retryAfterCapMs: 20_000,
  };
}

/** What one load has spent: short retries so far, and the last wait after a throttle. */
interface Spent {
  retries: number;
  throttleWait: number;
}

// Per load (per budget), so the pages of one read share one count and one backoff.
const spentBy = new WeakMap<Budget, Spent>();

function spentOf(budget: Budget): Spent {
  let spent = spentBy.get(budget);
  if (spent === undefined) {
    spent = { retries: 0, throttleWait: 0 };
    spentBy.set(budget, spent);
  }
  return spent;
}

/** The wait before a short retry: full jitter over a window that doubles with each retry. */
export function shortWait(policy: RetryPolicy, retry: number, random = Math.random): number {
  const window = Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));
  return Math.floor(random() * window);
}

/**
 * The wait after a throttle (decorrelated jitter): between the base and three times the last wait,
 * capped. The first is between the base and three times the base.
 */
export function throttleWait(policy: RetryPolicy, last: number, random = Math.random): number {
  const low = policy.throttleBaseMs;
  const high = Math.max(low, (last || low) * 3);
  return Math.min(policy.throttleCapMs, Math.floor(low + random() * (high - low)));
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
function counted(err: unknown, attempts: number, totalRetryDelay: number, extra: object = {}): unknown {
  if (typeof err !== 'object' || err === null) return err;
  const meta = (err as { $metadata?: { attempts?: number; totalRetryDelay?: number } }).$metadata;
  if ((meta?.attempts ?? 0) < attempts) {
    Object.assign(err, { $metadata: { ...meta, attempts, totalRetryDelay } });
  }
  return Object.assign(err, extra);
}

/** The wait before the next attempt, or `undefined` when the policy says to stop. */
function nextWait(
  failure: ReturnType<typeof classify>,
  policy: RetryPolicy,
  spent: Spent,
): number | undefined {
  if (!failure.retryable) return undefined;
  let wait: number;
  if (failure.kind === 'throttled') {
    if (!policy.throttleRetries) return undefined;
    wait = throttleWait(policy, spent.throttleWait);
    spent.throttleWait = wait;
  } else {
    if (spent.retries + 1 >= policy.attempts) return undefined;
    spent.retries++;
    wait = shortWait(policy, spent.retries);
  }
  return Math.max(wait, Math.min(failure.retryAfterMs ?? 0, policy.retryAfterCapMs));
}

/**
 * Runs `op` until it succeeds, fails for good, the policy stops, or the budget ends. A failure is
 * rethrown as it came (with `$metadata.attempts`), so the store still sees its own error names (an
 * AppConfig token to renew, S3's "not modified"). When the next wait would outlast the budget, it
 * gives up at once with `waitBeyondBudgetMs` on the error (the wait it would have needed).
 */
export async function retrying<T>(
  op: (signal: AbortSignal) => Promise<T>,
  budget: Budget,
  policy: RetryPolicy,
): Promise<T> {
  const spent = spentOf(budget);
  let totalRetryDelay = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await op(budget.signal);
      // An answer means the store let us through: the next page's first throttle waits afresh.
      spent.throttleWait = 0;
      return answer;
    } catch (err) {
      if (budget.signal.aborted) throw counted(err, attempt, totalRetryDelay);
      const wait = nextWait(classify(err), policy, spent);
      if (wait === undefined) throw counted(err, attempt, totalRetryDelay);
      if (wait >= budget.remaining())
        throw counted(err, attempt, totalRetryDelay, { waitBeyondBudgetMs: wait });
      totalRetryDelay += wait;
      await sleep(wait, budget.signal);
    }
  }
}
