import { ConfigError, isConfigError } from './errors.js';

/**
 * A load that fails after optional sources were dropped names them in its message: the dropped
 * layer is the likely cause (a missing S3 layer shows up as `OVERRIDE_MISSING`), and on Lambda the
 * error message is often all anyone sees.
 */

/** An optional source the load went on without (a stale layer is not listed: the load had it). */
export interface DroppedSource {
  source: string;
  reason: string;
  state?: 'dropped' | 'stale';
}

/**
 * The same error with the dropped sources in its first line and in `details.droppedSources`:
 * `1 value marked $override was not set by a later layer (dropped optional sources: s3://b/k: access denied):`.
 */
export function namingDropped(err: unknown, degraded: readonly DroppedSource[]): unknown {
  const dropped = degraded
    .filter((d) => d.state !== 'stale')
    .map(({ source, reason }) => ({ source, reason }));
  if (dropped.length === 0 || !isConfigError(err) || err.details.droppedSources !== undefined) return err;
  const note = `(dropped optional sources: ${dropped.map((d) => `${d.source}: ${d.reason}`).join('; ')})`;
  const newline = err.message.indexOf('\n');
  const first = newline < 0 ? err.message : err.message.slice(0, newline);
  const rest = newline < 0 ? '' : err.message.slice(newline);
  const line = first.endsWith(':') ? `${first.slice(0, -1)} ${note}:` : `${first} ${note}`;
  const named = new ConfigError(
    err.code,
    line + rest,
    { ...err.details, droppedSources: [...dropped] },
    err.cause === undefined ? undefined : { cause: err.cause },
  );
  if (err.stack !== undefined) named.stack = err.stack.replace(err.message, named.message);
  return named;
}
