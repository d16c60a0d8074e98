import type { Context } from 'aws-lambda';
import { type OrderEvent, type OrderResult, takeOrder } from './app.js';
import { config } from './config.js';

// Load during init (top-level await): a config that does not add up fails the init, which Lambda
// reports as an init error and never routes a request to, instead of failing the first request.
let current = await config.load();
let loads = 1;

/** The order-taking function: `index.handler` in the bundle. */
export const handler = async (
  event: OrderEvent,
  context: Context,
): Promise<OrderResult & { configLoads: number }> => {
  // Warm and within maxAge: the cached, frozen object, no I/O. After maxAge: a reload bounded by
  // the invocation's remaining time; the same object again when no layer changed.
  const loaded = await config.load({ context });
  if (loaded !== current) {
    current = loaded;
    loads++;
  }
  return { ...takeOrder(event, current), configLoads: loads };
};
