// The README is short because the rest lives in docs/: every relative link in the README, the
// changelog and the docs must reach a file, and every #anchor a heading of it (GitHub's slugs), and
// every page in docs/ must be reachable from the README. The Guides that other work adds (listed
// below) may be missing until it lands: they are tolerated by exact name, only as README links.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

const PENDING_GUIDES = new Set(["docs/flags.md", "docs/flags-unleash.md", "docs/flag-lifetime.md", "docs/long-windows.md", "docs/cohorts-and-regions.md", "docs/report.md", "docs/action.md"]);
const pages = ["README.md", "CHANGELOG.md", ...readdirSync("docs").filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

function withoutCode(text: string): string {
  return text.replace(/^(```|~~~)[\s\S]*?^\1/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's heading ids (github-slugger): lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  const text = readFileSync(file, "utf8").replace(/^(```|~~~)[\s\S]*?^\1/gm, "");
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = heading!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

const links = pages.flatMap((page) =>
  [...withoutCode(readFileSync(page, "utf8")).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => {
      const [path, anchor] = target.split("#") as [string, string | undefined];
      return { page, target, file: path === "" ? page : normalize(join(dirname(page), path)), anchor };
    }),
);

it("finds the links", () => {
  expect(links.filter((l) => l.page === "README.md").length).toBeGreaterThan(20);
});

it("reaches a file with every relative link (pending Guides excepted, from the README only)", () => {
  const broken = links.filter((l) => !existsSync(l.file) && !(l.page === "README.md" && PENDING_GUIDES.has(l.file)));
  expect(broken).toEqual([]);
});

it("reaches a heading with every #anchor", () => {
  const broken = links.filter((l) => l.anchor !== undefined && existsSync(l.file) && l.file.endsWith(".md") && !anchorsOf(l.file).has(l.anchor));
  expect(broken).toEqual([]);
});

it("links every page in docs/ from the README", () => {
  const linked = new Set(links.filter((l) => l.page === "README.md").map((l) => l.file));
  const unlinked = readdirSync("docs").map((f) => `docs/${f}`).filter((f) => (f.endsWith(".md") || f.endsWith(".json")) && !linked.has(f));
  expect(unlinked).toEqual([]);
});
