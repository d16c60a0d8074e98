import { escapeIam, hasPseudo, type PartWriter, type Pattern, writePattern } from '../pattern.js';
import type { Statement } from '../statements.js';
import { shapeOf } from './shape.js';

/**
 * TypeScript for an AWS CDK app: aws-cdk-lib's `iam.PolicyStatement`s, to add to a `NodejsFunction`
 * with `fn.addToRolePolicy(statement)`. Where a source names no region or account, the ARN is a
 * template literal of the stack's own (`Aws.REGION`, `Aws.ACCOUNT_ID`, `Aws.PARTITION`).
 */

/** A string literal in single quotes (the escapes are JSON's, which TypeScript reads alike). */
export function tsString(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}

const TEMPLATE_PARTS: PartWriter = {
  literal: (text) => escapeIam(text).replace(/[`\\]|\$\{/g, (c) => `\\${c}`),
  wildcard: (text) => text,
  pseudo: (name) =>
    `\${Aws.${{ partition: 'PARTITION', region: 'REGION', account: 'ACCOUNT_ID', urlSuffix: 'URL_SUFFIX' }[name]}}`,
};

function cdkPattern(pattern: Pattern): string {
  if (hasPseudo(pattern)) return `\`${writePattern(pattern, TEMPLATE_PARTS)}\``;
  return tsString(writePattern(pattern, { ...TEMPLATE_PARTS, literal: escapeIam }));
}

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : tsString(name));
const list = (items: readonly string[]) => `[${items.join(', ')}]`;

/** `new iam.PolicyStatement({ ... })`, its lines indented by `indent`. */
function statementCode(statement: Statement, indent: string): string {
  const shape = shapeOf(statement, cdkPattern);
  const actions = Array.isArray(shape.Action) ? shape.Action : [shape.Action];
  const props = [
    `sid: ${tsString(shape.Sid)},`,
    `actions: ${list(actions.map(tsString))},`,
    `resources: [${shape.Resource}],`,
  ];
  if (shape.Condition !== undefined) {
    const operators = Object.entries(shape.Condition).map(
      ([op, keys]) =>
        `${key(op)}: { ${Object.entries(keys)
          .map(([k, values]) => `${key(k)}: ${list(values)}`)
          .join(', ')} }`,
    );
    props.push(`conditions: { ${operators.join(', ')} },`);
  }
  const body = props.map((p) => `${indent}  ${p}`).join('\n');
  return `new iam.PolicyStatement({\n${body}\n${indent}})`;
}

/** A module exporting `configReadStatements()`; it imports `Aws` only when an ARN uses it. */
export function cdkStatements(statements: readonly Statement[]): string {
  const usesAws = statements.some(
    (s) =>
      hasPseudo(s.resource) ||
      Object.values(s.condition ?? {}).some((keys) => Object.values(keys).some((v) => v.some(hasPseudo))),
  );
  const items = statements.map((s) => `    ${statementCode(s, '    ')},`).join('\n');
  return [
    "// The config layers' reads, from `strataconf iam --format cdk`: one statement per layer.",
    '// In the stack: for (const statement of configReadStatements()) fn.addToRolePolicy(statement);',
    ...(usesAws ? ["import { Aws } from 'aws-cdk-lib';"] : []),
    "import * as iam from 'aws-cdk-lib/aws-iam';",
    '',
    '/** The IAM statements the function needs to read its config layers. */',
    'export function configReadStatements(): iam.PolicyStatement[] {',
    '  return [',
    items,
    '  ];',
    '}',
    '',
  ].join('\n');
}

/** A statement to add beside them: `fn.addToRolePolicy(new iam.PolicyStatement({ ... }));`. */
export function cdkSnippet(statement: Statement): string {
  return `fn.addToRolePolicy(${statementCode(statement, '')});`;
}
