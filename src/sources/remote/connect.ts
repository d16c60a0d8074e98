import { envCredentials } from '../../aws/env.js';
import type { Budget } from './budget.js';
import { type RetryPolicy, retriesOf, retrying, SINGLE_PASS } from './retry.js';
import type { AwsClientLike } from './sdk.js';

/**
 * How a remote layer reaches its store, decided in one place for every store: the caller's
 * `client` when given; else strataconf's own signed requests when the credentials are in the
 * environment (always so on Lambda: the SDK's import is most of a cold start); else the store's
 * AWS SDK client (profiles, SSO, instance roles). Decided at each load, so credentials put in the
 * environment later are picked up. Every call then goes through the one retry loop.
 */

/** A store's API over one path (the SDK's or the light transport's), and its retries. */
export interface Connection<A> {
  /** Calls the store once per attempt, retried by the policy within `budget`. */
  call<R>(budget: Budget, op: (api: A, signal: AbortSignal) => Promise<R>): Promise<R>;
}

/** The two ways a store can be reached, and how many attempts its requests get. */
export interface AwsPaths<A> {
  /** The caller's client, when given. */
  client?: AwsClientLike;
  /** The store's API over the light transport. */
  light(): A;
  /** The store's API over an SDK client: the caller's, or (`undefined`) strataconf's shared one. */
  sdk(client: AwsClientLike | undefined): Promise<A>;
  /** Attempts per request strataconf sends itself (the light path and its own SDK clients). */
  attempts: number;
}

function connection<A>(api: A, policy: RetryPolicy): Connection<A> {
  return { call: (budget, op) => retrying((signal) => op(api, signal), budget, policy) };
}

/** The connection a load uses (see the top of this file). */
export async function connectAws<A>(paths: AwsPaths<A>): Promise<Connection<A>> {
  // A caller's client keeps its own retry strategy: one pass here, so attempts never multiply.
  if (paths.client !== undefined) return connection(await paths.sdk(paths.client), SINGLE_PASS);
  if (envCredentials() !== undefined) return connection(paths.light(), retriesOf(paths.attempts));
  return connection(await paths.sdk(undefined), retriesOf(paths.attempts));
}
