import { YAML_OPTIONS } from '../../formats/yaml.js';
import { loadYamlPackage } from '../../formats/yaml-package.js';
import type { Position, Positions } from './positions.js';

/**
 * Where each key and value of a YAML layer starts, by path, from the yaml package's document (its
 * nodes carry source offsets): what `scanPositions` is for JSON5. Called on text that already
 * parsed as a layer, so every key is a scalar.
 */
export async function yamlPositions(text: string, source: string): Promise<Positions> {
  const yaml = await loadYamlPackage(source);
  const lines = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { ...YAML_OPTIONS, lineCounter: lines });
  const out: Positions = { values: new Map(), keys: new Map() };
  const at = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const walk = (node: unknown, path: string[]): void => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) out.values.set(JSON.stringify(path), at(range[0]));
    if (yaml.isMap(node)) {
      for (const pair of node.items) {
        if (!yaml.isScalar(pair.key)) continue;
        const key = [...path, String(pair.key.value)];
        if (pair.key.range) out.keys.set(JSON.stringify(key), at(pair.key.range[0]));
        walk(pair.value, key);
      }
    } else if (yaml.isSeq(node)) {
      for (const [i, item] of node.items.entries()) walk(item, [...path, String(i)]);
    }
  };
  walk(doc.contents, []);
  return out;
}
