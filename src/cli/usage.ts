/** Help texts: the short usage printed with a usage error, and the full text of `--help`. */

export type CommandName =
  | 'print'
  | 'get'
  | 'validate'
  | 'diff'
  | 'schema'
  | 'env'
  | 'check'
  | 'iam'
  | 'local';

export const COMMANDS: readonly CommandName[] = [
  'print',
  'get',
  'validate',
  'diff',
  'schema',
  'env',
  'check',
  'iam',
  'local',
];

const SOURCES_HELP = `Sources (repeatable; later ones win, in command-line order):
  --file PATH               a .json5, .json or .yaml/.yml file that must exist
  --optional-file PATH      a file that is skipped, with a warning, when missing
  --s3 s3://bucket/key      an S3 object (optional: skipped, with a warning, when missing)
  --required-s3 s3://b/k    an S3 object that must exist
  --env PREFIX              environment variables: PREFIXDB__HOST sets db.host
  --source SPEC             any STRATACONF_SOURCES form below, e.g. --source ssm:/orders/prod/
  --loader MODULE           a JS module whose default export is defineConfig(...): its sources
                            and schema are used, and the sources above are appended after its own
  --loader MODULE#NAME      the definition exported as NAME (without #NAME: the default export,
                            else the module's only exported definition)
  --overrides POLICY        warn (default), error or ignore: a layer replacing an unmarked value
  --unknown-keys POLICY     warn (default), error or ignore: a key the schema does not declare
Without sources or --loader, STRATACONF_SOURCES is read (comma-separated):
  file:PATH, file?:PATH (optional), s3://b/k (optional), s3!://b/k (required), env:PREFIX,
  ssm:/path/ (SSM parameters under a path, optional), ssm!:/path/ (required),
  secret:ID (a Secrets Manager secret, optional), secret!:ID (required); either with #at=PATH to
  place the secret at a dotted path (secret:orders/db#at=db.password),
  appconfig:app/env/profile (an AppConfig configuration profile, optional), appconfig!:... (required)`;

const SHORT: Record<CommandName, string> = {
  print:
    'strataconf print [SOURCES] [--loader MODULE] [--format json|json5|env] [--prefix PREFIX] [--explain] [--show-secrets]',
  get: 'strataconf get PATH [SOURCES] [--loader MODULE] [--show-secrets]',
  validate: 'strataconf validate [SOURCES] [--loader MODULE] [--strict]',
  diff: 'strataconf diff LEFT-SOURCES -- RIGHT-SOURCES [--set-env NAME=VALUE] [--format text|json] [--show-secrets]',
  schema: 'strataconf schema --loader MODULE [--out FILE]',
  env: 'strataconf env --loader MODULE [--format table|json|markdown]',
  check: 'strataconf check FILE... --loader MODULE',
  iam: 'strataconf iam [SOURCES] [--loader MODULE] [--region R] [--account A] [--format json|sam|cdk]',
  local: 'strataconf local --dir DIR [--port N] [--format sh|json] [--background]',
};

