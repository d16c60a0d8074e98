import { inspect } from 'node:util';
import { expect } from 'vitest';
import type { CapturedWarning } from '../../src/testing.js';

/**
 * Shared by the secrets suites: everything a person or a log pipeline could see of an outcome, and
 * the check that no planted secret is in it.
 */

/** The text of every surface: message, stack, JSON form, util.inspect (hidden fields, every cause). */
export function surfaces(outcome: unknown, warnings: readonly CapturedWarning[] = []): string {
  const parts = [
    inspect(outcome, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    inspect(warnings, { depth: Number.POSITIVE_INFINITY }),
    JSON.stringify(warnings),
  ];
  let err: unknown = outcome;
  while (err instanceof Error) {
    parts.push(err.message, String(err.stack), safeJson(err));
    err = err.cause;
  }
  return parts.join('\n');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** Fails naming the secrets found in `text`. */
export function expectNoSecrets(text: string, secrets: readonly string[]): void {
  expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
}
