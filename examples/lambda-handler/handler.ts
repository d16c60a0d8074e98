import type { Context } from 'aws-lambda';
import { type OrderEvent, type OrderResult, takeOrder } from './app.js';
import { config, dbSecretSource } from './config.js';
import { AuthenticationError, connect, type Session } from './db.js';

// Load during init (top-level await): a config that does not add up fails the init, which Lambda
// reports as an init error and never routes a request to, instead of failing the first request.
let current = await config.load();
let loads = 1;
// Every new config (a reload after maxAge that changed something, a recovered layer, a refresh).
// A function with a connection pool would end it here when `paths` touch `db`.
config.onChange(() => {
  loads++;
});

/**
 * Logs in with the config's credentials. When the database refuses the password (rotated since the
 * secret was read), the secret's layer is read again, only it, once, and the login retried.
 */
async function login(context: Context): Promise<Session> {
  try {
    return await connect(current.db);
  } catch (err) {
    if (!(err instanceof AuthenticationError) || dbSecretSource === undefined) throw err;
    current = await config.refresh({ sources: [dbSecretSource], context });
    return await connect(current.db);
  }
}

/** The order-taking function: `index.handler` in the bundle. */
export const handler = async (
  event: OrderEvent,
  context: Context,
): Promise<OrderResult & { configLoads: number }> => {
  // Warm and within maxAge: the cached, frozen object, no I/O. After maxAge: a reload bounded by
  // the invocation's remaining time; the same object again when no layer changed.
  current = await config.load({ context });
  await login(context);
  return { ...takeOrder(event, current), configLoads: loads };
};
