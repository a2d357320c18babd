// Whose comments are never read as commands: bots, the app itself above all (its status comment
// quotes commands), and anything that is not a user account.
import type { CommandOrigin } from "./types.js";

export type IgnoreReason = "bot" | "self" | "not-a-user";

/** Why an actor's commands are ignored, or null when they are read. `appSlug` is the app's own slug. */
export function ignoreActor(actor: CommandOrigin["actor"], appSlug?: string): IgnoreReason | null {
  const login = actor.login.toLowerCase();
  if (appSlug && (login === `${appSlug.toLowerCase()}[bot]` || login === appSlug.toLowerCase())) return "self";
  if (actor.type === "Bot" || login.endsWith("[bot]")) return "bot";
  if (actor.type !== "User") return "not-a-user";
  return null;
}
