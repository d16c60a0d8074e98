/** One source named on the command line or in `STRATACONF_SOURCES`, before it is built. */
export type SourceSpec =
  | { kind: 'file'; path: string; optional: boolean }
  | { kind: 's3'; target: string; optional: boolean }
  | { kind: 'env'; prefix: string }
  | { kind: 'ssm'; path: string; optional: boolean }
  | { kind: 'secret'; id: string; optional: boolean }
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

// Longer prefixes first where one starts another (`file?:` before `file:`).
const FORMS: readonly Form[] = [
  { prefix: 'file?:', parse: (path) => ({ kind: 'file', path, optional: true }) },
  { prefix: 'file:', parse: (path) => ({ kind: 'file', path, optional: false }) },
  { prefix: 's3!://', parse: (rest) => s3(rest, false) },
  { prefix: 's3://', parse: (rest) => s3(rest, true) },
  { prefix: 'env:', parse: (prefix) => ({ kind: 'env', prefix }) },
  { prefix: 'ssm!:', parse: (rest) => ssm(rest, false) },
  { prefix: 'ssm:', parse: (rest) => ssm(rest, true) },
  { prefix: 'secret!:', parse: (id) => ({ kind: 'secret', id, optional: false }) },
  { prefix: 'secret:', parse: (id) => ({ kind: 'secret', id, optional: true }) },
  { prefix: 'appconfig!:', parse: (rest) => appconfig(rest, false) },
  { prefix: 'appconfig:', parse: (rest) => appconfig(rest, true) },
];

/** Every form, for messages and help. */
export const SPEC_FORMS =
  'file:PATH, file?:PATH, s3://bucket/key, s3!://bucket/key, env:PREFIX, ssm:/path/, ssm!:/path/, secret:ID, secret!:ID, appconfig:app/env/profile or appconfig!:app/env/profile';

/** The source `text` names, or why it names none (`is not a source`, `has nothing after its kind`...). */
export function parseSourceSpec(text: string): SourceSpec | string {
  const form = FORMS.find((f) => text.startsWith(f.prefix));
  if (form === undefined) return 'is not a source';
  const rest = text.slice(form.prefix.length);
  return rest === '' ? 'has nothing after its kind' : form.parse(rest);
}
