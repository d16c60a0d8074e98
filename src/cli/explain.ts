import { explainConfig } from '../explain.js';
import { toJson } from './formats.js';
import type { Paint } from './io.js';

/** One row of `print --explain --format json`. */
export interface ExplainRow {
  /** Dotted path of the leaf; `""` for an empty config. */
  path: string;
  value: unknown;
  source: string;
  overridden: string[];
}

/** One row per leaf of a loaded config, its value redacted unless `showSecrets` (`--show-secrets`). */
export function explainRows(config: object, showSecrets: boolean): ExplainRow[] {
  return explainConfig(config, { showSecrets }).map((row) => ({
    path: row.path.join('.'),
    value: row.value,
    source: row.source,
    overridden: row.overridden,
  }));
}

/** Longer values are cut in the table (the JSON form carries them whole). */
const MAX_VALUE_WIDTH = 60;

function cell(value: unknown): string {
  const text = value === undefined ? 'undefined' : toJson(value, 0);
  return text.length > MAX_VALUE_WIDTH ? `${text.slice(0, MAX_VALUE_WIDTH - 1)}…` : text;
}

/** A table for a person: PATH, VALUE, SOURCE, REPLACED (the sources whose value it replaced). */
export function explainTable(rows: readonly ExplainRow[], paint: Paint): string {
  const header = ['PATH', 'VALUE', 'SOURCE', 'REPLACED'];
  const body = rows.map((r) => [
    r.path === '' ? '(root)' : r.path,
    cell(r.value),
    r.source,
    r.overridden.length > 0 ? r.overridden.join(', ') : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[], style: (text: string, column: number) => string): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? style(c, i) : style(c.padEnd(widths[i] ?? 0), i)))
      .join('  ')
      .trimEnd();
  const out = [line(header, (c) => paint.bold(c))];
  for (const cells of body) out.push(line(cells, (c, i) => (i === 3 ? paint.dim(c) : c)));
  return `${out.join('\n')}\n`;
}
