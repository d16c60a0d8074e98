import type { Source } from '../../types.js';
import { type Connection, connectAws } from '../remote/connect.js';
import { denied, invalid, notFound, type ServiceErrors } from '../remote/failure.js';
import type { RemoteFront } from '../remote/lazy.js';
import { type Fetched, remoteSource } from '../remote/source.js';
import { secretLayer } from './layer.js';
import { lightSecrets } from './light.js';
import { sdkSecrets } from './sdk.js';
import type { SecretsApi, SecretsManagerClientLike } from './wire.js';

/**
 * How a Secrets Manager layer reads its secret: imported at the layer's first load (source.ts checks
 * the options and says what the layer reads), so a function without remote layers never loads it.
 */

/** Attempts per request strataconf sends itself. */
const ATTEMPTS = 3;

interface Read extends Fetched {
  versionId: string | undefined;
  text: string | undefined;
}

function secretErrors(versionStage: string | undefined): ServiceErrors {
  const hint =
    'the role needs secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its KMS key, when a customer managed key)';
  return {
    service: 'Secrets Manager',
    deniedHint: hint,
    byName: {
      ResourceNotFoundException: notFound(
        versionStage === undefined
          ? 'secret not found (ResourceNotFoundException)'
          : `secret, or its version with the staging label ${versionStage}, not found (ResourceNotFoundException)`,
      ),
      AccessDeniedException: denied(`access denied (AccessDeniedException): ${hint}`),
      DecryptionFailure: denied(
        "the secret's KMS key cannot decrypt it (DecryptionFailure): the role needs kms:Decrypt on the key",
      ),
      InvalidRequestException: invalid(
        'Secrets Manager refused the request (InvalidRequestException): the secret may be scheduled for deletion',
      ),
      InvalidParameterException: invalid('Secrets Manager refused the secret id (InvalidParameterException)'),
    },
  };
}

/** What fromSecret checked and decided, for the engine. */
export interface SecretPlan extends RemoteFront {
  secretId: string;
  /** `at` as a path of keys. */
  at: string[] | undefined;
  versionStage: string | undefined;
  timeoutMs: number;
  region: string | undefined;
  client: SecretsManagerClientLike | undefined;
}

/** The remote source that reads the secret (the lifecycle, retries and failure table included). */
export function secretSource(plan: SecretPlan): Source {
  const { name, secretId, at, versionStage, region, client } = plan;
  const input =
    versionStage === undefined ? { SecretId: secretId } : { SecretId: secretId, VersionStage: versionStage };
  return remoteSource<Connection<SecretsApi>, Read>({
    name,
    optional: plan.optional,
    descriptor: plan.descriptor,
    timeoutMs: plan.timeoutMs,
    errors: secretErrors(versionStage),
    connect: () =>
      connectAws({
        ...(client === undefined ? {} : { client }),
        light: () => lightSecrets(region),
        sdk: (c) => sdkSecrets(c, region),
        attempts: ATTEMPTS,
      }),
    async fetch(connection, { budget, last }) {
      const out = await connection.call(budget, (sm, signal) => sm.getSecretValue(input, signal));
      const text = typeof out.SecretString === 'string' ? out.SecretString : undefined;
      if (last !== undefined && last.text !== undefined && last.text === text) return last;
      const layer = secretLayer(out, name, at);
      const versionId = out.VersionId;
      return {
        layer,
        versionId,
        text,
        ...(versionId ? { version: `VersionId ${versionId}`, details: { versionId } } : {}),
      };
    },
  });
}
