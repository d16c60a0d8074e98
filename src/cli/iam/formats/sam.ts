import { escapeIam, hasPseudo, type PartWriter, type Pattern, writePattern } from '../pattern.js';
import type { Statement } from '../statements.js';
import { POLICY_VERSION, shapeOf } from './shape.js';

/**
 * The `Policies:` block of an `AWS::Serverless::Function`, as YAML text. Where a source names no
 * region or account, the ARN is a `!Sub` of the stack's own (`${AWS::Region}`, `${AWS::AccountId}`,
 * `${AWS::Partition}`), as SAM's policy templates write them: the function reads its stores there.
 */

/** A `!Sub` string: `${` is CloudFormation's, so a literal one is written `${!`. */
const SUB_PARTS: PartWriter = {
  literal: (text) => escapeIam(text).replaceAll('${', '${!'),
  wildcard: (text) => text,
  pseudo: (name) =>
    `\${AWS::${{ partition: 'Partition', region: 'Region', account: 'AccountId', urlSuffix: 'URLSuffix' }[name]}}`,
};

const PLAIN_PARTS: PartWriter = { ...SUB_PARTS, literal: escapeIam };

/** A YAML scalar already written (quoted, or tagged `!Sub`). */
class Written {
  constructor(readonly text: string) {}
}

/** Words YAML 1.1 reads as booleans or null: quoted even though they are plain-safe. */
const RESERVED = /^(?:y|yes|n|no|true|false|on|off|null)$/i;

function quoted(text: string): string {
  // Double quotes (as Biome and Prettier format YAML): JSON's escapes are YAML's, plus \xXX for the
  // control characters JSON leaves raw (DEL and the C1 range).
  return JSON.stringify(text).replace(
    /\p{Cc}/gu,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function scalar(text: string): string {
  return /^[A-Za-z][A-Za-z0-9:/._@+=,*?-]*$/.test(text) && !RESERVED.test(text) ? text : quoted(text);
}

function samPattern(pattern: Pattern): Written {
  return hasPseudo(pattern)
    ? new Written(`!Sub ${quoted(writePattern(pattern, SUB_PARTS))}`)
    : new Written(scalar(writePattern(pattern, PLAIN_PARTS)));
}

type Node = string | Written | Node[] | { [key: string]: Node };

/** Block-style YAML lines of `node` at `indent` (a mapping's or a sequence's items). */
function lines(node: Node, indent: string): string[] {
  if (Array.isArray(node)) {
    return node.flatMap((item) => {
      const [first = '', ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
    });
  }
  if (typeof node === 'string' || node instanceof Written) return [`${indent}${inline(node)}`];
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'string' || value instanceof Written
      ? [`${indent}${scalar(key)}: ${inline(value)}`]
      : [`${indent}${scalar(key)}:`, ...lines(value, `${indent}  `)],
  );
}

function inline(value: string | Written): string {
  return value instanceof Written ? value.text : scalar(value);
}

function samStatement(statement: Statement): Node {
  return shapeOf(statement, samPattern) as unknown as Node;
}

/** The `Policies:` block, for the function's `Properties`. */
export function samPolicies(statements: readonly Statement[]): string {
  const document: Node = { Policies: [{ Version: POLICY_VERSION, Statement: statements.map(samStatement) }] };
  return `${lines(document, '').join('\n')}\n`;
}

/** A statement to paste as one more item of `Statement:`. */
export function samSnippet(statement: Statement): string {
  return lines([samStatement(statement)], '').join('\n');
}
