import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { ConfigError } from '../src/errors.js';

/**
 * A new folder `strataconf-NAME-*` under the temp dir, removed when the calling test file's tests
 * are done. Call it at the top level of a test file (it registers an `afterAll`).
 */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `strataconf-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Absolute path of a file under fixtures/. */
export function fixture(...parts: string[]): string {
  return fileURLToPath(new URL(`../fixtures/${parts.join('/')}`, import.meta.url));
}

/** Awaits a promise that must reject with a ConfigError, and returns that error. */
export async function configError(promise: Promise<unknown> | (() => unknown)): Promise<ConfigError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw new Error(`expected a ConfigError, got ${String(err)}`);
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** A port on 127.0.0.1 that nothing listens on (one just freed): a connection to it is refused. */
export async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** What `work` rejected with (the test fails if it resolves). */
export async function rejection<E = unknown>(work: Promise<unknown>): Promise<E> {
  try {
    await work;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected a rejection');
}
