/** One source named on the command line or in `STRATACONF_SOURCES`, before it is built. */
export type SourceSpec =
  | { kind: 'file'; path: string; optional: boolean }
  | { kind: 's3'; target: string; optional: boolean }
  | { kind: 'env'; prefix: string }
  | { kind: 'ssm'; path: string; optional: boolean }
  | { kind: 'secret'; id: string; optional: boolean; at?: string }
  | { kind: 'appconfig'; target: string; optional: boolean };

/**
 * One source written as text: a `STRATACONF_SOURCES` entry or a `--source` value. Each form is a row
 * of `FORMS` (a prefix and how the rest becomes a source), so a new store is one more row.
 */

interface Form {
  prefix: string;
  /** The spec, or why the rest is not one. */
  parse(rest: string): SourceSpec | string;
}

function s3(rest: string, optional: boolean): SourceSpec | string {
  if (!rest.includes('/') || rest.startsWith('/') || rest.endsWith('/')) return 'needs a bucket and a key';
  return { kind: 's3', target: `s3://${rest}`, optional };
}

function ssm(rest: string, optional: boolean): SourceSpec | string {
  return rest.startsWith('/')
    ? { kind: 'ssm', path: rest, optional }
    : 'needs a parameter path starting with /';
}

function appconfig(rest: string, optional: boolean): SourceSpec | string {
  const parts = rest.split('/');
  return parts.length === 3 && parts.every((p) => p !== '')
    ? { kind: 'appconfig', target: rest, optional }
    : 'needs application/environment/profile';
}

/**
 * `ID` or `ID#at=db.password`: the secret placed under a dotted path. A secret's name cannot hold a
 * `#` (AWS allows letters, digits and `/_+=.@-`), nor can an ARN, so the first `#` starts the options.
 */
function secret(rest: string, optional: boolean): SourceSpec | string {
  const hash = rest.indexOf('#');
  if (hash < 0) return { kind: 'secret', id: rest, optional };
  const id = rest.slice(0, hash);
  const option = rest.slice(hash + 1);
  if (id === '') return 'has no secret id before #';
  if (!option.startsWith('at='))
    return `has "${option}" after #; expected at=PATH (the dotted path to place the secret at)`;
  const at = option.slice('at='.length);
  if (at === '' || at.split('.').some((key) => key === ''))
    return `has no dotted path after #at= (e.g. #at=db.password)`;
  return { kind: 'secret', id, optional, at };
}

// Longer prefixes first where one starts another (`file?:` before `file:`).
const FORMS: readonly Form[] = [
  { prefix: 'file?:', parse: (path) => ({ kind: 'file', path, optional: true }) },
  { prefix: 'file:', parse: (path) => ({ kind: 'file', path, optional: false }) },
  { prefix: 's3!://', parse: (rest) => s3(rest, false) },
  { prefix: 's3://', parse: (rest) => s3(rest, true) },
  { prefix: 'env:', parse: (prefix) => ({ kind: 'env', prefix }) },
  { prefix: 'ssm!:', parse: (rest) => ssm(rest, false) },
  { prefix: 'ssm:', parse: (rest) => ssm(rest, true) },
  { prefix: 'secret!:', parse: (rest) => secret(rest, false) },
  { prefix: 'secret:', parse: (rest) => secret(rest, true) },
  { prefix: 'appconfig!:', parse: (rest) => appconfig(rest, false) },
  { prefix: 'appconfig:', parse: (rest) => appconfig(rest, true) },
];

/** Every form, for messages and help. */
export const SPEC_FORMS =
  'file:PATH, file?:PATH, s3://bucket/key, s3!://bucket/key, env:PREFIX, ssm:/path/, ssm!:/path/, secret:ID, secret!:ID (either with #at=PATH), appconfig:app/env/profile or appconfig!:app/env/profile';

/** The source `text` names, or why it names none (`is not a source`, `has nothing after its kind`...). */
export function parseSourceSpec(text: string): SourceSpec | string {
  const form = FORMS.find((f) => text.startsWith(f.prefix));
  if (form === undefined) return 'is not a source';
  const rest = text.slice(form.prefix.length);
  return rest === '' ? 'has nothing after its kind' : form.parse(rest);
}
