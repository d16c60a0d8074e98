// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is IAM's and CloudFormation's own syntax.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { cdkSnippet, cdkStatements } from '../../../src/cli/iam/formats/cdk.js';
import { jsonPolicy, jsonSnippet } from '../../../src/cli/iam/formats/json.js';
import { samPolicies, samSnippet } from '../../../src/cli/iam/formats/sam.js';
import { planPolicy } from '../../../src/cli/iam/policy.js';
import type { Scope, Statement } from '../../../src/cli/iam/statements.js';
import { fromAppConfig, fromS3, fromSecret, fromSsm } from '../../../src/index.js';
import { readYamlSubset } from './yaml-subset.js';

/** Every kind of statement and note, and S3 keys that need each format's escapes. */
function plan(scope: Scope = {}) {
  return planPolicy(
    [
      fromS3('s3://my-config/orders/prod.json5'),
      fromS3("s3://my-config/odd/it's a*b?$c ${x} `t` \\ é.json5", { versionId: 'v1' }),
      fromSsm('/orders/prod/'),
      fromSsm('/', { region: 'cn-north-1' }),
      fromSecret('orders/prod/db'),
      fromSecret('arn:aws:secretsmanager:us-east-2:111122223333:secret:shared/db-AbC123'),
      fromAppConfig('orders/abc1234/settings'),
    ],
    scope,
  );
}

/** What a deploy without --region/--account resolves the stack's pseudo values to, as JSON writes them. */
const STACK: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': '*',
  'AWS::AccountId': '*',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** CloudFormation's Fn::Sub: `${!x}` is a literal `${x}`, `${AWS::...}` a pseudo parameter, nothing else. */
function sub(text: string): string {
  return text.replace(/\$\{(!?)([^}]*)\}/g, (_, bang: string, name: string) => {
    if (bang === '!') return `\${${name}}`;
    const value = STACK[name];
    if (value === undefined) throw new Error(`Fn::Sub would look for a parameter named ${name}`);
    return value;
  });
}

function resolveSubs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveSubs);
  if (typeof value !== 'object' || value === null) return value;
  const sub_ = (value as { 'Fn::Sub'?: string })['Fn::Sub'];
  if (sub_ !== undefined) return sub(sub_);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveSubs(v)]));
}

interface Props {
  sid: string;
  actions: string[];
  resources: string[];
  conditions?: object;
}

/**
 * Runs TypeScript `code` against a stand-in aws-cdk-lib, with `iam`, `Aws` and a function `fn` also in
 * scope (where a note's snippet is pasted); what each PolicyStatement was given, as IAM JSON, and how
 * many statements were added to `fn`.
 */
function runCdk(code: string): { statements: unknown[]; added: number } {
  const out = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: true,
  });
  expect(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  const made: Props[] = [];
  const iam = {
    PolicyStatement: class {
      constructor(props: Props) {
        made.push(props);
      }
    },
  };
  const Aws = { PARTITION: 'aws', REGION: '*', ACCOUNT_ID: '*', URL_SUFFIX: 'amazonaws.com' };
  let added = 0;
  const fn = { addToRolePolicy: () => added++ };
  const modules: Record<string, unknown> = { 'aws-cdk-lib': { Aws }, 'aws-cdk-lib/aws-iam': iam };
  const exports: { configReadStatements?: () => unknown[] } = {};
  const require = (name: string) => {
    if (!(name in modules)) throw new Error(`imports ${name}`);
    return modules[name];
  };
  // In a block of its own: a module's own `import * as iam` shadows the pasted snippet's scope.
  const body = `{\n${out.outputText}\n}`;
  new Function('require', 'exports', 'iam', 'Aws', 'fn', body)(require, exports, iam, Aws, fn);
  exports.configReadStatements?.();
  const statements = made.map(({ sid, actions, resources, conditions }) => {
    expect(resources).toHaveLength(1);
    return {
      Sid: sid,
      Effect: 'Allow',
      Action: actions.length === 1 ? actions[0] : actions,
      Resource: resources[0],
      ...(conditions === undefined ? {} : { Condition: conditions }),
    };
  });
  return { statements, added };
}

