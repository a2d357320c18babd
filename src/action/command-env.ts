// The environment the user's commands (shift, rollback, command gates) run in: an allow-list of the
// runner's variables, never the Action's inputs (INPUT_TOKEN), the workflow's GITHUB_TOKEN or the
// runner's ACTIONS_* tokens. A workflow hands its own values to a command as RELEASE_* variables.
const EXACT = new Set(["PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LANGUAGE", "TZ", "TMPDIR", "CI", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"]);
const PREFIXES = ["LC_", "RUNNER_", "GITHUB_"];
/** Even under an allowed prefix: anything that names itself a credential (GITHUB_TOKEN). */
const CREDENTIAL = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY/i;

export function commandEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    // RELEASE_* is the workflow author's deliberate hand-over, credentials included.
    const allowed = name.startsWith("RELEASE_") || ((EXACT.has(name) || PREFIXES.some((prefix) => name.startsWith(prefix))) && !CREDENTIAL.test(name));
    if (allowed) env[name] = value;
  }
  return { ...env, ...extra };
}
