import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ConfigError,
  fromSsm,
  loadConfig,
  resetConfigCache,
  type SourceContext,
} from '../../../src/index.js';
import { lazySdk } from '../../../src/sources/remote/sdk.js';
import { remoteSource } from '../../../src/sources/remote/source.js';
import { captureWarnings } from '../../../src/testing.js';

/**
 * The lifecycle every remote layer shares (src/sources/remote/source.ts) and its time budget
 * (budget.ts), seen from `load(ctx)`: what a load that was stopped, or could not connect, says;
 * a reload that fails keeps the last good layer whoever calls it; and a load leaves nothing running.
 * The store is SSM through a caller's client (one pass, no retries), so nothing leaves the process.
 */

/** A caller's SSM client: `answer` for each call; records whether each call's signal had already fired. */
function client(answer: () => unknown) {
  const abortedAtSend: boolean[] = [];
  return {
    abortedAtSend,
    send: async (_command: object, opts?: { abortSignal?: AbortSignal }) => {
      abortedAtSend.push(opts?.abortSignal?.aborted === true);
      return answer();
    },
  };
}

const page = (host: string) => ({ Parameters: [{ Name: '/app/db/host', Type: 'String', Value: host }] });
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });
const ctx = (signal = new AbortController().signal): SourceContext => ({ signal, logger: captureWarnings() });

afterEach(() => {
  vi.useRealTimers();
  resetConfigCache();
});

describe('a load stopped by its context', () => {
  it('gives up at once when the signal it is given has already fired, naming the deadline: its request goes out already aborted', async () => {
    const c = client(() => page('h'));
    const stopped = new AbortController();
    stopped.abort();
    const err = (await fromSsm('/app/', { client: c, optional: false })
      .load(ctx(stopped.signal))
      .catch((e: unknown) => e)) as ConfigError;
    expect(err).toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: 'ssm:/app/ is unavailable: stopped before the Lambda deadline',
      details: { reason: 'stopped before the Lambda deadline', kind: 'timeout', transient: true },
    });
    // An SDK client given an aborted signal sends nothing.
    expect(c.abortedAtSend.every((aborted) => aborted)).toBe(true);
  });

  it('keeps the last good layer when its signal fires during a reload, naming the deadline', async () => {
    let answer: () => unknown = () => page('h');
    const source = fromSsm('/app/', { client: client(() => answer()) });
    const first = await source.load(ctx());
    const stopping = new AbortController();
    // The store does not answer; the signal fires while the request is out.
    answer = () => {
      stopping.abort();
      return new Promise(() => {});
    };
    const logger = captureWarnings();
    expect(await source.load({ signal: stopping.signal, logger })).toBe(first);
    expect(logger.warnings.map((w) => w.details)).toEqual([
      expect.objectContaining({ code: 'SOURCE_STALE', reason: 'stopped before the Lambda deadline' }),
    ]);
  });
});

describe('a load that cannot connect', () => {
  it('fails with the reason the connection gave (the SDK package missing), its cause the import error', async () => {
    const missing = lazySdk('@aws-sdk/client-not-installed-here');
    let fetched = false;
    const source = remoteSource({
      name: 'ssm:/app/',
      optional: false,
      descriptor: { store: 'ssm', path: '/app' },
      timeoutMs: 1000,
      errors: { service: 'SSM', byName: {}, deniedHint: 'the role needs ssm:GetParametersByPath' },
      connect: async () => missing(),
      fetch: async () => {
        fetched = true;
        return { layer: {} };
      },
    });
    const err = (await source.load(ctx()).catch((e: unknown) => e)) as ConfigError;
    expect(err).toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      details: {
        source: 'ssm:/app/',
        reason:
          '@aws-sdk/client-not-installed-here is not installed; add it with `npm install @aws-sdk/client-not-installed-here` (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
        kind: 'invalid',
        transient: false,
      },
    });
    expect((err.cause as { code?: string }).code).toMatch(/MODULE_NOT_FOUND$/);
    expect(fetched).toBe(false);
  });
});

describe('a load called by hand', () => {
  it('keeps the last good layer on a failed reload when the context has no logger', async () => {
    let down = false;
    const source = fromSsm('/app/', {
      client: client(() => {
        if (down) throw throttled();
        return page('h');
      }),
    });
    const noLogger = () => ({ signal: new AbortController().signal }) as SourceContext;
    const first = await source.load(noLogger());
    expect(first).toBeTypeOf('object');
    down = true;
    expect(await source.load(noLogger())).toBe(first);
  });

  it('loads, and keeps the last good layer on a failed reload, when called with no context at all', async () => {
    let down = false;
    const source = fromSsm('/app/', {
      client: client(() => {
        if (down) throw throttled();
        return page('h');
      }),
    });
    const first = await source.load(undefined as never);
    expect(first).toBeTypeOf('object');
    down = true;
    expect(await source.load(undefined as never)).toBe(first);
  });
});

describe('what a load leaves behind', () => {
  it('leaves no listener on the signal it was given: a caller passing one signal to every load raises no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const shutdown = new AbortController();
      const source = fromSsm('/app/', { client: client(() => page('h')) });
      for (let i = 0; i < 12; i++) await source.load({ signal: shutdown.signal, logger: captureWarnings() });
      // Node emits the warning on the next tick after the listener that passes the limit.
      await new Promise((resolve) => process.nextTick(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('leaves no timer running once it settles, answered or failed: a script exits when its config is read, not timeoutMs later', async () => {
    vi.useFakeTimers();
    let down = false;
    const c = client(() => {
      if (down) throw throttled();
      return page('h');
    });
    const sources = [fromSsm('/app/', { client: c, timeoutMs: 60_000 })];
    expect(await loadConfig({ sources })).toEqual({ db: { host: 'h' } });
    expect(vi.getTimerCount()).toBe(0);
    down = true;
    await loadConfig({ sources, logger: captureWarnings() });
    expect(vi.getTimerCount()).toBe(0);
  });
});
