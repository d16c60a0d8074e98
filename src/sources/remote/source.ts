import { raceAbort } from '../../abort.js';
import { ConfigError } from '../../errors.js';
import { type KeyedSource, SOURCE_KEY, setLayerVersion, unavailable } from '../../layer-meta.js';
import type { Logger, SourceContext } from '../../types.js';
import { type Deadline, startDeadline } from './budget.js';
import type { RemoteFailure } from './failure.js';

/**
 * The lifecycle every remote layer shares (S3, SSM, Secrets Manager, AppConfig): optional or
 * required, `timeoutMs` within the Lambda deadline, one message per failure class, stale-if-error
 * on reloads, and "unchanged = the same layer object" (so the cache keeps the same config). A store
 * only says how to fetch its layer and how to name its failures.
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

/** What a fetch is given: the time limit's signal and the last good fetch (to revalidate). */
export interface FetchContext<T extends Fetched> {
  /** Fires at `timeoutMs` or the Lambda deadline; pass it on to the request. */
  signal: AbortSignal;
  /** The last good fetch of this source, on a reload. Return it as it is when nothing changed. */
  last: T | undefined;
  logger: Logger;
}

/** How one store reads its layer. `C` is the connection: an SDK client or the light transport. */
export interface RemoteSpec<C, T extends Fetched> {
  name: string;
  optional: boolean;
  enabled?: boolean;
  /** The cache identity: kind and location (`ssm:/orders/prod/`), never contents. */
  key: string;
  timeoutMs: number;
  /** Work before the clock starts (importing the AWS SDK on a cold start is not the store's answer time). */
  connect(): Promise<C>;
  /** One fetch: the new layer, `last` itself when the content is unchanged, or `NOT_MODIFIED`. */
  fetch(connection: C, ctx: FetchContext<T>): Promise<T | typeof NOT_MODIFIED>;
  /** Names an unexpected failure and says whether it is transient (see remote-errors.ts). */
  classify(err: unknown): RemoteFailure;
}

/** Builds the source of a remote layer from its store's fetch. */
export function remoteSource<C, T extends Fetched>(spec: RemoteSpec<C, T>): KeyedSource {
  const { name, timeoutMs } = spec;
  // The last good fetch: a reload revalidates it, and keeps it when the store fails for a moment.
  let last: T | undefined;

  function onFailure(err: unknown, timedOut: string, logger: Logger | undefined): object {
    // A broken layer (PARSE_ERROR, UNSAFE_KEY...) fails the load, optional or not.
    if (err instanceof ConfigError) throw err;
    const failure = timedOut === '' ? spec.classify(err) : undefined;
    const why = failure?.reason ?? timedOut;
    if (last !== undefined && (failure === undefined || failure.transient)) {
      logger?.warn(`kept the last good layer of ${name}: ${why}`, {
        code: 'SOURCE_STALE',
        source: name,
        reason: why,
        ...last.details,
      });
      return last.layer;
    }
    throw unavailable(name, why, failure?.cause ?? err);
  }

  async function fetchOnce(ctx: SourceContext): Promise<object> {
    let deadline: Deadline | undefined;
    try {
      const connection = await spec.connect();
      deadline = startDeadline(ctx?.signal, timeoutMs);
      const { signal } = deadline;
      const result = await raceAbort(spec.fetch(connection, { signal, last, logger: ctx?.logger }), signal);
      if (result === NOT_MODIFIED) {
        if (last === undefined) throw new Error(`${name}: "not modified" answered to a first load`);
        return last.layer;
      }
      if (result.version !== undefined) setLayerVersion(result.layer, result.version);
      last = result;
      return result.layer;
    } catch (err) {
      return onFailure(err, deadline?.reason() ?? '', ctx?.logger);
    } finally {
      deadline?.dispose();
    }
  }

  const source: KeyedSource = {
    name,
    optional: spec.optional,
    [SOURCE_KEY]: spec.key,
    load: fetchOnce,
  };
  if (spec.enabled !== undefined) source.enabled = spec.enabled;
  return source;
}
