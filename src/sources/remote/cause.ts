import { scrubText } from '../../aws/scrub.js';

/**
 * What a remote layer's failure keeps of the error behind it, for the `cause` chain: the error's
 * name, Node's or AWS's code, the HTTP status, the request id, and its message without any quoted
 * request or credential. Never the error object itself: an AWS SDK error carries the raw HTTP
 * exchange (`$response`, whose request headers hold the session token and the signature), S3's
 * carries the canonical request and the string to sign as properties, and a deserialization error
 * the whole body it could not parse (`$responseBodyText`). Lambda prints a failed init's error
 * whole, hidden fields and causes included, so none of it may be kept.
 */

/** What the failure table reads of an error; every field is a name, a number or a flag. */
export interface CauseFacts {
  code?: string;
  $metadata: { httpStatusCode?: number; requestId?: string; attempts?: number; totalRetryDelay?: number };
  $fault?: string;
  retryAfterMs?: number;
  clockCorrected?: boolean;
  /** The bound an answer went past (`ETOOLARGE`). */
  maxBytes?: number;
  /** Set by the retry loop: the wait the next attempt would have needed, beyond the time left. */
  waitBeyondBudgetMs?: number;
}

/** An error reduced to what may be shown (see the top of this file). */
export class RemoteCause extends Error implements CauseFacts {
  override readonly name: string;
  // Declared only: a field is set when the error had it, so an absent one is not shown as undefined.
  declare readonly code?: string;
  declare readonly $metadata: CauseFacts['$metadata'];
  declare readonly $fault?: string;
  declare readonly retryAfterMs?: number;
  declare readonly clockCorrected?: boolean;
  declare readonly maxBytes?: number;
  declare readonly waitBeyondBudgetMs?: number;

  constructor(name: string, message: string, facts: CauseFacts, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    // Writable: the retry loop records the attempts on `$metadata`, as the SDK does.
    for (const [key, value] of Object.entries(facts)) {
      if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: true, writable: true });
    }
  }
}

/** The message that replaces a parser's, which quotes the text it could not parse. */
export const UNREADABLE = 'the answer could not be parsed';

type Loose = Record<string, unknown> & { $metadata?: Record<string, unknown> };

const word = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[\w.:-]{1,100}$/.test(value) ? value : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** `fields` without its undefined ones. */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

/** True for an error a parser threw over an answer's body (the SDK's, or JSON.parse's). */
function isUnreadable(err: Loose, message: string): boolean {
  if (err.code === 'ETOOLARGE') return false;
  return (
    err.name === 'SyntaxError' || '$responseBodyText' in err || message.includes('Deserialization error')
  );
}

function facts(err: Loose): CauseFacts {
  const meta = typeof err.$metadata === 'object' && err.$metadata !== null ? err.$metadata : {};
  const out: CauseFacts = {
    $metadata: defined({
      httpStatusCode: num(meta.httpStatusCode),
      requestId: word(meta.requestId),
      attempts: num(meta.attempts),
      totalRetryDelay: num(meta.totalRetryDelay),
    }),
    code: word(err.code),
    $fault: word(err.$fault),
    retryAfterMs: num(err.retryAfterMs),
    maxBytes: num(err.maxBytes),
    waitBeyondBudgetMs: num(err.waitBeyondBudgetMs),
  };
  if (err.clockCorrected === true) out.clockCorrected = true;
  return out;
}

/** The stack's frames (never its first line, which repeats the message). */
function frames(stack: unknown): string {
  if (typeof stack !== 'string') return '';
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/**
 * `error` reduced to a {@link RemoteCause} (its own causes too, three deep), its message scrubbed
 * of quoted requests and of `secrets` (credential values known to the caller). A value that is not
 * an error object is kept only as its scrubbed text.
 */
export function reduceError(
  error: unknown,
  secrets: readonly (string | undefined)[] = [],
  depth = 0,
): unknown {
  if (error === undefined || error === null || error instanceof RemoteCause) return error;
  if (typeof error !== 'object') return scrubText(String(error), secrets);
  const err = error as Loose;
  const raw = typeof err.message === 'string' ? err.message : '';
  const message = isUnreadable(err, raw) ? UNREADABLE : scrubText(raw, secrets);
  const inner = depth < 3 && err.cause !== undefined ? reduceError(err.cause, secrets, depth + 1) : undefined;
  const name = word(err.name) ?? 'Error';
  const reduced = new RemoteCause(name, message, facts(err), inner);
  const at = frames(err.stack);
  reduced.stack = at === '' ? `${name}: ${message}` : `${name}: ${message}\n${at}`;
  return reduced;
}