const DETAILS: Record<CommandName, string> = {
  print: `Prints the merged, validated config (secrets redacted).
  --format json             2-space indented JSON (the default)
  --format json5            JSON5
  --format env              NAME=value lines that reproduce the config through fromEnv: db.host is
                            PREFIX + DB__HOST; arrays and objects as JSON; quoted for a POSIX shell
  --prefix PREFIX           the prefix of --format env (default: the prefix of the last env source)
  --explain                 one row per value instead: path, value, source, the sources it replaced
                            (a table; a JSON array of { path, value, source, overridden } with
                            --format json)
  --show-secrets            print secret values instead of "[redacted]"`,
  get: `Prints the value at a dotted PATH (db.host, servers.0.port or servers[0].port): a string raw,
anything else as JSON. A missing path exits 1 with MISSING_KEY.
  --show-secrets            print a secret value instead of "[redacted]"`,
  validate: `Loads and validates the config; prints one "ok" line, or the error's code and message on
stderr and exits 1. Warnings (dropped optional sources, unexpected overrides, unknown keys) go to
stderr.
  --strict                  unknown keys, unexpected overrides and dropped optional sources fail
                            the check too (exit 1), for CI`,
  diff: `Compares two stacks, for example staging and production: each side takes its own SOURCES and
--loader; -- separates them. Prints every path whose value differs, with both values (redacted) and
the sources that set them. Exits 0 when equal, 1 when they differ (or a side fails to load).
  --format text             one block per path (the default)
  --format json             a JSON array of { path, left, right }, each side { value, source } or null
  --show-secrets            print secret values instead of "[redacted]"
  --set-env NAME=VALUE      an environment variable for this side only (repeatable): with it, each
                            side loads in a process of its own, so a --loader module that reads
                            its stage from the environment at import time sees this side's value
Example: strataconf diff --file base.json5 --file staging.json5 -- --file base.json5 --file prod.json5
         strataconf diff --loader config.mjs --set-env CONFIG_S3_URI=s3://cfg/staging.json5 --
                         --loader config.mjs --set-env CONFIG_S3_URI=s3://cfg/production.json5`,
  schema: `Prints a JSON Schema (draft 2020-12) for one layer file of the --loader definition: every key
optional, any value may be { "$override": "why" } or { "$default": value }, undeclared keys refused
where the zod object is not open. Give it to an editor (VS Code: the json.schemas setting, or a
"$schema" key in the file) to complete and check config.json5 and S3 layers; for YAML layers, the
YAML language server reads it too (a "# yaml-language-server: $schema=FILE" first line, or the
yaml.schemas setting). Paths the JSON Schema
cannot check (transforms, refinements, custom types) are named on stderr.
  --out FILE                write the schema into FILE instead of stdout`,
  env: `Lists every environment variable the definition's fromEnv sources accept for the schema's
values: name, dotted path, type, whether it is required (no default, and no layer below the env
source sets it; remote layers are not read), default, secret (defaults of secrets redacted), and
whether setting it would warn (a layer below sets its value without $default).
  --format table            a table for a person (the default)
  --format json             a JSON array of { name, path, type, required, secret }, plus
                            wouldWarn on the rows it applies to
  --format markdown         a Markdown table, for a README`,
  check: `Checks each layer FILE on its own against the --loader definition's schema, read partially: unknown
keys, values of the wrong type, markers of the wrong shape; the other layers are not loaded. A .yaml
or .yml FILE is read as YAML, any other as JSON5 (.json as JSON). Prints
FILE:LINE:COLUMN: problem for each, and exits 1 when there is one (0 when all files pass).`,
  iam: `Prints the least-privilege IAM policy for the stack's remote layers, read from the sources
themselves (nothing is loaded or fetched): s3:GetObject on each S3 object (and
s3:GetObjectVersion with a versionId), ssm:GetParametersByPath on each SSM path, secretsmanager:GetSecretValue on each secret
(a name matches the six characters AWS appends), appconfig:StartConfigurationSession and
appconfig:GetLatestConfiguration on each AppConfig profile (by ID; a name becomes *). Files and env
variables need no grant. Notes on stderr say where a grant depends on what strataconf cannot see (a
customer managed KMS key, s3:ListBucket for a missing object, AppConfig names, a source you wrote),
with the optional statements to paste. No remote layer: nothing on stdout, a note, exit 0.
  --region R                the region of the ARNs when a source names none (default: *; in sam and
                            cdk, the stack's region); a source's own region option wins
  --account A               the 12-digit account of the ARNs (default: *; in sam and cdk, the stack's)
  --format json             an IAM policy document (the default)
  --format sam              the Policies: block of an AWS::Serverless::Function
  --format cdk              a TypeScript module of aws-cdk-lib iam.PolicyStatements for a NodejsFunction`,
  local: `Serves DIR as local S3, SSM Parameter Store, Secrets Manager and AppConfig stores on 127.0.0.1,
for running a handler or the CLI with no AWS account. Prints the environment that points the AWS
SDK and strataconf at them (endpoints, region, credentials, the AppConfig extension's port), reads
a file again when it changed, and serves until Ctrl-C (SIGINT) or SIGTERM. Requests go to stderr.
  DIR/s3/BUCKET/KEY...       one S3 object per file (an empty folder is an empty bucket)
  DIR/ssm.json               { "/name": "value" } or { "/name": { "value": "v", "type": "SecureString" } }
  DIR/secrets.json           { "name": "a string" } or { "name": { "a": "JSON object" } }
  DIR/appconfig/APP/ENV/PROFILE.json|.json5|.yaml|.yml   one AppConfig configuration profile
  --port N                  the port (default: a free one)
  --format sh               export NAME='value' lines, for eval in a shell (the default)
  --format json             one JSON object
  --background              serve from a process of its own and return at once, printing
                            STRATACONF_LOCAL_PID too: eval "$(strataconf local --dir DIR --background)",
                            then kill "$STRATACONF_LOCAL_PID" to stop it`,
};

const SCHEMA_TOOLS = new Set<CommandName>(['schema', 'env', 'check']);

const LOADER_HELP = `--loader MODULE             a JS module whose default export is defineConfig(...) with a schema`;

const EXIT_CODES = `Exit codes: 0 success, 1 the config failed to load or validate, 2 usage error.`;

/** The one-line usage of a command, or of all commands. */
export function shortUsage(command?: CommandName): string {
  const lines = command ? [SHORT[command]] : COMMANDS.map((c) => SHORT[c]);
  const hint = command ? `strataconf ${command} --help` : 'strataconf COMMAND --help';
  return `Usage: ${lines.join('\n       ')}\nRun '${hint}' for details.\n`;
}

/** The full help of a command, or the overview. */
export function fullHelp(command?: CommandName): string {
  if (!command) {
    return `strataconf: layered configuration, printed, explained, checked and compared.

Usage: ${COMMANDS.map((c) => SHORT[c]).join('\n       ')}

${SOURCES_HELP}

Secrets (keys matching password, secret, token, apiKey, privateKey, credential or ending in a Key
word like stripeKey or signing_key, and schema values marked .meta({ secret: true })) print as
"[redacted]" unless --show-secrets; a URL under a key ending in url, uri or dsn shows with its
password redacted.
${EXIT_CODES}
Run 'strataconf COMMAND --help' for a command's options.
`;
  }
  // schema, env and check read the --loader definition only: the source flags do not apply to them.
  if (SCHEMA_TOOLS.has(command))
    return `Usage: ${SHORT[command]}\n\n${DETAILS[command]}\n\n${LOADER_HELP}\n\n${EXIT_CODES}\n`;
  // local reads no sources and loads no config.
  if (command === 'local') return `Usage: ${SHORT[command]}\n\n${DETAILS[command]}\n\n${EXIT_CODES}\n`;
  return `Usage: ${SHORT[command]}\n\n${DETAILS[command]}\n\n${SOURCES_HELP}\n\n${EXIT_CODES}\n`;
}
