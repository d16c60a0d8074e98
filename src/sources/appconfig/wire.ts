import { RemoteFailure } from '../remote/failure.js';
import type { AwsClientLike } from '../remote/sdk.js';

/**
 * The AppConfigData API as an AppConfig layer speaks it, by the SDK's field names: what the SDK path
 * (sdk.ts), the light path (light.ts) and the session logic (api.ts) share, so each imports only this.
 */

/** The part of an `AppConfigDataClient` strataconf uses; a mocked client fits too. */
export interface AppConfigDataClientLike extends AwsClientLike {
  /** Sends a command; strataconf sends its two commands with an `abortSignal`. */
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Where a configuration lives: `application/environment/profile` (names or ids). */
export interface AppConfigLocation {
  /** The application's name or id, e.g. `orders`. */
  application: string;
  /** The environment's name or id, e.g. `prod`. */
  environment: string;
  /** The configuration profile's name or id, e.g. `settings` (a feature-flag profile too). */
  profile: string;
}

/** The two AppConfigData calls, over the AWS SDK or the light transport; one attempt each. */
export interface AppConfigDataApi {
  start(location: AppConfigLocation, signal: AbortSignal): Promise<string>;
  latest(token: string, signal: AbortSignal): Promise<LatestConfiguration>;
}

/** What `GetLatestConfiguration` answers, by the SDK's field names. */
export interface LatestConfiguration {
  NextPollConfigurationToken?: string;
  NextPollIntervalInSeconds?: number;
  ContentType?: string;
  /** Empty (or null, from the SDK) when the caller already has the latest. */
  Configuration?: Uint8Array | null;
  VersionLabel?: string;
}

/** One answer of a configuration reader: new content, or "unchanged". */
export type Answer = { content: Uint8Array; contentType?: string; version?: string } | 'unchanged';

/** The largest `StartConfigurationSession` answer read: a token of a few hundred bytes, in JSON. */
export const SESSION_BYTES = 64 * 1024;

/** `StartConfigurationSession`'s input for a location, as both the SDK and the light path send it. */
export function sessionInput(location: AppConfigLocation) {
  return {
    ApplicationIdentifier: location.application,
    EnvironmentIdentifier: location.environment,
    ConfigurationProfileIdentifier: location.profile,
  };
}

/** The session's first token, or a transient failure when AppConfig answered none. */
export function initialToken(token: unknown): string {
  if (typeof token !== 'string' || token === '') {
    throw new RemoteFailure('AppConfig started a session without a token', {
      kind: 'invalid',
      transient: true,
      retryable: true,
    });
  }
  return token;
}
