import { defineConfig, fromObject, type LambdaContextLike, resetConfigCache, type Source } from 'strataconf';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { definition, lambdaHandler, type schema } from './handler.js';
import { type ContextWithConfig, strataconfMiddleware } from './middleware.js';

type FakeContext = LambdaContextLike & { awsRequestId: string };

/** A Lambda context as middy hands it to its hooks (only what the middleware reads). */
function lambdaContext(remainingMs = 3000): FakeContext {
  const deadline = Date.now() + remainingMs;
  return { awsRequestId: 'req-1', getRemainingTimeInMillis: () => deadline - Date.now() };
}

/** What middy does for one invocation: the `before` hooks, then the handler with the same context. */
async function invoke(event: { name: string }, context: FakeContext = lambdaContext()) {
  const request = { event, context };
  await strataconfMiddleware(definition).before(request);
  // What a middy handler declares its context to be once this middleware ran.
  const withConfig = request.context as ContextWithConfig<typeof schema, FakeContext>;
  return { context: withConfig, result: await lambdaHandler(event, withConfig) };
}

beforeEach(() => {
  resetConfigCache();
  vi.stubEnv('APP_DB__HOST', 'db.internal');
});

describe('strataconfMiddleware', () => {
  it('puts the validated config on context.config before the handler runs', async () => {
    const { context, result } = await invoke({ name: 'Ada' });
    expect(result).toEqual({ message: 'hello, Ada', db: 'db.internal:5432' });
    expect(context.awsRequestId).toBe('req-1');
    expect(Object.isFrozen(context.config)).toBe(true);
  });

  it.each([2999, 1234.5])(
    'loads with whatever remaining time the context reports (%s ms)',
    async (remaining) => {
      const context = { awsRequestId: 'req-2', getRemainingTimeInMillis: () => remaining };
      expect((await invoke({ name: 'Ada' }, context)).result.db).toBe('db.internal:5432');
    },
  );

  it('hands a warm invocation the same config object, without loading again', async () => {
    const first = await invoke({ name: 'Ada' });
    vi.stubEnv('APP_DB__HOST', 'changed.internal');
    const second = await invoke({ name: 'Grace' });
    expect(second.context.config).toBe(first.context.config);
    expect(second.result.db).toBe('db.internal:5432');
  });

  it('rejects with the ConfigError when the config does not load, so middy runs onError', async () => {
    vi.stubEnv('APP_DB__HOST', undefined);
    await expect(invoke({ name: 'Ada' })).rejects.toMatchObject({
      code: 'OVERRIDE_MISSING',
      message: expect.stringContaining('db.host: Set db.host per stage: APP_DB__HOST'),
    });
  });

  it("bounds the load by the invocation's remaining time", async () => {
    const hanging: Source = {
      name: 'slow-parameter-store',
      load: ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    };
    const slow = defineConfig({
      schema: z.object({ a: z.number() }),
      sources: [fromObject({ a: 1 }), hanging],
    });
    const request = { context: lambdaContext(300) };
    // The source never settles: had the deadline not stopped the wait, the test would time out.
    await expect(strataconfMiddleware(slow).before(request)).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      details: { source: 'slow-parameter-store', reason: 'Lambda deadline' },
    });
  });
});
