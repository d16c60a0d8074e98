import { isAbsolute, resolve } from 'node:path';
import { fromEnv } from '../sources/env.js';
import { fromFile } from '../sources/file.js';
import type { Source } from '../types.js';
import { type SourceSpec, usageError } from './args.js';
import type { CliIo, S3Factory } from './io.js';
import { parseSourceSpec, SPEC_FORMS } from './source-spec.js';

/** The default S3 factory: `fromS3`, imported only when an S3 source is named. */
const defaultS3: S3Factory = async (target, opts) => {
  const { fromS3 } = await import('../sources/s3/source.js');
  return fromS3(target, opts);
};

/** A relative path resolves against the CLI's cwd; the source keeps the path as given for its name. */
function filePath(path: string, cwd: string): string {
  if (path === '~' || path.startsWith('~/') || isAbsolute(path)) return path;
  return resolve(cwd, path);
}

/** The sources of AWS config stores, imported only when one is named. */
async function storeSource(spec: SourceSpec & { kind: 'ssm' | 'secret' | 'appconfig' }): Promise<Source> {
  if (spec.kind === 'ssm') {
    const { fromSsm } = await import('../sources/ssm/source.js');
    return fromSsm(spec.path, { optional: spec.optional });
  }
  if (spec.kind === 'appconfig') {
    const { fromAppConfig } = await import('../sources/appconfig/source.js');
    return fromAppConfig(spec.target, { optional: spec.optional });
  }
  const { fromSecret } = await import('../sources/secrets-manager/source.js');
  return fromSecret(spec.id, { optional: spec.optional, ...(spec.at === undefined ? {} : { at: spec.at }) });
}

/** Builds the sources, in order. */
export async function buildSources(specs: readonly SourceSpec[], io: CliIo): Promise<Source[]> {
  const out: Source[] = [];
  for (const spec of specs) {
    if (spec.kind === 'file') {
      out.push(fromFile(filePath(spec.path, io.cwd), { optional: spec.optional, name: spec.path }));
    } else if (spec.kind === 'env') {
      out.push(fromEnv({ prefix: spec.prefix, env: io.env }));
    } else if (spec.kind === 's3') {
      out.push(await (io.s3 ?? defaultS3)(spec.target, { optional: spec.optional }));
    } else {
      out.push(await storeSource(spec));
    }
  }
  return out;
}

function entrySpec(entry: string, index: number): SourceSpec {
  const spec = parseSourceSpec(entry);
  if (typeof spec !== 'string') return spec;
  throw usageError(`STRATACONF_SOURCES: entry ${index + 1} ("${entry}") ${spec}; expected ${SPEC_FORMS}`);
}

/**
 * Parses `STRATACONF_SOURCES`, the way immuconf read `IMMUCONF_CFG`: comma-separated entries, lowest
 * precedence first. Blank entries (a trailing comma) are ignored.
 *
 * @example `STRATACONF_SOURCES='file:config/base.json5,file?:config/local.json5,s3://cfg/prod.json5,env:APP_'`
 */
export function parseSourcesVariable(value: string): SourceSpec[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => entry !== '')
    .map(({ entry, index }) => entrySpec(entry, index));
}
