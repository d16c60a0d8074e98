import { type CommandArgs, usageError } from '../args.js';
import { isPolicyFormat, POLICY_FORMATS, type PolicyFormatName } from '../iam/formats/index.js';
import { planPolicy } from '../iam/policy.js';
import type { Scope } from '../iam/statements.js';
import { type CliIo, paintFor } from '../io.js';
import { resolveStack } from '../stack.js';

const REGION = /^(?:\*|[a-z]{2}(?:-[a-z0-9]+)+-\d+)$/;
const ACCOUNT = /^(?:\*|\d{12})$/;

/** The format, region and account the command line asks for, checked. */
function checkArgs(args: CommandArgs): { format: PolicyFormatName; scope: Scope } {
  if (args.positionals.length > 0) {
    throw usageError(`iam takes no positional arguments (got "${args.positionals[0]}")`, 'iam');
  }
  const format = args.strings.format ?? 'json';
  if (!isPolicyFormat(format)) throw usageError(`--format must be json, sam or cdk, not "${format}"`, 'iam');
  const { region, account } = args.strings;
  if (region !== undefined && !REGION.test(region)) {
    throw usageError(`--region expects a region such as eu-west-1, not "${region}"`, 'iam');
  }
  if (account !== undefined && !ACCOUNT.test(account)) {
    throw usageError(`--account expects a 12-digit account ID, not "${account}"`, 'iam');
  }
  const scope: Scope = {};
  if (region !== undefined) scope.region = region;
  if (account !== undefined) scope.account = account;
  return { format, scope };
}

/**
 * `strataconf iam`: the least-privilege IAM policy for the remote layers of a stack, on stdout; on
 * stderr, notes where a grant depends on what strataconf cannot see. Nothing is loaded or fetched.
 * No remote layer: nothing on stdout (an empty `Statement` list is not a valid policy), a note on
 * stderr, exit 0.
 */
export async function iam(args: CommandArgs, io: CliIo): Promise<number> {
  const { format, scope } = checkArgs(args);
  const { sources } = await resolveStack(args.stack, io);
  const plan = planPolicy(sources, scope);
  const paint = paintFor(io.stderr, io.env);
  const writer = POLICY_FORMATS[format];
  for (const note of plan.notes) {
    const statements = (note.statements ?? []).map((s) => `${writer.snippet(s)}\n`).join('');
    io.stderr.write(`strataconf: ${paint.yellow('note')}: ${note.subject}: ${note.text}\n${statements}`);
  }
  if (plan.statements.length === 0) {
    io.stderr.write(
      `strataconf: ${paint.yellow('note')}: no remote layer (S3, SSM, Secrets Manager, AppConfig): reading this config needs no IAM grant, so there is no policy to print\n`,
    );
    return 0;
  }
  io.stdout.write(writer.document(plan.statements));
  return 0;
}
