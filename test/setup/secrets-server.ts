/**
 * A local Secrets Manager (GetSecretValue over AWS JSON 1.1; see aws-json-server.ts for the protocol).
 * Secrets are seeded in memory by the test, per server, each with its versions' staging labels.
 *
 * @example
 * ```ts
 * const sm = await startSecretsServer({ 'orders/prod/db': { string: JSON.stringify({ password: 'x' }) } });
 * vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', sm.endpoint);
 * ```
 */
import {
  type AwsJsonServer,
  type AwsJsonServerOptions,
  ServiceError,
  sigV4,
  startAwsJsonServer,
} from './aws-json-server.js';

export interface SeedSecret {
  /** SecretString of the AWSCURRENT version. */
  string?: string;
  /** SecretBinary of the AWSCURRENT version. */
  binary?: Uint8Array;
  /** Other versions by staging label (`AWSPREVIOUS`, `AWSPENDING`, your own). */
  stages?: Record<string, { string?: string; binary?: Uint8Array }>;
  /** `'denied'`: the role may not decrypt with the secret's KMS key (DecryptionFailure). */
  keyId?: string;
}

export interface SecretsServerOptions {
  /** Secret names whose reading is denied (AccessDeniedException). */
  denied?: string[];
  /** Checks each request's signature. @default sigV4() (TEST_CREDENTIALS); `false` checks none */
  verify?: AwsJsonServerOptions['verify'] | false;
}

export interface SecretsServer extends AwsJsonServer {
  /** Sets a secret's AWSCURRENT version (a new version id when the value differs). */
  put(name: string, secret: SeedSecret): void;
  remove(name: string): void;
}

interface Version {
  id: string;
  stages: string[];
  string?: string;
  binary?: Uint8Array;
}

const ARN_PREFIX = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:';

const notFound = (message: string) =>
  new ServiceError({ status: 400, type: 'ResourceNotFoundException', messageKey: 'Message', message });

/** Starts a local Secrets Manager endpoint holding `secrets`. */
export async function startSecretsServer(
  secrets: Record<string, SeedSecret> = {},
  opts: SecretsServerOptions = {},
): Promise<SecretsServer> {
  const store = new Map<string, { versions: Version[]; keyId?: string }>();
  let ids = 0;
  const version = (stages: string[], v: { string?: string; binary?: Uint8Array }): Version => ({
    id: `v-${++ids}-0000-0000-0000-000000000000`,
    stages,
    ...v,
  });
  const put = (name: string, s: SeedSecret) => {
    const current = store.get(name)?.versions.find((v) => v.stages.includes('AWSCURRENT'));
    const same = current && current.string === s.string && current.binary === s.binary;
    const versions = [
      same && current ? current : version(['AWSCURRENT'], { string: s.string, binary: s.binary }),
    ];
    for (const [stage, v] of Object.entries(s.stages ?? {})) versions.push(version([stage], v));
    store.set(name, { versions, ...(s.keyId === undefined ? {} : { keyId: s.keyId }) });
  };
  for (const [name, s] of Object.entries(secrets)) put(name, s);

  function getSecretValue(input: Record<string, unknown>) {
    const id = input.SecretId;
    if (typeof id !== 'string' || id.length < 1 || id.length > 2048)
      throw new ServiceError({
        status: 400,
        type: 'InvalidParameterException',
        messageKey: 'Message',
        message: 'Invalid SecretId',
      });
    const name = id.startsWith(ARN_PREFIX) ? id.slice(ARN_PREFIX.length).replace(/-[A-Za-z0-9]{6}$/, '') : id;
    if (opts.denied?.includes(name))
      throw new ServiceError({
        status: 400,
        type: 'com.amazon.coral.service#AccessDeniedException',
        messageKey: 'Message',
        message: `User: arn:aws:sts::123456789012:assumed-role/fn/fn is not authorized to perform: secretsmanager:GetSecretValue on resource: ${name}`,
      });
    const secret = store.get(name);
    if (!secret) throw notFound("Secrets Manager can't find the specified secret.");
    const stage = typeof input.VersionStage === 'string' ? input.VersionStage : 'AWSCURRENT';
    const v = secret.versions.find((x) => x.stages.includes(stage));
    if (!v)
      throw notFound(`Secrets Manager can't find the specified secret value for staging label: ${stage}`);
    if (secret.keyId === 'denied')
      throw new ServiceError({
        status: 400,
        type: 'DecryptionFailure',
        messageKey: 'Message',
        message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
      });
    return {
      ARN: `${ARN_PREFIX}${name}-AbCdEf`,
      Name: name,
      VersionId: v.id,
      ...(v.string === undefined ? {} : { SecretString: v.string }),
      ...(v.binary === undefined ? {} : { SecretBinary: Buffer.from(v.binary).toString('base64') }),
      VersionStages: v.stages,
      CreatedDate: 1_700_000_000.123,
    };
  }

  const server = await startAwsJsonServer({
    targetPrefix: 'secretsmanager',
    operations: { GetSecretValue: getSecretValue },
    ...(opts.verify === false ? {} : { verify: opts.verify ?? sigV4() }),
  });
  return { ...server, put, remove: (name) => void store.delete(name) };
}
