import { isDeepStrictEqual } from 'node:util';
import { explainConfig } from '../explain.js';
import { toJson } from './formats.js';
import type { Paint } from './io.js';
import type { Redactor } from './redact.js';

/** One side of a differing path: the value (redacted) and the source that set it. */
export interface DiffSide {
  value: unknown;
  source: string;
}

/** A path whose value differs between the two stacks; `null` where a side has no value there. */
export interface DiffEntry {
  path: string;
  left: DiffSide | null;
  right: DiffSide | null;
}

/**
 * One leaf of a side: its value and the source that set it. A side loaded in a child process
 * sends its values redacted, with a `digest` of each unredacted value to compare instead.
 */
export interface DiffLeaf {
  path: string[];
  value: unknown;
  source: string;
  digest?: string;
}

/** The leaves of a loaded config, values unredacted (two different secrets are a difference). */
export function leavesOf(config: object): DiffLeaf[] {
  return explainConfig(config, { showSecrets: true }).map(({ path, value, source }) => ({
    path,
    value,
    source,
  }));
}

function byPath(leaves: readonly DiffLeaf[]): Map<string, DiffLeaf> {
  return new Map(leaves.map((leaf) => [JSON.stringify(leaf.path), leaf]));
}

function same(l: DiffLeaf, r: DiffLeaf): boolean {
  if (l.digest !== undefined && r.digest !== undefined) return l.digest === r.digest;
  return isDeepStrictEqual(l.value, r.value);
}

/** {@link diffLeaves} of two loaded configs. */
export function diffConfigs(left: object, right: object, redactor: Redactor): DiffEntry[] {
  return diffLeaves(leavesOf(left), leavesOf(right), redactor);
}

/**
 * The leaves whose values differ (compared unredacted, or by digest), in the left stack's order,
 * then the paths only the right stack has. A value that is secret on either side prints redacted on both.
 */
export function diffLeaves(
  left: readonly DiffLeaf[],
  right: readonly DiffLeaf[],
  redactor: Redactor,
): DiffEntry[] {
  const a = byPath(left);
  const b = byPath(right);
  const out: DiffEntry[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const l = a.get(key);
    const r = b.get(key);
    if (l && r && same(l, r)) continue;
    const path = (l ?? r)?.path ?? [];
    const side = (leaf: DiffLeaf | undefined): DiffSide | null =>
      leaf ? { value: redactor.redact(leaf.value, path), source: leaf.source } : null;
    out.push({ path: path.join('.'), left: side(l), right: side(r) });
  }
  return out;
}

/** One block per differing path: `- left (source)` and `+ right (source)`, sources aligned. */
export function diffText(entries: readonly DiffEntry[], paint: Paint): string {
  if (entries.length === 0) return 'no differences\n';
  const text = (s: DiffSide | null) => (s ? toJson(s.value, 0) : '(absent)');
  const block = (e: DiffEntry): string => {
    const width = Math.max(text(e.left).length, text(e.right).length);
    const side = (mark: string, s: DiffSide | null) =>
      s ? `${mark} ${text(s).padEnd(width)}  ${paint.dim(`(${s.source})`)}` : `${mark} (absent)`;
    const path = paint.bold(e.path === '' ? '(root)' : e.path);
    return `${path}\n  ${paint.red(side('-', e.left))}\n  ${paint.green(side('+', e.right))}`;
  };
  const count = entries.length === 1 ? '1 path differs' : `${entries.length} paths differ`;
  return `${entries.map(block).join('\n')}\n${count}\n`;
}
