import { afterEach, expect } from 'vitest';

/**
 * A clean test run prints no strataconf warning: a test that causes one captures it (a
 * `captureWarnings()` logger, or `loadFresh`) and asserts it where it matters. A warning that
 * reaches the default logger (`console.warn`) fails the test that wrote it. A test that checks the
 * default logger itself spies on `console.warn`, which takes this wrapper out of the way.
 */

const stray: string[] = [];

function strataconfLine(first: unknown): string | undefined {
  if (typeof first === 'string') return first.startsWith('[strataconf]') ? first : undefined;
  const record = first as { logger?: unknown; message?: unknown } | null;
  return typeof record === 'object' && record?.logger === 'strataconf' ? String(record.message) : undefined;
}

const original = console.warn;
console.warn = (...args: unknown[]) => {
  const line = strataconfLine(args[0]);
  if (line !== undefined) stray.push(line);
  original.apply(console, args);
};

afterEach(() => {
  const lines = stray.splice(0);
  expect(lines, 'strataconf warnings reached console.warn: give the load a captureWarnings() logger').toEqual(
    [],
  );
});
