import { fileURLToPath } from 'node:url';
import { ConfigError } from '../src/errors.js';

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
