// Rule: a user-visible change says what changes, for whom, and who is told (seed 002: communication plan).
import { meaningfulLines } from "../plan/template.js";
import { code } from "../render/markdown.js";
import { listPaths, matchingPaths } from "./match-paths.js";
import type { Rule } from "./types.js";

const MIN_WORDS = 5;

export const communicationRule: Rule = ({ facts, plan, config }) => {
  const base = { id: "communication", title: "Communication note", required: true };
  const why = userVisibleBecause(facts.labels, facts.title, facts.changedFiles, config.communication);
  if (!why) {
    return {
      items: [{ ...base, required: false, status: "not-applicable", reason: "Not user-visible (no matching label, title or path)." }],
    };
  }
  const heading = config.headings.communication[0];
  const section = plan.sections.communication;
  const lines = section ? meaningfulLines(section) : [];
  if (!section || lines.length === 0) {
    return {
      items: [
        {
          ...base,
          status: "fail",
          reason: `User-visible (${why}) but ${section ? "the communication note is empty or still the template" : "there is no communication section"}.`,
          fix: `Under \`## ${heading}\`, say what changes for whom and who is told, e.g. \`Audience: customers and support. What changes: checkout shows saved cards.\``,
        },
      ],
    };
  }
  const text = lines.map((l) => l.text).join(" ");
  const audiences = config.communication.audiences.filter((word) => containsWord(text, word));
  if (audiences.length === 0) {
    return {
      items: [
        {
          ...base,
          status: "fail",
          reason: `User-visible (${why}) but the note names no audience.`,
          fix: `Name who is told: one of ${config.communication.audiences.map((a) => `\`${a}\``).join(", ")}.`,
        },
      ],
    };
  }
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  if (words < MIN_WORDS) {
    return {
      items: [
        {
          ...base,
          status: "fail",
          reason: `User-visible (${why}) but the note is too short to say what changes (${words} words).`,
          fix: "Say what changes for the audience in a sentence.",
        },
      ],
    };
  }
  return { items: [{ ...base, status: "pass", reason: `User-visible (${why}); audience: ${audiences.join(", ")}.` }] };
};

export function userVisibleBecause(
  labels: readonly string[],
  title: string,
  changedFiles: readonly string[],
  rule: { labels: readonly string[]; paths: readonly string[]; "title-patterns": readonly string[] },
): string | undefined {
  const wanted = new Set(rule.labels.map((l) => l.toLowerCase()));
  const label = labels.find((l) => wanted.has(l.toLowerCase()));
  if (label) return `label ${code(label)}`;
  // Titles are capped at 256 characters by GitHub; patterns come from the trusted default-branch config.
  if (rule["title-patterns"].some((source) => new RegExp(source, "iu").test(title.slice(0, 256)))) return "title";
  const paths = matchingPaths(changedFiles, rule.paths);
  if (paths.length > 0) return `paths ${listPaths(paths, 2)}`;
  return undefined;
}

function containsWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "iu").test(text);
}
