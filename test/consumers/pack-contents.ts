/**
 * What the published tarball may hold: the build, the documents a reader of npm expects (the README
 * and the pages it links to, so its relative links work in node_modules too), and package.json.
 * Nothing else: no tests, fixtures, sources, benchmark code or examples.
 */

/** Files allowed beside `dist/**`, and each required in the tarball. */
export const REQUIRED_TOP_LEVEL = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'BENCHMARKS.md',
  'SECURITY.md',
  'docs/API.md',
  'docs/migrating.md',
] as const;

/** The guide: Markdown pages only, any number, directly in docs/guide/. */
const GUIDE_PAGE = /^docs\/guide\/[\w.-]+\.md$/;

/** The fields of package.json that point into the tarball. */
export interface PackageJsonShape {
  main?: string;
  module?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
}

function normalise(path: string): string {
  return path.replace(/^\.\//, '');
}

/** Every file path package.json refers to (main, module, types, bin, each export condition). */
export function referencedFiles(pkg: PackageJsonShape): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') found.add(normalise(value));
    else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) visit(v);
  };
  visit([pkg.main, pkg.module, pkg.types, pkg.bin, pkg.exports]);
  return [...found].sort();
}

/**
 * The problems with a tarball's file list, one sentence each; empty when the tarball is right.
 *
 * @example
 * ```ts
 * packProblems(['package.json', 'dist/index.js', 'src/index.ts'], pkg);
 * // ['unexpected file in the tarball: src/index.ts', 'missing from the tarball: README.md', ...]
 * ```
 */
export function packProblems(files: readonly string[], pkg: PackageJsonShape): string[] {
  const present = new Set(files);
  const problems: string[] = [];
  const allowed = new Set<string>(REQUIRED_TOP_LEVEL);
  for (const file of files) {
    const inDist = file.startsWith('dist/');
    if (!inDist && !allowed.has(file) && !GUIDE_PAGE.test(file))
      problems.push(`unexpected file in the tarball: ${file}`);
    if (inDist && /(^|\/)(test|tests|__tests__|fixtures)\/|\.test\.|\.spec\./.test(file)) {
      problems.push(`test file in the build: ${file}`);
    }
  }
  for (const file of REQUIRED_TOP_LEVEL) {
    if (!present.has(file)) problems.push(`missing from the tarball: ${file}`);
  }
  for (const file of referencedFiles(pkg)) {
    if (!present.has(file)) problems.push(`package.json points to a file the tarball lacks: ${file}`);
  }
  return problems;
}