const noteStatements = (statements: { notes: { statements?: Statement[] }[] }) =>
  statements.notes.flatMap((n) => n.statements ?? []);

describe('strataconf iam formats', () => {
  const { statements, notes } = plan();
  const json = JSON.parse(jsonPolicy(statements)) as { Version: string; Statement: unknown[] };

  it('writes a policy document of version 2012-10-17 with one statement per layer', () => {
    expect(json.Version).toBe('2012-10-17');
    expect(json.Statement).toHaveLength(statements.length);
    expect(json.Statement[1]).toMatchObject({
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: "arn:aws:s3:::my-config/odd/it's a${*}b${?}${$}c ${$}{x} `t` \\ é.json5",
    });
  });

  it('writes the same statements as the Policies: block of a SAM function, in YAML', () => {
    const text = samPolicies(statements);
    expect(text.startsWith('Policies:\n  - Version: ')).toBe(true);
    const parsed = readYamlSubset(text) as { Policies: unknown[] };
    expect(Object.keys(parsed)).toEqual(['Policies']);
    expect(resolveSubs(parsed.Policies)).toEqual([json]);
  });

  it("writes ARNs without a region or account as a !Sub of the stack's own", () => {
    const text = samPolicies(statements);
    expect(text).toContain(
      'Resource: !Sub "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/prod"',
    );
    // A source with a region keeps it; the account is still the stack's.
    expect(text).toContain('Resource: !Sub "arn:aws-cn:ssm:cn-north-1:${AWS::AccountId}:parameter/"');
    expect(text).toContain('Resource: arn:aws:secretsmanager:us-east-2:111122223333:secret:shared/db-AbC123');
  });

  it('writes the same statements as aws-cdk-lib PolicyStatements, in TypeScript that compiles', () => {
    const code = cdkStatements(statements);
    expect(code).toContain("import * as iam from 'aws-cdk-lib/aws-iam';");
    expect(code).toContain("import { Aws } from 'aws-cdk-lib';");
    expect(code).toContain('export function configReadStatements(): iam.PolicyStatement[] {');
    expect(runCdk(code)).toEqual({ statements: json.Statement, added: 0 });
  });

  it('writes literal ARNs when --region and --account are given: no !Sub, no Aws import', () => {
    const fixed = plan({ region: 'eu-west-1', account: '123456789012' });
    const sam = samPolicies(fixed.statements);
    expect(sam).not.toContain('!Sub');
    expect(resolveSubs((readYamlSubset(sam) as { Policies: unknown }).Policies)).toEqual([
      JSON.parse(jsonPolicy(fixed.statements)),
    ]);
    const cdk = cdkStatements(fixed.statements);
    expect(cdk).not.toContain('Aws');
    expect(runCdk(cdk).statements).toEqual(JSON.parse(jsonPolicy(fixed.statements)).Statement);
  });

  it("writes each note's statement in the format asked for, ready to paste", () => {
    const optional = noteStatements({ notes });
    // kms:Decrypt once per place: the stack's region, cn-north-1, and the shared secret's us-east-2.
    expect(optional.map((s) => [s.sid, s.actions[0]])).toEqual([
      ['S3ListMyConfig', 's3:ListBucket'],
      ['KmsDecrypt', 'kms:Decrypt'],
      ['KmsDecrypt2', 'kms:Decrypt'],
      ['KmsDecrypt3', 'kms:Decrypt'],
    ]);
    for (const statement of optional) {
      const expected = JSON.parse(jsonSnippet(statement));
      expect(resolveSubs(readYamlSubset(samSnippet(statement)))).toEqual([expected]);
      expect(runCdk(cdkSnippet(statement))).toEqual({ statements: [expected], added: 1 });
    }
  });
});
