import type { ConfigDefinition, ConfigOf, LambdaContextLike } from 'strataconf';
import type { ZodType } from 'zod';

/**
 * A middy middleware that loads a strataconf definition before the handler runs and puts the
 * config on `context.config`. Neither strataconf nor this file imports middy: the object returned
 * has the shape of middy's `MiddlewareObj` (a `before` hook that receives the request), so
 * `middy(handler).use(strataconfMiddleware(definition))` accepts it. Copy this file into your project.
 */

/** The handler's context once the middleware ran: the Lambda context plus the loaded, frozen config. */
export type ContextWithConfig<
  S extends ZodType | undefined,
  C extends LambdaContextLike = LambdaContextLike,
> = C & {
  readonly config: ConfigOf<S>;
};

/** The part of middy's request the hook uses: the Lambda context of the invocation. */
export interface RequestWithContext {
  context: LambdaContextLike;
}

/**
 * The middleware: each invocation's `before` hook loads the config (a cached object, no I/O, on a
 * warm invocation; a reload after `maxAge`) with the invocation's context, so a slow source gives up
 * before the Lambda deadline. A config that fails to load rejects the hook: middy then runs the
 * `onError` hooks and the invocation fails with the `ConfigError`.
 *
 * @example
 * ```ts
 * const lambdaHandler = async (event: OrderEvent, context: ContextWithConfig<typeof schema, Context>) =>
 *   takeOrder(event, context.config);
 * export const handler = middy(lambdaHandler).use(strataconfMiddleware(definition));
 * ```
 */
export function strataconfMiddleware<S extends ZodType | undefined>(
  definition: ConfigDefinition<S>,
): { before: (request: RequestWithContext) => Promise<void> } {
  return {
    before: async (request) => {
      const config = await definition.load({ context: request.context });
      Object.assign(request.context, { config });
    },
  };
}
