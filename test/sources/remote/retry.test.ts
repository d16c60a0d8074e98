import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBudget } from '../../../src/sources/remote/budget.js';
import { classify } from '../../../src/sources/remote/failure.js';
import {
  retriesOf,
  retrying,
  SINGLE_PASS,
  shortWait,
  throttleWait,
} from '../../../src/sources/remote/retry.js';

/**
 * The retry schedule of remote layers, pinned with fake timers: throttling is retried for as long as
 * the load's budget allows, with decorrelated jitter from 0.8 s (the first wait is 0.8 to 2.4 s),
 * capped at 5 s; other transient failures get short retries (full jitter over 100 ms, then 200 ms)
 * counted per load; a wait the budget cannot hold gives up at once, naming the throttling.
 */

const policy = retriesOf(3);

/** An AWS throttling answer, as both paths throw it. */
const throttled = (retryAfterMs?: number) =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
const serverError = () =>
  Object.assign(new Error('boom'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });

/** An operation that fails with `errors` in turn, then answers `ok`; it records when each call came. */
function flaky(errors: Error[]) {
  const calls: number[] = [];
  const start = Date.now();
  const op = async () => {
    calls.push(Date.now() - start);
    const next = errors.shift();
    if (next) throw next;
    return 'ok';
  };
  return { op, calls };
}

/**
 * Moves the fake clock on, 10 ms at a time, until `work` settles (never past it, so the budget's own
 * timer does not fire after the work is done), and returns its outcome.
 */
async function run<T>(work: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let outcome: { value?: T; error?: unknown } | undefined;
  work.then(
    (value) => {
      outcome = { value };
    },
    (error: unknown) => {
      outcome = { error };
    },
  );
  for (let waited = 0; outcome === undefined && waited < 60_000; waited += 10) {
    await vi.advanceTimersByTimeAsync(10);
  }
  return outcome ?? { error: new Error('did not settle within 60 s') };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the waits', () => {
  it('waits after a throttle between 0.8 s and three times the last wait (the first: up to 2.4 s), capped at 5 s', () => {
    expect(throttleWait(policy, 0, () => 0)).toBe(800);
    expect(throttleWait(policy, 0, () => 0.5)).toBe(1600);
    expect(throttleWait(policy, 0, () => 0.999999)).toBe(2399);
    expect(throttleWait(policy, 1000, () => 0)).toBe(800);
    expect(throttleWait(policy, 1000, () => 0.999999)).toBe(2999);
    expect(throttleWait(policy, 4000, () => 0.999999)).toBe(5000);
  });

  it('waits before a short retry up to 100 ms, then up to 200 ms, never more than 2 s', () => {
    expect(shortWait(policy, 1, () => 0.999999)).toBe(99);
    expect(shortWait(policy, 2, () => 0.999999)).toBe(199);
    expect(shortWait(policy, 10, () => 0.999999)).toBe(1999);
    expect(shortWait(policy, 1, () => 0)).toBe(0);
  });
});

