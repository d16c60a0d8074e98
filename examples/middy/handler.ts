import { defineConfig, fromEnv, fromFile, type LambdaContextLike } from 'strataconf';
import * as z from 'zod';
import type { ContextWithConfig } from './middleware.js';

/**
 * The function's config and its undecorated handler. With middy installed, the deployed handler is
 * `middy(lambdaHandler).use(strataconfMiddleware(definition))`; the test calls the `before` hook
 * and then `lambdaHandler`, as middy does, without installing middy.
 */

export const schema = z.object({
  db: z.object({ host: z.string().min(1), port: z.number().int() }),
  greeting: z.string(),
});

export const definition = defineConfig({
  schema,
  sources: [
    fromFile(new URL('./config.json5', import.meta.url), { name: 'config.json5' }),
    fromEnv({ prefix: 'APP_' }),
  ],
});

export const lambdaHandler = async (
  event: { name: string },
  context: ContextWithConfig<typeof schema, LambdaContextLike>,
) => {
  const { db, greeting } = context.config;
  return { message: `${greeting}, ${event.name}`, db: `${db.host}:${db.port}` };
};
