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
