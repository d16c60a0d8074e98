import type { Statement } from '../statements.js';
import { cdkSnippet, cdkStatements } from './cdk.js';
import { jsonPolicy, jsonSnippet } from './json.js';
import { samPolicies, samSnippet } from './sam.js';

/** One output format of `strataconf iam`: the whole policy, and one statement for a note. */
export interface PolicyFormat {
  document(statements: readonly Statement[]): string;
  snippet(statement: Statement): string;
}

/** `--format`: a policy document, SAM's `Policies:` block, or CDK `PolicyStatement`s. */
export const POLICY_FORMATS = {
  json: { document: jsonPolicy, snippet: jsonSnippet },
  sam: { document: samPolicies, snippet: samSnippet },
  cdk: { document: cdkStatements, snippet: cdkSnippet },
} as const satisfies Record<string, PolicyFormat>;

/** A `--format` value. */
export type PolicyFormatName = keyof typeof POLICY_FORMATS;

/** True for a `--format` value `strataconf iam` writes. */
export function isPolicyFormat(name: string): name is PolicyFormatName {
  return Object.hasOwn(POLICY_FORMATS, name);
}
