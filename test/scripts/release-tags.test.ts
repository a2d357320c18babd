// The release script (.github/scripts/release-tags.sh, run by .github/workflows/release.yml) in a
// scratch repository with a bare "origin": it tags vX.Y.Z, moves vX forward and never backwards, and
// refuses what would make a tag lie (an existing tag, no CHANGELOG section, uncommitted changes).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const script = resolve(".github/scripts/release-tags.sh");
let dir: string;
let work: string;
let origin: string;

const git = (...args: string[]) => execFileSync("git", args, { cwd: work, encoding: "utf8" }).trim();

function commitVersion(version: string, changelog = `# Changelog\n\n## [${version}]\n- something\n`) {
  writeFileSync(join(work, "package.json"), JSON.stringify({ name: "x", version }));
  writeFileSync(join(work, "CHANGELOG.md"), changelog);
  git("add", "-A");
  git("commit", "-qm", `version ${version}`);
  return git("rev-parse", "HEAD");
}

function release() {
  const run = spawnSync("bash", [script, "--push", "origin"], { cwd: work, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const remoteTag = (tag: string) => execFileSync("git", ["rev-parse", `${tag}^{commit}`], { cwd: origin, encoding: "utf8" }).trim();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "release-tags-"));
  work = join(dir, "work");
  origin = join(dir, "origin.git");
  execFileSync("git", ["init", "-q", "--bare", origin]);
  execFileSync("git", ["init", "-q", work]);
  git("config", "user.name", "t");
  git("config", "user.email", "t@example.com");
  git("remote", "add", "origin", origin);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("tags vX.Y.Z, moves vX to each newer release of the line, and leaves the older tag in place", () => {
  const first = commitVersion("1.2.0");
  expect(release()).toMatchObject({ status: 0 });
  expect([remoteTag("v1.2.0"), remoteTag("v1")]).toEqual([first, first]);

  const second = commitVersion("1.3.0");
  expect(release()).toMatchObject({ status: 0 });
  expect([remoteTag("v1.2.0"), remoteTag("v1.3.0"), remoteTag("v1")]).toEqual([first, second, second]);

  const major = commitVersion("2.0.0");
  expect(release()).toMatchObject({ status: 0 });
  expect([remoteTag("v1"), remoteTag("v2"), remoteTag("v2.0.0")]).toEqual([second, major, major]);
});

it("refuses a version that is tagged already, here or on the remote", () => {
  commitVersion("1.0.0");
  expect(release().status).toBe(0);
  commitVersion("1.0.0", "# Changelog\n\n## [1.0.0]\n- again\n");
  expect(release()).toEqual({ status: 1, output: "release: v1.0.0 exists already; raise the version in package.json\n" });
});

it("refuses to move vX backwards", () => {
  commitVersion("1.4.0");
  expect(release().status).toBe(0);
  commitVersion("1.3.9");
  expect(release()).toEqual({ status: 1, output: "release: v1.3.9 is older than v1.4.0; v1 would move backwards\n" });
});

it("refuses a version CHANGELOG.md does not describe", () => {
  commitVersion("1.1.0", "# Changelog\n\n## [1.0.0]\n- old\n## [1x1x0]\n");
  expect(release()).toEqual({ status: 1, output: "release: CHANGELOG.md has no '## [1.1.0]' section; say what changed before releasing\n" });
});

it("refuses uncommitted changes and versions that are not X.Y.Z", () => {
  commitVersion("1.0.0");
  writeFileSync(join(work, "CHANGELOG.md"), "edited");
  expect(release()).toEqual({ status: 1, output: "release: the working tree has uncommitted changes; release a commit\n" });
  git("checkout", "--", "CHANGELOG.md");
  commitVersion("1.0.0-rc.1");
  expect(release().output).toBe("release: package.json version '1.0.0-rc.1' is not X.Y.Z (a release takes a plain version; pre-releases are not tagged)\n");
  expect(execFileSync("git", ["tag"], { cwd: origin, encoding: "utf8" })).toBe("");
});
