import { raceAbort } from '../../abort.js';
import { describe, type RemoteDescriptor } from '../../descriptor.js';
import { ConfigError } from '../../errors.js';
import { setLayerVersion, unavailable } from '../../layer-meta.js';
import { keepsStale, reportStale } from '../../outcome.js';
import type { Logger, Source, SourceContext } from '../../types.js';
import { type Budget, startBudget } from './budget.js';
import { classify, type Failure, type ServiceErrors } from './failure.js';

/**
 * The lifecycle every remote layer shares (S3, SSM, Secrets Manager, AppConfig): optional or
 * required, one time budget per load (`timeoutMs` within the Lambda deadline), the failure table's
 * words for each failure, stale-if-error on reloads, and "unchanged = the same layer object" (so the
 * cache keeps the same config). A store says what it reads (its descriptor), how to reach it
 * (`connect`), how to fetch its layer and what its own errors mean.
 */

/** A fetch's answer meaning "the layer you have is current" (S3's 304, AppConfig's empty answer). */
export const NOT_MODIFIED: unique symbol = Symbol('strataconf.notModified');

/** What one fetch produced: the layer, and whatever the store keeps to revalidate it next time. */
export interface Fetched {
  /** The layer the pipeline merges (a plain object, or a deferred layer). */
  readonly layer: object;
  /** Which version of the store's content this is (`ETag "…"`), shown by `explainConfig`. */
  readonly version?: string;
  /** Facts about this version for the `SOURCE_STALE` warning's details (S3: `{ etag }`). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a fetch is given: the load's budget and the last good fetch (to revalidate). */
export interface FetchContext<T extends Fetched> {
  /** The load's time budget; its signal fires at `timeoutMs` or the Lambda deadline. */
  budget: Budget;
  /** The budget's signal, for I/O that takes one. */
  signal: AbortSignal;
  /** The last good fetch of this source, on a reload. Return it as it is when nothing changed. */
  last: T | undefined;
  logger: Logger;
}

/** How one store reads its layer. `C` is the connection (connect.ts), or the store's own reader. */
export interface RemoteSpec<C, T extends Fetched> {
  name: string;
  optional: boolean;
  enabled?: boolean;
  /** What the layer reads; the cache identity is derived from it. */
  descriptor: RemoteDescriptor;
  timeoutMs: number;
  /** The store's own error names, for the failure table. */
  errors: ServiceErrors;
  /** Work before the clock starts (importing the AWS SDK on a cold start is not the store's answer time). */
  connect(): Promise<C>;
  /** One fetch: the new layer, `last` itself when the content is unchanged, or `NOT_MODIFIED`. */
  fetch(connection: C, ctx: FetchContext<T>): Promise<T | typeof NOT_MODIFIED>;
}

/** The failure of a load whose budget ended. */
function timedOut(reason: string): Failure {
  return { kind: 'timeout', reason, retryable: false, transient: true, attempts: 1 };
}

/** Builds the source of a remote layer from its store's fetch. */
export function remoteSource<C, T extends Fetched>(spec: RemoteSpec<C, T>): Source {
  const { name, timeoutMs } = spec;
  // The last good fetch: a reload revalidates it, and keeps it when the store fails for a moment.
  let last: T | undefined;

  function onFailure(err: unknown, budget: Budget | undefined, ctx: SourceContext | undefined): object {
    // A broken layer (PARSE_ERROR, UNSAFE_KEY...) fails the load, optional or not.
    if (err instanceof ConfigError) throw err;
    const ended = budget?.reason() ?? '';
    const failure = ended === '' ? classify(err, spec.errors) : timedOut(ended);
    if (last !== undefined && keepsStale(failure, last !== undefined)) {
      ctx?.logger?.warn(`kept the last good layer of ${name}: ${failure.reason}`, {
        code: 'SOURCE_STALE',
        source: name,
        reason: failure.reason,
        ...last.details,
      });
      reportStale(ctx, { source: name, reason: failure.reason, kind: failure.kind, transient: true });
      return last.layer;
    }
    throw unavailable(name, failure.reason, failure.cause ?? err, failure);
  }

  async function load(ctx: SourceContext): Promise<object> {
    let budget: Budget | undefined;
    try {
      const connection = await spec.connect();
      budget = startBudget(ctx, timeoutMs);
      const { signal } = budget;
      const fetched = spec.fetch(connection, { budget, signal, last, logger: ctx?.logger });
      const result = await raceAbort(fetched, signal);
      if (result === NOT_MODIFIED) {
        if (last === undefined) throw new Error(`${name}: "not modified" answered to a first load`);
        return last.layer;
      }
      if (result.version !== undefined) setLayerVersion(result.layer, result.version);
      last = result;
      return result.layer;
    } catch (err) {
      return onFailure(err, budget, ctx);
    } finally {
      budget?.dispose();
    }
  }

  const source: Source = { name, optional: spec.optional, load };
  if (spec.enabled !== undefined) source.enabled = spec.enabled;
  return describe(source, spec.descriptor);
}
