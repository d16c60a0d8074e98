import { randomBytes, randomUUID } from 'node:crypto';
import { type Call, json11Request, type Store } from './call.js';
import type { ReceivedRequest } from './sigv4.js';
import type { LocalSecret } from './types.js';
import { ACCOUNT, type Answer, AwsFailure, json } from './wire.js';

/**
 * Secrets Manager over AWS JSON 1.1: GetSecretValue by name or ARN, by `VersionStage` or
 * `VersionId`. A new value is a new version labelled `AWSCURRENT`, and the one it replaces becomes
 * `AWSPREVIOUS`, as a rotation does.
 */

interface Version {
  id: string;
  stages: string[];
  string?: string;
  binary?: Buffer;
  /** Seconds since the epoch. */
  created: number;
}

interface Secret {
  /** The six characters Secrets Manager appends to a secret's ARN. */
  suffix: string;
  versions: Version[];
}

const failure = (code: string, message: string) => new AwsFailure(400, code, message);
const notFound = (what: string) =>
  failure('ResourceNotFoundException', `Secrets Manager can't find the specified secret${what}.`);

const sameBytes = (a?: Buffer, b?: Buffer) =>
  a === undefined ? b === undefined : b !== undefined && a.equals(b);

/** The version asked for: by id (and then its stage must match), else by stage, `AWSCURRENT` by default. */
function versionOf(secret: Secret, versionId: unknown, stage: unknown): Version | undefined {
  if (versionId !== undefined) {
    const v = secret.versions.find((x) => x.id === versionId);
    return v && (stage === undefined || v.stages.includes(String(stage))) ? v : undefined;
  }
  const label = typeof stage === 'string' ? stage : 'AWSCURRENT';
  return secret.versions.find((x) => x.stages.includes(label));
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const arnSuffix = () => [...randomBytes(6)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');

const arnOf = (region: string, name: string, suffix: string) =>
  `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-${suffix}`;

/** Parses a request to Secrets Manager. */
export function parseSecrets(req: ReceivedRequest): Call {
  const { operation, input } = json11Request(req);
  const id = String(input.SecretId ?? '');
  return {
    service: 'secrets',
    format: 'secrets',
    operation,
    input,
    resource: id,
    // Secrets Manager names the secret as the request did.
    arn: () => id,
  };
}

/** The secrets, by name, each with its versions. */
export class SecretsStore implements Store {
  private readonly secrets = new Map<string, Secret>();

  put(name: string, value: LocalSecret): void {
    if (name === '' || value === null || (typeof value !== 'string' && typeof value !== 'object'))
      throw new TypeError(
        `a secret needs a name and a string, object or bytes value (${JSON.stringify(name)})`,
      );
    const given =
      value instanceof Uint8Array
        ? { binary: Buffer.from(value) }
        : { string: typeof value === 'string' ? value : JSON.stringify(value) };
    const secret = this.secrets.get(name) ?? { suffix: arnSuffix(), versions: [] };
    this.secrets.set(name, secret);
    const current = secret.versions.find((v) => v.stages.includes('AWSCURRENT'));
    if (current && current.string === given.string && sameBytes(current.binary, given.binary)) return;
    for (const v of secret.versions) v.stages = v.stages.filter((s) => s !== 'AWSPREVIOUS');
    if (current) current.stages = current.stages.map((s) => (s === 'AWSCURRENT' ? 'AWSPREVIOUS' : s));
    secret.versions.push({ id: randomUUID(), stages: ['AWSCURRENT'], ...given, created: Date.now() / 1000 });
  }

  remove(name: string): void {
    this.secrets.delete(name);
  }

  serve(call: Call, region: string): Answer {
    if (call.operation !== 'GetSecretValue')
      throw failure(
        'UnknownOperationException',
        `this local Secrets Manager serves GetSecretValue, not ${call.operation}; seed secrets with startLocalAws or put()`,
      );
    const { SecretId: id, VersionId: versionId, VersionStage: stage } = call.input;
    if (typeof id !== 'string' || id.length < 1 || id.length > 2048)
      throw failure(
        'InvalidParameterException',
        'Invalid SecretId: it must be a name or an ARN of 1 to 2048 characters.',
      );
    const name = this.nameOf(id, region);
    const secret = name === undefined ? undefined : this.secrets.get(name);
    if (!secret || name === undefined) throw notFound('');
    const v = versionOf(secret, versionId, stage);
    if (!v)
      throw notFound(
        versionId === undefined
          ? ` value for staging label: ${String(stage)}`
          : ` value for VersionId: ${String(versionId)}`,
      );
    return json('secrets', {
      ARN: arnOf(region, name, secret.suffix),
      Name: name,
      VersionId: v.id,
      ...(v.string === undefined ? {} : { SecretString: v.string }),
      ...(v.binary === undefined ? {} : { SecretBinary: v.binary.toString('base64') }),
      VersionStages: v.stages,
      CreatedDate: v.created,
    });
  }

  /** A name, a full ARN (`...:secret:NAME-AbCdEf`) or a partial one (`...:secret:NAME`). */
  private nameOf(id: string, region: string): string | undefined {
    if (!id.startsWith('arn:')) return id;
    const prefix = `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:`;
    if (!id.startsWith(prefix)) return undefined;
    const rest = id.slice(prefix.length);
    const full = /^(.*)-([A-Za-z0-9]{6})$/.exec(rest);
    if (full?.[1] !== undefined && this.secrets.get(full[1])?.suffix === full[2]) return full[1];
    return rest;
  }
}
