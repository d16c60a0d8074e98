import type { Logger } from './types.js';

/**
 * The default logger: exactly one line per warning through `console.warn`, with the warning's stable
 * `code` in it. Lambda sends what `console.warn` writes to CloudWatch Logs at level WARN.
 *
 * - Text format (the default): `[strataconf] SOURCE_DROPPED: dropped optional source ...`.
 * - Lambda's JSON log format (`AWS_LAMBDA_LOG_FORMAT=JSON`, set by the advanced logging controls): a
 *   record `{ level: 'WARN', logger: 'strataconf', message, code, ...details }`, filterable by code.
 */
export const defaultLogger: Logger = {
  warn(message, details) {
    if (jsonLogFormat()) console.warn(record(message, details));
    else console.warn(textLine(message, details));
  },
};

/** Matched case-insensitively, as the Lambda Node.js runtime matches it. */
function jsonLogFormat(): boolean {
  return process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
}

/** The stable `code` of a warning's details, when it has one. */
export function codeOf(details: object | undefined): string | undefined {
  const code = (details as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function textLine(message: string, details: object | undefined): string {
  const code = codeOf(details);
  return `[strataconf] ${code === undefined ? '' : `${code}: `}${oneLine(message)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Fields of the record itself; a detail of the same name cannot replace them. */
const RECORD_KEYS = new Set(['timestamp', 'level', 'logger', 'message']);
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The warning as an object. The Lambda Node.js runtime, under the JSON format, serialises a lone
 * object argument of `console.warn` into the `message` field of its own JSON line (beside `level`,
 * `timestamp` and `requestId`), so the fields stay queryable (`message.code` in Logs Insights). Plain
 * Node would print `util.inspect`'s multi-line view of an object instead: the inspect hook below
 * makes that one JSON line with a `level` and a `timestamp`, which is what Lambda's log-level
 * filtering reads from runtimes that do not patch `console`.
 */
function record(message: string, details: object | undefined): object {
  const fields = { level: 'WARN', logger: 'strataconf', message: oneLine(message), ...plainData(details) };
  Object.defineProperty(fields, INSPECT, {
    value: () => JSON.stringify({ timestamp: new Date().toISOString(), ...fields }),
  });
  return fields;
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** `details` as plain JSON data. Never throws: a warning must not fail the load it reports on. */
function plainData(details: object | undefined): Record<string, unknown> {
  try {
    const copy: unknown = JSON.parse(JSON.stringify(details ?? {}, jsonSafe));
    if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) return {};
    return Object.fromEntries(Object.entries(copy).filter(([key]) => !RECORD_KEYS.has(key)));
  } catch {
    // A circular structure: keep what a filter needs.
    const code = codeOf(details);
    return code === undefined ? {} : { code };
  }
}

/** One captured warning. */
export interface CapturedWarning {
  /** The warning's text, as the logger received it. */
  message: string;
  /** A copy of the warning's details (`code`, `source`, `path`...). */
  details: Record<string, unknown>;
  /** The warning's stable code (`SOURCE_DROPPED`, `UNEXPECTED_OVERRIDE`, `RELOAD_FAILED`...). */
  code: string | undefined;
}

/** A logger that keeps warnings instead of printing them. */
export interface WarningCapture extends Logger {
  /** Records the warning; `details` may be left out (or lack a code) when a test calls it directly. */
  warn(message: string, details?: object): void;
  /** Every warning recorded so far, in order. */
  readonly warnings: CapturedWarning[];
  /** The codes of the captured warnings, in order. */
  codes(): (string | undefined)[];
  /** Forgets the recorded warnings. */
  clear(): void;
}

/**
 * A logger for `loadConfig({ logger })` that records every warning.
 *
 * @example
 * ```ts
 * const logger = captureWarnings();
 * await loadConfig({ sources, logger });
 * expect(logger.codes()).toEqual(['UNEXPECTED_OVERRIDE']);
 * ```
 */
export function captureWarnings(): WarningCapture {
  const warnings: CapturedWarning[] = [];
  return {
    warnings,
    warn(message, details = {}) {
      warnings.push({ message, details: { ...details }, code: codeOf(details) });
    },
    codes: () => warnings.map((w) => w.code),
    clear: () => {
      warnings.length = 0;
    },
  };
}
