// Gate URLs may carry credentials (`https://user:pass@host/…`, `?token=…`): error messages, logs,
// job summaries and deployment statuses show them redacted.
const REDACTED = "REDACTED";
/** Query parameters that carry credentials by name. */
const SECRET_PARAM = /^(?:token|access_token|api_key|apikey|key|password|passwd|secret|auth|authorization|signature|sig|x-amz-signature|x-amz-credential)$/i;

/** Every URL in `text` with its userinfo and credential-bearing query values replaced. */
export function redactSecrets(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, `$1${REDACTED}@`)
    .replace(/([?&;])([^=&\s#;]+)=([^&\s#;]*)/g, (whole, sep: string, name: string) => (SECRET_PARAM.test(safeDecode(name)) ? `${sep}${name}=${REDACTED}` : whole));
}

/** The secret values in one URL (userinfo parts, credential query values), raw and decoded, for log masking. */
export function urlSecrets(raw: string): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [];
  }
  const secrets = [url.username, url.password, url.username && url.password ? `${url.username}:${url.password}` : ""];
  for (const [name, value] of url.searchParams) if (SECRET_PARAM.test(name)) secrets.push(value, encodeURIComponent(value));
  return [...new Set(secrets.flatMap((s) => [s, safeDecode(s)]))].filter((s) => s.length >= 3);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
