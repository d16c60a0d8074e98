import { raceAbort } from './abort.js';
import { namingDropped } from './dropped.js';
import { ConfigError, formatPath, isConfigError } from './errors.js';
import { recordOrigin } from './explain.js';
import { deepFreeze } from './freeze.js';
import { type DeferredLayer, isDeferred, type KeyNamer, keyNamerOf, unavailable } from './layer-meta.js';
import { type Branch, createRoot, isPlainObject, toNode } from './layer-tree.js';
import { defaultLogger } from './logger.js';
import { materialize, mergeNode, type OverrideEvent } from './merge.js';
import { type Degraded, dropsSource, failureFactsOf, reportingContext } from './outcome.js';
import { markSecrets, noteLayerSecrets } from './secret-marks.js';
import type { LambdaContextLike, LoadOptions, Logger, Source, SourceContext } from './types.js';
import { reportUnknownKeys, unknownKeyCheck } from './unknown-keys.js';
import { validate } from './validate.js';

/**
 * The load pipeline, top to bottom: load sources (concurrently) -> merge in order -> resolve markers
 * -> validate -> freeze. The cache (cache.ts) decides when it runs.
 */

/**
 * One load's result: the frozen config, the raw layers it was built from (to spot "nothing
 * changed"), and the layers it was built without (dropped) or with an older version of (stale).
 */
export interface LoadResult {
  config: object;
  layers: readonly unknown[];
  degraded: readonly Degraded[];
}

/** Time kept back from the Lambda deadline, so the handler can still answer. */
const DEADLINE_MARGIN_MS = 500;

export async function runLoad(given: LoadOptions, previous?: LoadResult): Promise<LoadResult> {
  const logger = given.logger ?? defaultLogger;
  const options = enabledOnly(given);
  const degraded: Degraded[] = [];
  try {
    const layers = await loadSources(options.sources, logger, options.context, degraded);
    if (previous && sameLayers(previous.layers, layers)) {
      return sameDegraded(previous.degraded, degraded) ? previous : { ...previous, degraded };
    }
    const { root, namers } = await mergeLayers(options, layers, logger);
    // Only with a schema, and not at all under 'ignore': the check rides on materialize's walk.
    const check =
      options.schema === undefined || options.unknownKeys === 'ignore'
        ? undefined
        : unknownKeyCheck(options.schema);
    const { value, missing } = materialize(root, check);
    if (check) reportUnknownKeys(check.found, namers, options.unknownKeys, logger);
    if (missing.length > 0) throw overrideMissing(missing);
    const config = deepFreeze(
      markSecrets((await validate(options.schema, value, root)) as object, root, options.schema),
    );
    recordOrigin(config, root, options, layers);
    return { config, layers, degraded };
  } catch (err) {
    throw namingDropped(err, degraded);
  }
}

/** True when two loads degraded the same layers in the same way (then the older result stands). */
function sameDegraded(a: readonly Degraded[], b: readonly Degraded[]): boolean {
  return (
    a.length === b.length &&
    a.every((d, i) => d.source === b[i]?.source && d.state === b[i]?.state && d.reason === b[i]?.reason)
  );
}

/** A disabled source (`enabled: false`) is skipped here, once, for every kind of source. */
function enabledOnly(options: LoadOptions): LoadOptions {
  if (!options.sources.some((s) => s.enabled === false)) return options;
  return { ...options, sources: options.sources.filter((s) => s.enabled !== false) };
}

function sameLayers(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((layer, i) => layer === b[i]);
}

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

async function loadSources(
  sources: readonly Source<string>[],
  logger: Logger,
  context: LambdaContextLike | undefined,
  degraded: Degraded[],
) {
  const { signal, budgetMs, deadline } = deadlineSignal(context);
  const ctx = reportingContext({ signal, logger, ...(deadline === undefined ? {} : { deadline }) }, degraded);
  return Promise.all(sources.map((source) => loadOne(source, ctx, degraded, budgetMs)));
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
function readLayer<T>(source: Source<string>, read: () => T): T {
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

async function mergeLayers(
  options: LoadOptions,
  layers: readonly unknown[],
  logger: Logger,
): Promise<{ root: Branch; namers: Map<string, KeyNamer> }> {
  const root = createRoot();
  const namers = new Map<string, KeyNamer>();
  const events: OverrideEvent[] = [];
  const report = options.overrides === 'ignore' ? () => {} : (event: OverrideEvent) => events.push(event);
  for (const [i, layer] of layers.entries()) {
    if (layer === undefined) continue;
    const source = options.sources[i] as Source<string>;
    const value = readLayer(source, () => isDeferred(layer))
      ? await (layer as DeferredLayer).resolve({ source: source.name, schema: options.schema, below: root })
      : layer;
    noteLayerSecrets(root, source.name, value);
    const namer = keyNamerOf(value);
    if (namer !== undefined) namers.set(source.name, namer);
    mergeNode(
      root,
      readLayer(source, () => toNode(value, source.name)),
      [],
      report,
    );
  }
  if (events.length > 0 && options.overrides === 'error') throw overrideForbidden(events);
  for (const e of events) {
    logger.warn(`${formatPath(e.path)} from ${e.from.join(', ')} was overridden by ${e.by}`, {
      code: 'UNEXPECTED_OVERRIDE',
      path: e.path,
      from: e.from,
      by: e.by,
    });
  }
  return { root, namers };
}

function overrideMissing(missing: { path: string[]; doc: string; source: string }[]): ConfigError {
  const lines = missing.map((m) => `  - ${formatPath(m.path)}: ${m.doc} (marked in ${m.source})`);
  const what =
    missing.length === 1 ? '1 value marked $override was' : `${missing.length} values marked $override were`;
  return new ConfigError('OVERRIDE_MISSING', `${what} not set by a later layer:\n${lines.join('\n')}`, {
    missing,
  });
}

function overrideForbidden(events: OverrideEvent[]): ConfigError {
  const lines = events.map((e) => `  - ${formatPath(e.path)} from ${e.from.join(', ')} by ${e.by}`);
  return new ConfigError(
    'OVERRIDE_FORBIDDEN',
    `unmarked values were overridden (mark them { "$default": ... } to allow it):\n${lines.join('\n')}`,
    { overrides: events },
  );
}
