import { RemoteFailure } from '../remote/failure.js';

/**
 * The AppConfigData API as a layer reads it: one session per source (`StartConfigurationSession`),
 * then `GetLatestConfiguration` with the token from the last answer. An empty configuration means
 * "the one you have is current"; a poll sooner than the interval AppConfig asked for is answered
 * from what the source has, without a request; an expired or rejected token (tokens live about
 * 24 hours) starts a new session instead of failing the layer.
 */

/** One answer of a configuration reader: new content, or "unchanged". */
export type Answer = { content: Uint8Array; contentType?: string; version?: string } | 'unchanged';

/** Where a configuration lives: `application/environment/profile` (names or ids). */
export interface AppConfigLocation {
  /** The application's name or id, e.g. `orders`. */
  application: string;
  /** The environment's name or id, e.g. `prod`. */
  environment: string;
  /** The configuration profile's name or id, e.g. `settings` (a feature-flag profile too). */
  profile: string;
}

/** The two AppConfigData calls, over the AWS SDK or the light transport. */
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
    throw new RemoteFailure('AppConfig started a session without a token', true);
  }
  return token;
}

/** True for the answer to a token AppConfig no longer accepts (expired, corrupted, used twice). */
function isRejectedToken(err: unknown): boolean {
  return (err as { name?: unknown } | undefined)?.name === 'BadRequestException';
}

/** Reads one configuration through the API, keeping the session between loads. */
export function apiReader(location: AppConfigLocation, api: AppConfigDataApi, now = Date.now) {
  let token: string | undefined;
  let notBefore = 0;
  let hasContent = false;

  async function poll(signal: AbortSignal): Promise<LatestConfiguration> {
    token ??= await api.start(location, signal);
    try {
      return await api.latest(token, signal);
    } catch (err) {
      token = undefined;
      if (!isRejectedToken(err)) throw err;
      // A token used after its ~24 h life (or twice): a new session, once.
      token = await api.start(location, signal);
      return api.latest(token, signal);
    }
  }

  /** `have`: whether the caller holds the content of an earlier answer (else it needs it again). */
  return async function read(signal: AbortSignal, have: boolean): Promise<Answer> {
    if (!have && hasContent) {
      // The caller lost what this session delivered (it failed to parse): AppConfig sends content
      // once per session, so a new session sends it again.
      token = undefined;
      hasContent = false;
    }
    // AppConfig asks callers not to poll more often than NextPollIntervalInSeconds.
    if (hasContent && now() < notBefore) return 'unchanged';
    const answer = await poll(signal);
    token = answer.NextPollConfigurationToken ?? token;
    notBefore = now() + (answer.NextPollIntervalInSeconds ?? 0) * 1000;
    const content = answer.Configuration;
    if (content === undefined || content === null || content.length === 0) {
      if (hasContent) return 'unchanged';
      return { content: new Uint8Array(), ...contentFields(answer) };
    }
    hasContent = true;
    return { content, ...contentFields(answer) };
  };
}

function contentFields(answer: LatestConfiguration): { contentType?: string; version?: string } {
  return {
    ...(answer.ContentType === undefined ? {} : { contentType: answer.ContentType }),
    ...(answer.VersionLabel === undefined ? {} : { version: answer.VersionLabel }),
  };
}
