// Refuses a production start that would accept forged webhooks: without WEBHOOK_SECRET Probot falls
// back to its public development secret ("development"), so anyone could sign deliveries.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/** Probot's fallback secret (probot/lib/server/server.js `defaultWebhookSecret`): public, so never in production. */
export const PROBOT_DEVELOPMENT_SECRET = "development";

export type StartupCheck =
  | { ok: true }
  | { ok: false; reason: "missing-webhook-secret" | "public-webhook-secret"; message: string };

export function checkStartupEnv(env: Readonly<Record<string, string | undefined>>): StartupCheck {
  if (env.NODE_ENV !== "production") return { ok: true };
  const secret = env.WEBHOOK_SECRET?.trim();
  if (!secret) {
    return {
      ok: false,
      reason: "missing-webhook-secret",
      message:
        "Refusing to start: NODE_ENV=production but WEBHOOK_SECRET is not set, so Probot would accept deliveries signed with its public development secret. " +
        "Set WEBHOOK_SECRET to the webhook secret of the GitHub App (Settings → Developer settings → GitHub Apps → Webhook secret).",
    };
  }
  if (secret === PROBOT_DEVELOPMENT_SECRET) {
    return {
      ok: false,
      reason: "public-webhook-secret",
      message: `Refusing to start: NODE_ENV=production and WEBHOOK_SECRET is Probot's public development secret ("${PROBOT_DEVELOPMENT_SECRET}"). Set WEBHOOK_SECRET to a random secret and the same value in the GitHub App's settings.`,
    };
  }
  return { ok: true };
}

/** The environment as Probot's `run` will see it: it merges `./.env` over the process environment. */
export function environmentWithDotEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): Record<string, string | undefined> {
  try {
    return { ...env, ...parseEnv(readFileSync(join(cwd, ".env"), "utf8")) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ...env };
    throw error;
  }
}

export type DevProxyCheck = { ok: true; mode: "setup" | "proxy" } | { ok: false; reason: "missing-webhook-proxy-url"; message: string };

/**
 * `npm run dev` runs on a laptop GitHub cannot reach, so webhooks must come through a smee.io
 * channel (Probot forwards `WEBHOOK_PROXY_URL` to itself). Without credentials Probot's setup flow
 * runs instead, and it creates the channel itself.
 */
export function checkDevProxy(env: Readonly<Record<string, string | undefined>>): DevProxyCheck {
  const hasCredentials = Boolean(env.APP_ID?.trim()) && Boolean(env.PRIVATE_KEY?.trim() || env.PRIVATE_KEY_PATH?.trim());
  if (!hasCredentials) return { ok: true, mode: "setup" };
  if (env.WEBHOOK_PROXY_URL?.trim()) return { ok: true, mode: "proxy" };
  return {
    ok: false,
    reason: "missing-webhook-proxy-url",
    message: [
      "npm run dev: WEBHOOK_PROXY_URL is not set, so no webhook from GitHub can reach this machine.",
      "  1. Open https://smee.io/new and copy the channel's URL.",
      "  2. Add WEBHOOK_PROXY_URL=<that URL> to .env (or the environment).",
      "  3. Set the same URL as the Webhook URL in the GitHub App's settings (Settings → Developer settings → GitHub Apps → Release Gate).",
      "If GitHub reaches this machine directly (a tunnel, GitHub Enterprise Server on your network), run npm start instead.",
    ].join("\n"),
  };
}
