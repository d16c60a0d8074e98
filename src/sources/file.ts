import { close, fstat, open, read } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, type FileDescriptor, identityOf } from '../descriptor.js';
import { ConfigError } from '../errors.js';
import { decodeText, formatOfPath, parseLayerText } from '../formats/index.js';
import { checkEnabled, unavailable } from '../layer-meta.js';
import type { Source } from '../types.js';

/** Options of {@link fromFile}. */
export interface FromFileOptions {
  /** When true, a missing file is dropped with a warning instead of failing the load. @default false */
  optional?: boolean;
  /**
   * Shown in warnings, errors and `explainConfig`.
   * @default the path as given; for a `file:` URL, its path relative to `process.cwd()` (the task
   * root on Lambda) when the file lies below it, else its absolute path
   */
  name?: string;
  /** A larger file is refused with `PARSE_ERROR` (config is not data). @default 1048576 (1 MiB) */
  maxBytes?: number;
  /**
   * When false, the file is skipped without a word and appears nowhere (no warning, no
   * provenance): a local-only file, `enabled: !process.env.AWS_LAMBDA_FUNCTION_NAME`. @default true
   */
  enabled?: boolean;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;

/**
 * The home directory for `~/` paths. `node:os` is loaded only here (Node >= 20.16 has
 * `process.getBuiltinModule`), so a cold start without a `~/` path never loads it; `HOME` on older 20.x.
 */
function homeDirectory(): string {
  const os = process.getBuiltinModule?.('node:os') as typeof import('node:os') | undefined;
  const home = os?.homedir() ?? process.env.HOME ?? process.env.USERPROFILE;
  if (!home)
    throw new ConfigError('USAGE', 'fromFile: a ~/ path needs a home directory, and HOME is not set');
  return home;
}

/** Where a path points: URLs, `~/` for the home directory, relative to `process.cwd()`. */
export function resolveFilePath(path: string | URL): string {
  if (path instanceof URL) {
    if (path.protocol !== 'file:')
      throw new ConfigError('USAGE', `fromFile expects a file: URL, not ${path.protocol}`);
    return fileURLToPath(path);
  }
  if (typeof path !== 'string' || path === '')
    throw new ConfigError('USAGE', 'fromFile expects a non-empty path');
  if (path === '~' || path.startsWith('~/')) return join(homeDirectory(), path.slice(1));
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

interface Located {
  cwd: string;
  resolved: string;
  descriptor: FileDescriptor;
  key: string;
}

/**
 * String paths located before (per working directory for a relative one), so a handler that
 * rebuilds its sources on every call skips `path.resolve` (~1 µs a path) and hands the cache the
 * same key string, whose hash V8 keeps. Bounded: a program with many paths just resolves again.
 */
const located = new Map<string, Located>();
const MAX_LOCATED = 256;

function locatedAt(cwd: string, resolved: string): Located {
  const descriptor: FileDescriptor = { store: 'file', path: resolved };
  return { cwd, resolved, descriptor, key: identityOf(descriptor) };
}

function locate(path: string | URL): Omit<Located, 'cwd'> {
  // `~` depends on HOME, which may change between calls: never remembered.
  if (typeof path !== 'string' || path === '~' || path.startsWith('~/')) {
    return locatedAt('', resolveFilePath(path));
  }
  const cwd = isAbsolute(path) ? '' : process.cwd();
  const hit = located.get(path);
  if (hit !== undefined && hit.cwd === cwd) return hit;
  const entry = locatedAt(cwd, resolveFilePath(path));
  if (located.size >= MAX_LOCATED) located.clear();
  located.set(path, entry);
  return entry;
}

const REASONS: Record<string, string> = {
  ENOENT: 'file not found',
  ENOTDIR: 'file not found (a parent is not a directory)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links (a loop?)',
  EISDIR: 'is a directory',
};

/** A Node callback API as a promise (node:fs, which a cold start loads anyway, not fs/promises). */
function call<T>(fn: (done: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

function tooLarge(name: string, size: number, maxBytes: number): ConfigError {
  return new ConfigError(
    'PARSE_ERROR',
    `${name}: the file is ${size} bytes, above the limit of ${maxBytes}`,
    {
      source: name,
      size,
      maxBytes,
    },
  );
}

/** Reads `fd` to its end, refusing more than `maxBytes` even if the file grows while it is read. */
async function readToEnd(fd: number, size: number, name: string, maxBytes: number): Promise<Buffer> {
  let buffer = Buffer.allocUnsafe(Math.max(size, 1024));
  let total = 0;
  for (;;) {
    if (total === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    const at = total;
    const n = await call<number>((done) => read(fd, buffer, at, buffer.length - at, null, done));
    if (n === 0) return buffer.subarray(0, total);
    total += n;
    if (total > maxBytes) throw tooLarge(name, total, maxBytes);
  }
}

async function readBounded(path: string, name: string, maxBytes: number): Promise<Buffer> {
  let fd: number | undefined;
  try {
    fd = await call<number>((done) => open(path, 'r', done));
    const handle = fd;
    const stat = await call<import('node:fs').Stats>((done) => fstat(handle, done));
    if (!stat.isFile()) throw unavailable(name, stat.isDirectory() ? 'is a directory' : 'not a regular file');
    if (stat.size > maxBytes) throw tooLarge(name, stat.size, maxBytes);
    return await readToEnd(handle, stat.size, name, maxBytes);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw unavailable(name, REASONS[code] ?? `cannot be read (${code})`, err);
  } finally {
    if (fd !== undefined) {
      const handle = fd;
      await call<void>((done) => close(handle, (err) => done(err, undefined))).catch(() => {});
    }
  }
}

/**
 * A `file:` URL's name: its path relative to the working directory (the task root on Lambda) when
 * the file lies below it, so messages and `--explain` rows read `src/config.json5`, not
 * `file:///home/dev/orders/src/config.json5`; else its absolute path.
 */
function urlName(resolved: string): string {
  const rel = relative(process.cwd(), resolved);
  const below = rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  return below ? rel : resolved;
}

/** The file's absolute path in the error's details (`details.file`), whatever the source is named. */
function withFile(err: unknown, file: string): unknown {
  if (err instanceof ConfigError) err.details.file ??= file;
  return err;
}

/**
 * A `.json` file (strict JSON), a `.yaml` or `.yml` file (YAML 1.2, read with the `yaml` package,
 * an optional peer dependency imported only for it) or a `.json5` file (any other extension is read
 * as JSON5).
 * A missing file is "unavailable"; a file that exists but does not parse fails the load with
 * `PARSE_ERROR`, optional or not.
 *
 * @example
 * ```ts
 * export const handler = async () => {
 *   const config = await loadConfig({ sources: [fromFile('config.json5'), fromFile('~/.my-app.json5', { optional: true })] });
 *   return config.db.host;
 * };
 * ```
 */
export function fromFile(path: string | URL, opts: FromFileOptions = {}): Source {
  const { resolved, descriptor, key } = locate(path);
  const name = opts.name ?? (path instanceof URL ? urlName(resolved) : path);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const optional = opts.optional ?? false;
  checkEnabled('fromFile', opts.enabled);
  // The last text and its parsed layer: an unchanged file yields the same object on a reload.
  let last: { text: string; value: object } | undefined;
  const source: Source = {
    name,
    optional,
    ...(opts.enabled === undefined ? {} : { enabled: opts.enabled }),
    async load() {
      try {
        const text = decodeText(await readBounded(resolved, name, maxBytes), name, 'file');
        if (last?.text === text) return last.value;
        // `.json` is strict JSON, `.yaml`/`.yml` YAML; an extension the format table does not know is
        // JSON5. Looked up here, not when the source is built: a handler may build it every call.
        const value = await parseLayerText(text, formatOfPath(resolved) ?? 'json5', name);
        last = { text, value };
        return value;
      } catch (err) {
        throw withFile(err, resolved);
      }
    },
  };
  return describe(source, descriptor, key);
}
