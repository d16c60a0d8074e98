import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ConfigError } from '../errors.js';
import type { LocalAwsSeed, LocalAwsService } from './types.js';

/**
 * A folder as `strataconf local` serves it, read again where it changed:
 *
 * - `s3/BUCKET/KEY...`: one object per file (an empty folder under `s3/` is an empty bucket);
 * - `ssm.json`: `{ "/name": "value" | { "value": "...", "type": "SecureString" } }`;
 * - `secrets.json`: `{ "name": "a string" | { "a": "JSON object" } }`;
 * - `appconfig/APP/ENV/PROFILE.json|.json5|.yaml|.yml`: one configuration profile per file.
 *
 * Each scan stats every file and reads only those whose size or time changed; what a changed or
 * deleted file no longer holds is removed.
 */

/** What a scan found to change, and the files it could not read. */
export interface FolderChanges {
  put: LocalAwsSeed;
  remove: [LocalAwsService, string][];
  /** The files read again (relative, with `/`), for a "reloaded" line. */
  changed: string[];
  /** A sentence per file that could not be read (its former values stay served). */
  problems: string[];
}

type Entry = [LocalAwsService, string, unknown];

const APPCONFIG_TYPES: Record<string, string> = {
  json: 'application/json',
  json5: 'application/json5',
  yaml: 'application/x-yaml',
  yml: 'application/x-yaml',
};

/** Every file under `dir` (relative, with `/`), and the folders with nothing in them. */
async function walk(dir: string, base = dir): Promise<{ files: string[]; empty: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out = { files: [] as string[], empty: [] as string[] };
  if (entries.length === 0 && dir !== base) out.empty.push(relative(base, dir).split(sep).join('/'));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await walk(path, base);
      out.files.push(...inner.files);
      out.empty.push(...inner.empty);
    } else if (entry.isFile()) out.files.push(relative(base, path).split(sep).join('/'));
  }
  return out;
}

function parseJsonObject(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${file} must hold one JSON object`);
  return value as Record<string, unknown>;
}

/** The entries one file holds. */
function entriesOf(file: string, bytes: Buffer): Entry[] {
  if (file.startsWith('s3/')) return [['s3', file.slice('s3/'.length), new Uint8Array(bytes)]];
  if (file === 'ssm.json') {
    return Object.entries(parseJsonObject(bytes.toString('utf8'), file)).map(([name, value]) => {
      const ok =
        typeof value === 'string' ||
        (typeof value === 'object' && typeof (value as { value?: unknown })?.value === 'string');
      if (!ok) throw new Error(`${file}: ${name} must be a string or { "value": "...", "type": "..." }`);
      return ['ssm', name, value];
    });
  }
  if (file === 'secrets.json')
    return Object.entries(parseJsonObject(bytes.toString('utf8'), file)).map(([name, value]) => [
      'secrets',
      name,
      value,
    ]);
  const profile = /^appconfig\/([^/]+\/[^/]+\/[^/]+)\.([a-z0-9]+)$/.exec(file);
  const contentType = APPCONFIG_TYPES[profile?.[2] ?? ''];
  if (profile?.[1] === undefined || contentType === undefined)
    throw new Error(
      `${file} is not served: a profile is appconfig/APP/ENV/PROFILE.json, .json5, .yaml or .yml`,
    );
  return [['appconfig', profile[1], { content: bytes.toString('utf8'), contentType }]];
}

const SERVED = (file: string) =>
  file.startsWith('s3/') || file === 'ssm.json' || file === 'secrets.json' || file.startsWith('appconfig/');

/** The files of a served folder, and what each was last read as. */
export class LocalFolder {
  private readonly seen = new Map<string, { signature: string; entries: Entry[] }>();

  constructor(readonly dir: string) {}

  /** Checks that the folder exists. */
  async open(): Promise<void> {
    const info = await stat(this.dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new ConfigError('USAGE', `--dir ${this.dir} is not a folder`);
  }

  /** Reads what changed since the last scan (everything, the first time). */
  async scan(): Promise<FolderChanges> {
    const changes: FolderChanges = { put: {}, remove: [], changed: [], problems: [] };
    const { files, empty } = await walk(this.dir);
    for (const folder of empty) {
      const bucket = /^s3\/([^/]+)$/.exec(folder)?.[1];
      if (bucket !== undefined) this.add(changes.put, ['s3', `${bucket}/`, '']);
    }
    const served = files.filter(SERVED);
    for (const file of served) await this.read(file, changes);
    for (const [file, { entries }] of this.seen) {
      if (served.includes(file)) continue;
      this.seen.delete(file);
      changes.changed.push(file);
      for (const [service, name] of entries) changes.remove.push([service, name]);
    }
    return changes;
  }

  private async read(file: string, changes: FolderChanges): Promise<void> {
    const path = join(this.dir, ...file.split('/'));
    const info = await stat(path).catch(() => undefined);
    if (!info) return;
    const signature = `${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    const before = this.seen.get(file);
    if (before?.signature === signature) return;
    let entries: Entry[];
    try {
      entries = entriesOf(file, await readFile(path));
    } catch (err) {
      changes.problems.push((err as Error).message);
      // Not again until it changes; what it held before stays served.
      if (before) before.signature = signature;
      return;
    }
    this.seen.set(file, { signature, entries });
    changes.changed.push(file);
    for (const entry of entries) this.add(changes.put, entry);
    const kept = new Set(entries.map(([service, name]) => `${service} ${name}`));
    for (const [service, name] of before?.entries ?? [])
      if (!kept.has(`${service} ${name}`)) changes.remove.push([service, name]);
  }

  private add(seed: LocalAwsSeed, [service, name, value]: Entry): void {
    seed[service] ??= {};
    (seed[service] as Record<string, unknown>)[name] = value;
  }
}
