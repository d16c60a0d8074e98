import { raceAbort } from './abort.js';
import { ConfigError, isConfigError } from './errors.js';
import { unavailable } from './layer-meta.js';
import { isPlainObject } from './layer-tree.js';
import { type Degraded, dropsSource, failureFactsOf, reportingContext } from './outcome.js';
import type { LambdaContextLike, Logger, Source, SourceContext } from './types.js';

/**
 * The first step of a load: every source loads concurrently, within the Lambda deadline when the
 * load has a context. An unavailable optional source is dropped (one warning, and a `Degraded`
 * record for the load's result); anything else a source throws fails the load with a `ConfigError`
 * naming it, never a bare crash.
 */

/** Time kept back from the Lambda deadline, so the handler can still answer. */
const DEADLINE_MARGIN_MS = 500;

/** An AbortSignal that fires shortly before the Lambda deadline, when a context is given. */
function deadlineSignal(context: LambdaContextLike | undefined): {
  signal: AbortSignal;
  budgetMs?: number;
  deadline?: number;
} {
  const remaining = context?.getRemainingTimeInMillis();
  if (typeof remaining !== 'number' || !Number.isFinite(remaining))
    return { signal: new AbortController().signal };
  // Whole milliseconds: AbortSignal.timeout throws a RangeError on a fraction (2999 ms left gives 2699.1).
  const budgetMs = Math.max(0, Math.floor(remaining - Math.min(DEADLINE_MARGIN_MS, remaining / 10)));
  return { signal: AbortSignal.timeout(budgetMs), budgetMs, deadline: Date.now() + budgetMs };
}

/**
 * Loads every source. When one fails, the others still finish before the load fails (they are
 * bounded by their own timeouts and the Lambda deadline, as a load that succeeds is): an optional
 * layer dropped a moment after the failure is then in the error's list of dropped sources, and its
 * warning is written before the error, not after it. The error is the first failing source's, in
 * the order given, so the same failure reads the same whichever source answered first.
 */
export async function loadSources(
  sources: readonly Source<string>[],
  logger: Logger,
  context: LambdaContextLike | undefined,
  degraded: Degraded[],
): Promise<unknown[]> {
  const { signal, budgetMs, deadline } = deadlineSignal(context);
  const ctx = reportingContext({ signal, logger, ...(deadline === undefined ? {} : { deadline }) }, degraded);
  const settled = await Promise.allSettled(sources.map((source) => loadOne(source, ctx, degraded, budgetMs)));
  const layers: unknown[] = [];
  for (const outcome of settled) {
    if (outcome.status === 'rejected') throw outcome.reason;
    layers.push(outcome.value);
  }
  return layers;
}

/** Races a source's load against the Lambda deadline, so a source that ignores the signal still stops. */
async function withDeadline<T>(
  load: Promise<T>,
  signal: AbortSignal,
  source: Source<string>,
  budgetMs?: number,
): Promise<T> {
  if (budgetMs === undefined) return load;
  try {
    return await raceAbort(load, signal);
  } catch (err) {
    if (!signal.aborted || err !== signal.reason) throw err;
    throw new ConfigError(
      'SOURCE_UNAVAILABLE',
      `${source.name} is unavailable: no answer within the Lambda's remaining time (${Math.round(budgetMs)} ms)`,
      { source: source.name, reason: 'Lambda deadline' },
    );
  }
}

/** A source whose load threw, or whose layer threw while being read (a getter, a Proxy trap). */
function failedToLoad(source: Source<string>, err: unknown): ConfigError {
  if (isConfigError(err)) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new ConfigError(
    'SOURCE_UNAVAILABLE',
    `${source.name} failed to load: ${reason}`,
    { source: source.name, reason },
    { cause: err },
  );
}

/** Runs `read` over a source's layer; what the layer throws is the source's failure, not a crash. */
export function readLayer<T>(source: Source<string>, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw failedToLoad(source, err);
  }
}

async function loadOne(
  source: Source<string>,
  ctx: SourceContext,
  degraded: Degraded[],
  budgetMs?: number,
): Promise<unknown> {
  let value: unknown;
  try {
    value = await withDeadline(
      Promise.resolve().then(() => source.load(ctx)),
      ctx.signal,
      source,
      budgetMs,
    );
    // `undefined` is a source's way to say "absent": the same outcome as an unavailable source.
    if (value === undefined) throw unavailable(source.name, 'it returned nothing');
  } catch (err) {
    if (dropsSource(source, err)) return drop(source, err as ConfigError, ctx.logger, degraded);
    throw failedToLoad(source, err);
  }
  if (!readLayer(source, () => isPlainObject(value))) {
    // A class instance, Map or Date would merge as one leaf at the root, which no root can be: the
    // layer would vanish without a word.
    throw new ConfigError('PARSE_ERROR', `${source.name}: a layer must be a plain object`, {
      source: source.name,
    });
  }
  return value;
}

/** Drops an unavailable optional source: one warning, and a record for the load's result. */
function drop(source: Source<string>, err: ConfigError, logger: Logger, degraded: Degraded[]): undefined {
  const reason = String(err.details.reason ?? err.message);
  const facts = failureFactsOf(err);
  degraded.push({
    source: source.name,
    state: 'dropped',
    reason,
    // A source that does not say is absent for good (a missing file) until told otherwise.
    transient: facts?.transient ?? false,
    ...(facts === undefined ? {} : { kind: facts.kind }),
    at: Date.now(),
  });
  logger.warn(`dropped optional source ${source.name}: ${reason}`, {
    code: 'SOURCE_DROPPED',
    source: source.name,
    reason: err.details.reason,
    // A file source's absolute path, when its name is shorter (relative, or given).
    ...(err.details.file === undefined ? {} : { file: err.details.file }),
  });
  return undefined;
}
