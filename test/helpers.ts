import { mkdtempSync, rmSync } from 'node:fs';
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
