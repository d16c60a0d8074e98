import { randomBytes } from 'node:crypto';
import { type Call, jsonInput, type Store } from './call.js';
import type { ReceivedRequest } from './sigv4.js';
import type { LocalAppConfigProfile } from './types.js';
import { ACCOUNT, type Answer, AwsFailure, json } from './wire.js';

/**
 * AppConfigData over REST-JSON (`POST /configurationsessions`, then `GET /configuration` with the
 * token of the last answer: single-use tokens that expire after 24 hours, the configuration once
 * per session and version, an empty body when the session already has it), and the AppConfig
 * Lambda extension's local API (`GET /applications/A/environments/E/configurations/P`, unsigned).
 */

interface Profile {
  version: number;
  content: Buffer;
  contentType: string;
  label?: string;
}

interface Session {
  key: string;
  /** The version this session was last sent. */
  delivered?: number;
  expires: number;
  interval: number;
}

const DAY = 24 * 60 * 60_000;
const EXTENSION_PATH = /^\/applications\/([^/?]+)\/environments\/([^/?]+)\/configurations\/([^/?]+)$/;

const badRequest = (message: string) => new AwsFailure(400, 'BadRequestException', message);

function identifier(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length < 1 || value.length > 128)
    throw badRequest(`Request parameters are invalid: ${field} must be a string of 1 to 128 characters`);
  return value;
}

/** True for a request to the extension's local API (an unsigned GET of its one path). */
export function isExtensionRequest(req: ReceivedRequest): boolean {
  return req.method === 'GET' && req.headers.authorization === undefined && EXTENSION_PATH.test(req.url);
}

/** The configuration profiles, and the sessions reading them. */
export class AppConfigStore implements Store {
  private readonly profiles = new Map<string, Profile>();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly pollIntervalSeconds: number) {}

  put(key: string, given: LocalAppConfigProfile): void {
    if (key.split('/').length !== 3 || key.split('/').includes('') || given?.content === undefined)
      throw new TypeError(
        `an AppConfig profile is named "application/environment/profile" and has content (${JSON.stringify(key)})`,
      );
    const content = Buffer.from(
      typeof given.content === 'string' ? given.content : JSON.stringify(given.content),
    );
    const contentType = given.contentType ?? 'application/json';
    const old = this.profiles.get(key);
    if (
      old &&
      old.contentType === contentType &&
      old.content.equals(content) &&
      old.label === given.versionLabel
    )
      return;
    const version = (old?.version ?? 0) + 1;
    this.profiles.set(key, {
      version,
      content,
      contentType,
      ...(given.versionLabel === undefined ? {} : { label: given.versionLabel }),
    });
  }

  remove(key: string): void {
    this.profiles.delete(key);
  }

  /** Parses a request to the AppConfigData API or to the extension. */
  parse(req: ReceivedRequest): Call {
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const extension = isExtensionRequest(req) ? EXTENSION_PATH.exec(req.url) : null;
    let operation = `${req.method} ${path}`;
    let input: Record<string, unknown> = {};
    let resource = '';
    if (extension) {
      const [app = '', env = '', profile = ''] = extension.slice(1).map(decodeURIComponent);
      [operation, input, resource] = [
        'Extension',
        { Application: app, Environment: env, Configuration: profile },
        `${app}/${env}/${profile}`,
      ];
    } else if (req.method === 'POST' && path === '/configurationsessions') {
      operation = 'StartConfigurationSession';
      input = jsonInput(req.body, badRequest);
      resource = ['ApplicationIdentifier', 'EnvironmentIdentifier', 'ConfigurationProfileIdentifier']
        .map((f) => String(input[f]))
        .join('/');
    } else if (req.method === 'GET' && path === '/configuration') {
      operation = 'GetLatestConfiguration';
      const token = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1)).get('configuration_token');
      input = token === null ? {} : { ConfigurationToken: token };
      resource = this.sessions.get(token ?? '')?.key ?? '(unknown token)';
    }
    const [app, env, profile] = resource.split('/');
    return {
      service: 'appconfig',
      format: extension ? 'extension' : 'appconfig',
      operation,
      input,
      resource,
      arn: (region) =>
        `arn:aws:appconfig:${region}:${ACCOUNT}:application/${app}/environment/${env}/configuration/${profile}`,
    };
  }

  serve(call: Call): Answer {
    if (call.operation === 'Extension') return this.extension(call.resource);
    if (call.operation === 'StartConfigurationSession') return this.start(call.input);
    if (call.operation === 'GetLatestConfiguration') return this.latest(call.input);
    throw new AwsFailure(
      404,
      'UnknownOperationException',
      `${call.operation} is not an operation of AppConfigData`,
    );
  }

  private notFound(key: string): AwsFailure {
    const [app, env, profile] = key.split('/');
    const keys = [...this.profiles.keys()];
    const what = !keys.some((k) => k.startsWith(`${app}/`))
      ? `Application ${app}`
      : !keys.some((k) => k.startsWith(`${app}/${env}/`))
        ? `Environment ${env}`
        : `Configuration profile ${profile}`;
    return new AwsFailure(404, 'ResourceNotFoundException', `${what} not found`);
  }

  private issue(session: Omit<Session, 'expires'>): string {
    const token = randomBytes(32).toString('hex');
    this.sessions.set(token, { ...session, expires: Date.now() + DAY });
    return token;
  }

  private start(input: Record<string, unknown>): Answer {
    const ids = ['ApplicationIdentifier', 'EnvironmentIdentifier', 'ConfigurationProfileIdentifier'];
    const key = ids.map((field) => identifier(input, field)).join('/');
    const required = input.RequiredMinimumPollIntervalInSeconds;
    if (
      required !== undefined &&
      !(Number.isInteger(required) && Number(required) >= 15 && Number(required) <= 86400)
    )
      throw badRequest(
        'Request parameters are invalid: RequiredMinimumPollIntervalInSeconds must be 15 to 86400',
      );
    if (!this.profiles.has(key)) throw this.notFound(key);
    const interval = Math.max(this.pollIntervalSeconds, Number(required ?? 0));
    return json('appconfig', { InitialConfigurationToken: this.issue({ key, interval }) }, 201);
  }

  private latest(input: Record<string, unknown>): Answer {
    const token = input.ConfigurationToken;
    const session = typeof token === 'string' ? this.sessions.get(token) : undefined;
    // Tokens are single-use: the answer carries the next one.
    if (typeof token === 'string') this.sessions.delete(token);
    if (!session || session.expires < Date.now())
      throw badRequest(
        'Request parameters are invalid: the ConfigurationToken was used already, has expired, or was not issued',
      );
    const profile = this.profiles.get(session.key);
    if (!profile) throw this.notFound(session.key);
    const fresh = session.delivered !== profile.version;
    const next = this.issue({ key: session.key, delivered: profile.version, interval: session.interval });
    const headers: Record<string, string> = {
      'next-poll-configuration-token': next,
      'next-poll-interval-in-seconds': String(session.interval),
    };
    if (fresh)
      Object.assign(headers, {
        'content-type': profile.contentType,
        'version-label': profile.label ?? String(profile.version),
      });
    return { status: 200, headers, body: fresh ? profile.content : '' };
  }

  private extension(key: string): Answer {
    const profile = this.profiles.get(key);
    if (!profile)
      throw new AwsFailure(404, 'ResourceNotFoundException', `the configuration ${key} was not found`);
    return {
      status: 200,
      headers: { 'content-type': profile.contentType, 'configuration-version': String(profile.version) },
      body: profile.content,
    };
  }
}
