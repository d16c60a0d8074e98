/**
 * What an error keeps of an AWS answer's words. A signature error from AWS quotes the request it
 * expected (the canonical request, with `x-amz-security-token:<token>`, and the string to sign), S3's
 * error document carries them as elements, and a proxy may echo headers back: none of that may
 * reach a message, a warning or a cause chain, which Lambda prints whole for a failed init.
 */

/** Where AWS starts quoting the request it expected: everything from there on is dropped. */
const QUOTES_REQUEST = /(the\s+)?(canonical[\s_-]*(string|request)|string[\s_-]*to[\s_-]*sign)/i;

/** `name: value` / `name=value` pairs that carry a credential or a signature. */
const CREDENTIAL_PAIR =
  /\b(x-amz-security-token|x-amz-credential|x-amz-signature|authorization|credential|signature|sessiontoken|secretaccesskey|aws_session_token|aws_secret_access_key)(\s*["']?\s*[:=]\s*["']?)[^\s,;&'"<]*/gi;

/** The longest message kept: AWS's own messages are a sentence or two. */
export const MAX_MESSAGE = 300;

/** Values too short to be a credential (an empty token) are not searched for. */
const MIN_SECRET = 8;

/**
 * `text` without any quoted request, credential field or known credential value (`secrets`: the
 * secret access key and session token the request was signed with), cut to {@link MAX_MESSAGE}.
 */
export function scrubText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const quote = out.search(QUOTES_REQUEST);
  if (quote >= 0) out = out.slice(0, quote);
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= MIN_SECRET) out = out.split(secret).join('[redacted]');
  }
  out = out.replace(CREDENTIAL_PAIR, '$1$2[redacted]').trim();
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}...` : out;
}
