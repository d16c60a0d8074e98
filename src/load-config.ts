import { namingDropped } from './dropped.js';
import { ConfigError, formatPath } from './errors.js';
import { recordOrigin } from './explain.js';
import { deepFreeze } from './freeze.js';
import { type DeferredLayer, isDeferred, type KeyNamer, keyNamerOf } from './layer-meta.js';
import { type Branch, createRoot, toNode } from './layer-tree.js';
import { loadSources, readLayer } from './load-sources.js';
import { defaultLogger } from './logger.js';
import { type MissingOverride, materialize, mergeRoot, type OverrideEvent } from './merge.js';
import { type NearMiss, nearMissOf } from './near-miss.js';
import { type Degraded, recoveredLayers } from './outcome.js';
import { markSecrets, noteLayerSecrets } from './secret-marks.js';
import type { LoadOptions, Logger, Source } from './types.js';
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

/**
 * Runs the pipeline. With `previous` (a reload) and `reread` (source names), only those sources are
 * read again and the others keep the layers `previous` was built from: a recovery reads just the
 * layers it lacks, a refresh just the ones named.
 */
export async function runLoad(
  given: LoadOptions,
  previous?: LoadResult,
  reread?: ReadonlySet<string>,
): Promise<LoadResult> {
  const logger = given.logger ?? defaultLogger;
  const options = enabledOnly(given);
  const degraded: Degraded[] = [];
  try {
    const layers =
      previous && reread
        ? await loadSome(options, previous, reread, logger, degraded)
        : await loadSources(options.sources, logger, options.context, degraded);
    if (previous && sameLayers(previous.layers, layers)) {
      // The same layers (a stale one kept, a dropped one dropped again): nothing came back.
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
    if (missing.length > 0)
      throw overrideMissing(missing.map((m) => withNearMiss(m, nearMissOf(root, m, options.schema, namers))));
    const config = deepFreeze(
      markSecrets((await validate(options.schema, value, root)) as object, root, options.schema),
    );
    recordOrigin(config, root, options, layers);
    // Told once the config that has them is built: a recovered layer that fails validation is no recovery.
    reportRecovered(previous?.degraded ?? [], degraded, logger);
    return { config, layers, degraded };
  } catch (err) {
    throw namingDropped(err, degraded);
  }
}

/** Reads the sources named in `reread`; the others keep their layer (and their record) from `previous`. */
async function loadSome(
  options: LoadOptions,
  previous: LoadResult,
  reread: ReadonlySet<string>,
  logger: Logger,
  degraded: Degraded[],
): Promise<unknown[]> {
  const indexes = options.sources.flatMap((s, i) => (reread.has(s.name) ? [i] : []));
  const read = await loadSources(
    indexes.map((i) => options.sources[i] as Source<string>),
    logger,
    options.context,
    degraded,
  );
  degraded.unshift(...previous.degraded.filter((d) => !reread.has(d.source)));
  const layers = [...previous.layers];
  indexes.forEach((index, k) => {
    layers[index] = read[k];
  });
  return layers;
}

/** A `SOURCE_RECOVERED` warning for each layer `before` lacked (or held stale) that this load read. */
function reportRecovered(before: readonly Degraded[], now: readonly Degraded[], logger: Logger): void {
  for (const d of recoveredLayers(before, now)) {
    const seconds = Math.round((Date.now() - d.at) / 1000);
    logger.warn(`${d.source} is back: read again ${seconds} s after it was ${d.state} (${d.reason})`, {
      code: 'SOURCE_RECOVERED',
      source: d.source,
      was: d.state,
      reason: d.reason,
      downForMs: Date.now() - d.at,
    });
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
    mergeRoot(
      root,
      readLayer(source, () => toNode(value, source.name)),
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

/** An unset `$override` as the error lists it, with the key beside it that looks like a typo of it. */
type MissingEntry = MissingOverride & { nearMiss?: { path: string[]; source: string }; label?: string };

function withNearMiss(missing: MissingOverride, near: NearMiss | undefined): MissingEntry {
  if (near === undefined) return missing;
  return { ...missing, nearMiss: { path: near.path, source: near.source }, label: near.label };
}

function overrideMissing(entries: MissingEntry[]): ConfigError {
  const missing = entries.map(({ label: _, ...m }) => m);
  const lines = entries.map(
    (m) =>
      `  - ${formatPath(m.path)}: ${m.doc} (marked in ${m.source})${m.label === undefined ? '' : `; ${m.label} looks like a typo of it`}`,
  );
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
