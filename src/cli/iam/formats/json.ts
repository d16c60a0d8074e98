import { escapeIam, type PartWriter, type Pattern, writePattern } from '../pattern.js';
import type { Statement } from '../statements.js';
import { POLICY_VERSION, shapeOf } from './shape.js';

/** A JSON policy does not know where it will be attached: any region and account, the `aws` partition. */
const JSON_PARTS: PartWriter = {
  literal: escapeIam,
  wildcard: (text) => text,
  pseudo: (name) => ({ partition: 'aws', urlSuffix: 'amazonaws.com', region: '*', account: '*' })[name],
};

/** One statement as IAM JSON. */
export function jsonStatement(statement: Statement): object {
  return shapeOf(statement, (pattern: Pattern) => writePattern(pattern, JSON_PARTS));
}

/** The policy document, 2-space indented. */
export function jsonPolicy(statements: readonly Statement[]): string {
  return `${JSON.stringify({ Version: POLICY_VERSION, Statement: statements.map(jsonStatement) }, null, 2)}\n`;
}

/** A statement to paste into the document's `Statement` list. */
export function jsonSnippet(statement: Statement): string {
  return JSON.stringify(jsonStatement(statement), null, 2);
}
