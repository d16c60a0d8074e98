import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from './harness.js';

/**
 * docs/API.md is the reference a reader of GitHub or npm gets: it must name every export of
 * `strataconf` and `strataconf/testing`, values and types alike (read from the sources by the
 * TypeScript compiler, so a new export without a line in the reference fails here).
 */

function exportsOf(entries: Record<string, string>): Record<string, string[]> {
  const files = Object.values(entries).map((file) => join(REPO, file));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const result: Record<string, string[]> = {};
  for (const [entry, file] of Object.entries(entries)) {
    const source = program.getSourceFile(join(REPO, file));
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`cannot read the exports of ${file}`);
    result[entry] = checker.getExportsOfModule(module).map((symbol) => symbol.name);
  }
  return result;
}

/** The names that appear as a whole word inside an inline code span or a code heading. */
function namesInCode(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const span of markdown.match(/`[^`\n]+`/g) ?? []) {
    for (const word of span.match(/[A-Za-z_$][\w$]*/g) ?? []) names.add(word);
  }
  return names;
}

describe('docs/API.md', () => {
  const exported = exportsOf({ strataconf: 'src/index.ts', 'strataconf/testing': 'src/testing.ts' });
  const documented = namesInCode(readFileSync(join(REPO, 'docs/API.md'), 'utf8'));

  it.each(Object.keys(exported))('names every export of %s', (entry) => {
    const names = exported[entry] ?? [];
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('has a section for every function and class', () => {
    const markdown = readFileSync(join(REPO, 'docs/API.md'), 'utf8');
    const headings = new Set([...markdown.matchAll(/^#{2,4} `([^`]+)`/gm)].map((m) => m[1]));
    const callable = Object.values(exported)
      .flat()
      .filter((name) => /^[a-z]/.test(name) || name === 'ConfigError');
    expect(callable.filter((name) => !headings.has(name))).toEqual([]);
  });
});