describe('retrying', () => {
  it('retries a throttle for as long as the budget allows, not a fixed 3 attempts', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const budget = startBudget(undefined, 15_000);
    const { op, calls } = flaky([throttled(), throttled(), throttled(), throttled()]);
    const { value } = await run(retrying(op, budget, policy));
    expect(value).toBe('ok');
    // 1.6 s (between 0.8 and 2.4), 2.8 s (0.8 to 4.8), 4.6 s (0.8 to 8.4), then 5 s (the cap).
    expect(calls).toEqual([0, 1600, 4400, 9000, 14000]);
    budget.dispose();
  });

  it('gives up at once, naming the throttle, when the next wait would outlast the budget', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const budget = startBudget(undefined, 3000);
    const { op, calls } = flaky(Array.from({ length: 10 }, () => throttled()));
    const { error } = await run(retrying(op, budget, policy));
    expect(calls).toEqual([0, 1600]);
    expect(error).toMatchObject({ name: 'ThrottlingException', waitBeyondBudgetMs: 2800 });
    expect(classify(error).reason).toBe(
      'throttled by the store (ThrottlingException, HTTP 400) after 2 attempts; the next attempt would have waited 2.8 s, beyond the time left (timeoutMs, or the Lambda deadline)',
    );
    expect(budget.reason()).toBe('');
    expect(budget.remaining()).toBeGreaterThan(0);
    budget.dispose();
  });

  it('honours a Retry-After longer than its own wait, and gives up at once when it is longer than the time left', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const budget = startBudget(undefined, 3000);
    const { op, calls } = flaky([throttled(1500), throttled(5000)]);
    const { error } = await run(retrying(op, budget, policy));
    expect(calls).toEqual([0, 1500]);
    expect(error).toMatchObject({ waitBeyondBudgetMs: 5000, $metadata: { attempts: 2 } });
    budget.dispose();
  });

  it('keeps short retries for a 5xx: three attempts per load, shared by every call of the load', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const budget = startBudget(undefined, 10_000);
    const first = flaky([serverError()]);
    expect((await run(retrying(first.op, budget, policy))).value).toBe('ok');
    expect(first.calls).toEqual([0, 50]);
    // The second page of the same load has one retry left, not three.
    const second = flaky([serverError(), serverError(), serverError()]);
    const { error } = await run(retrying(second.op, budget, policy));
    expect(second.calls).toEqual([0, 100]);
    expect(error).toMatchObject({ name: 'InternalServerError', $metadata: { attempts: 2 } });
    budget.dispose();
  });

  it('starts the backoff afresh on the next page once the store answered', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const budget = startBudget(undefined, 15_000);
    const page1 = flaky([throttled(), throttled()]);
    await run(retrying(page1.op, budget, policy));
    expect(page1.calls).toEqual([0, 1600, 4400]);
    // Not 4.6 s (three times the last wait): the first wait again.
    const page2 = flaky([throttled()]);
    await run(retrying(page2.op, budget, policy));
    expect(page2.calls).toEqual([0, 1600]);
    budget.dispose();
  });

  it('does not retry an authoritative answer', async () => {
    vi.useFakeTimers();
    const budget = startBudget(undefined, 10_000);
    const denied = Object.assign(new Error('no'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const { op, calls } = flaky([denied]);
    expect((await run(retrying(op, budget, policy))).error).toBe(denied);
    expect(calls).toEqual([0]);
    budget.dispose();
  });

  it("makes one pass for a caller's own client, throttled or not (its own retry strategy applies)", async () => {
    vi.useFakeTimers();
    const budget = startBudget(undefined, 10_000);
    const { op, calls } = flaky([throttled()]);
    expect((await run(retrying(op, budget, SINGLE_PASS))).error).toMatchObject({
      name: 'ThrottlingException',
    });
    expect(calls).toEqual([0]);
    budget.dispose();
  });

  it('gives up at once when the wait would end exactly at the deadline', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const budget = startBudget({ signal: new AbortController().signal, deadline: Date.now() + 3000 }, 10_000);
    // The store asks for 3 s, exactly the time left: a retry then would have no time for its answer.
    const { op, calls } = flaky([throttled(3000)]);
    const { error } = await run(retrying(op, budget, policy));
    expect(calls).toEqual([0]);
    expect(error).toMatchObject({ name: 'ThrottlingException', waitBeyondBudgetMs: 3000 });
    budget.dispose();
  });

  it('stops a wait at once when the load is stopped during it, and sends nothing more', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const pipeline = new AbortController();
    const budget = startBudget({ signal: pipeline.signal }, 10_000);
    const { op, calls } = flaky([throttled(), throttled()]);
    const start = Date.now();
    let stoppedAt: number | undefined;
    const work = retrying(op, budget, policy);
    work.catch(() => {
      stoppedAt = Date.now() - start;
    });
    // The pipeline stops the load (the Lambda deadline) 0.5 s into the first wait (1.6 s).
    setTimeout(() => pipeline.abort(), 500);
    const { error } = await run(work);
    expect(calls).toEqual([0]);
    expect(stoppedAt).toBe(500);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('stopped before the Lambda deadline');
    budget.dispose();
  });

  it('records on the error how many attempts were made and how long they waited, as the SDK does', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const budget = startBudget(undefined, 10_000);
    const { op, calls } = flaky([serverError(), serverError(), serverError()]);
    const { error } = await run(retrying(op, budget, policy));
    // Waits of 50 ms (up to 100) and 100 ms (up to 200).
    expect(calls).toEqual([0, 50, 150]);
    expect(error).toMatchObject({
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500, attempts: 3, totalRetryDelay: 150 },
    });
    budget.dispose();
  });

  it.each([
    ['a string', 'socket hang up'],
    ['null', null],
    ['undefined', undefined],
  ])(
    'rethrows what a client threw as it came when it is not an object (%s): nothing wrapped, no TypeError',
    async (_what, thrown) => {
      vi.useFakeTimers();
      const budget = startBudget(undefined, 10_000);
      const failing = async (): Promise<string> => {
        throw thrown;
      };
      const outcome = await run(retrying(failing, budget, policy));
      expect(Object.hasOwn(outcome, 'error')).toBe(true);
      expect(outcome.error).toBe(thrown);
      budget.dispose();
    },
  );

  it("removes each wait's listener when the wait ends: many retries in one load raise no MaxListenersExceededWarning", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const budget = startBudget(undefined, 60_000);
      // Twelve throttles, each followed by a wait of 0.8 s: all within the budget.
      const { op, calls } = flaky(Array.from({ length: 12 }, () => throttled()));
      expect((await run(retrying(op, budget, policy))).value).toBe('ok');
      expect(calls).toHaveLength(13);
      // Node emits the warning on the next tick after the listener that passes the limit.
      await new Promise((resolve) => process.nextTick(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      budget.dispose();
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('stops waiting when the Lambda deadline ends the budget first', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const lambda = new AbortController();
    const budget = startBudget({ signal: lambda.signal, deadline: Date.now() + 2000 }, 10_000);
    const { op, calls } = flaky([throttled(), throttled()]);
    const { error } = await run(retrying(op, budget, policy));
    // The first wait (1.6 s) fits before the deadline; the second (2.8 s) does not.
    expect(calls).toEqual([0, 1600]);
    expect(error).toMatchObject({ waitBeyondBudgetMs: 2800 });
    budget.dispose();
  });
});
