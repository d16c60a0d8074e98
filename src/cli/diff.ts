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

interface Leaf {
  path: string[];
  value: unknown;
  source: string;
}

function leaves(config: object): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  // Compared by their real values: two different secrets are a difference, printed redacted.
  for (const row of explainConfig(config, { showSecrets: true })) out.set(JSON.stringify(row.path), row);
  return out;
}

/**
 * The leaves whose values differ (compared unredacted), in the left stack's order, then the paths
 * only the right stack has. A value that is secret on either side prints redacted on both.
 */
export function diffConfigs(left: object, right: object, redactor: Redactor): DiffEntry[] {
  const a = leaves(left);
  const b = leaves(right);
  const out: DiffEntry[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const l = a.get(key);
    const r = b.get(key);
    if (l && r && isDeepStrictEqual(l.value, r.value)) continue;
    const path = (l ?? r)?.path ?? [];
    const side = (leaf: Leaf | undefined): DiffSide | null =>
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
