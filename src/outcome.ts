import { isConfigError } from './errors.js';
import type { Source, SourceContext } from './types.js';

/**
 * What happens to a layer that could not be read, decided in one place: a remote layer keeps its
 * last good version (stale) or is unavailable; an unavailable optional source is dropped, a
 * required one fails the load; a reload that fails serves the last good config. Each decision is
 * recorded as data (`Degraded`) that reaches the load's result, so the cache knows which layers a
 * config was built without.
 */

/** What went wrong with a remote request, in classes a policy can act on. */
export type FailureKind =
  | 'throttled'
  | 'server'
  | 'network'
  | 'timeout'
  | 'not-found'
  | 'denied'
  | 'credentials'
  | 'invalid';

/** The facts a failure carries up from the request that failed (see src/sources/remote/failure.ts). */
export interface FailureFacts {
  kind: FailureKind;
  /** A later load may get a different answer (throttling, 5xx, network, timeout). */
  transient: boolean;
}

/** A layer a config was built without (dropped) or with its last good version (stale). */
export interface Degraded {
  source: string;
  state: 'dropped' | 'stale';
  /** Why, in words (`throttled by SSM (ThrottlingException, HTTP 400) after 3 attempts`). */
  reason: string;
  /** The failure's class, when the source classified it (remote layers). */
  kind?: FailureKind;
  /** A later load may read it (a transient failure). */
  transient: boolean;
  /** When it happened (`Date.now()`). */
  at: number;
}

/** True when a reload's failure keeps the last good layer instead of losing it. */
export function keepsStale(failure: FailureFacts, hasLast: boolean): boolean {
  return hasLast && failure.transient;
}

/** True when a source's failure drops it from the load instead of failing the load. */
export function dropsSource(source: Pick<Source, 'optional'>, err: unknown): boolean {
  return isConfigError(err) && err.code === 'SOURCE_UNAVAILABLE' && source.optional === true;
}

/**
 * A reload that fails serves the config it replaces (a warm function keeps working on the config it
 * had) rather than failing the invocation; a first load that fails has nothing to serve.
 */
export function servesLastGood<T>(last: T | undefined): last is T {
  return last !== undefined;
}

/** The layers `before` lacked or held stale that a later load (`now`) read: each is back. */
export function recoveredLayers(before: readonly Degraded[], now: readonly Degraded[]): Degraded[] {
  return before.filter((d) => !now.some((n) => n.source === d.source));
}

/** The soonest and latest a layer that failed for a reason that may pass is read again (ms after). */
export const RECOVERY_WINDOW_MS: readonly [number, number] = [10_000, 60_000];

/**
 * When a config built without a layer (or with a stale one) reads it again: for a failure that may
 * pass (throttling, a 5xx, the network, a timeout), at a moment drawn at random between 10 and 60 s
 * from `now`, so a fleet that failed together does not retry together; `undefined` when every
 * degraded layer failed for good (missing, denied: often deliberate, and read again after `maxAge`).
 */
export function recoveryAt(
  degraded: readonly Pick<Degraded, 'transient'>[],
  now: number,
  random = Math.random,
): number | undefined {
  if (!degraded.some((d) => d.transient)) return undefined;
  const [soonest, latest] = RECOVERY_WINDOW_MS;
  return now + soonest + Math.floor(random() * (latest - soonest));
}

/** The sources a recovery reads again: those whose layer is missing or stale for a reason that may pass. */
export function recoverable(degraded: readonly Degraded[]): Set<string> {
  return new Set(degraded.filter((d) => d.transient).map((d) => d.source));
}

/**
 * How much later than `maxAge` this environment reloads: a factor between 1 and 1.1 drawn at each
 * load, so environments that started together do not reload together.
 */
export function maxAgeSpread(random = Math.random): number {
  return 1 + random() * 0.1;
}

// Registered (Symbol.for) on the context the pipeline hands to every source, so a source built by
// another copy of strataconf (a `strataconf --loader` module) still reports a stale layer.
const REPORT: unique symbol = Symbol.for('strataconf.reportDegraded') as never;

type Report = (record: Omit<Degraded, 'at'>) => void;

/** The context for one load's sources, recording what they report into `into`. */
export function reportingContext(base: SourceContext, into: Degraded[]): SourceContext {
  const report: Report = (record) => into.push({ ...record, at: Date.now() });
  // Not enumerable: a source that logs or compares its context sees `signal`, `logger`, `deadline`.
  return Object.defineProperty({ ...base }, REPORT, { value: report });
}

/** Tells the load a layer was served stale (a no-op outside a pipeline's load). */
export function reportStale(ctx: SourceContext | undefined, record: Omit<Degraded, 'at' | 'state'>): void {
  const report = (ctx as { [REPORT]?: Report } | undefined)?.[REPORT];
  report?.({ ...record, state: 'stale' });
}

/** The facts an error carries about its failure (set by `unavailable`), if any. */
export function failureFactsOf(err: unknown): FailureFacts | undefined {
  if (!isConfigError(err)) return undefined;
  const { kind, transient } = err.details as { kind?: unknown; transient?: unknown };
  return typeof kind === 'string' && typeof transient === 'boolean'
    ? { kind: kind as FailureKind, transient }
    : undefined;
}
