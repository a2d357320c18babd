import { defaultConfig, parseConfigText } from "../../../src/core/config/parse-config.js";
import {
  assessFlagDebt,
  formatSpan,
  parseLifetime,
  planFlagType,
  readRemovalMarker,
  removalMarker,
  resolveFlagType,
  toEscalate,
  type RemovalIssue,
} from "../../../src/core/flags/flag-lifetime.js";
import { FLAG_TYPE_INFO, FLAG_TYPES, flagTypeIn, hasLifetime } from "../../../src/core/flags/flag-type.js";
import { releaseFlagFromBody, releaseFlagTypeFromBody } from "../../../src/core/plan/release-flag.js";

const DAY = 86_400_000;
const APP = { appId: 123 };
const NOW = Date.parse("2026-11-30T12:00:00Z");

function issue(number: number, createdAt: string, extra: Partial<RemovalIssue> = {}): RemovalIssue {
  return {
    number,
    url: `https://github.com/acme/shop/issues/${number}`,
    title: `Remove release flag flag-${number} (released in #${number - 100})`,
    body: removalMarker({ flag: `flag-${number}`, type: "release", release: number - 100 }),
    createdAt,
    labels: ["flag-removal"],
    author: { creator: "release-gate[bot]", viaApp: 123 },
    isPull: false,
    ...extra,
  };
}

const assess = (issues: RemovalIssue[], maxLifetime = "4w", now = NOW) =>
  assessFlagDebt(issues, { now, maxLifetime, overdueLabel: "flag-overdue", gate: [APP] });

describe("the flag types of seed 003", () => {
  it("gives release and experiment flags a lifetime, and ops and permission flags none", () => {
    expect(FLAG_TYPES.filter(hasLifetime)).toEqual(["release", "experiment"]);
    expect(FLAG_TYPE_INFO.ops.kept).toMatch(/kill switch/);
    expect(FLAG_TYPE_INFO.permission.kept).toMatch(/permanent/);
  });

  it.each([
    ["Type: ops", "ops"],
    ["- **Type:** experiment", "experiment"],
    ["Flag type: `permission`", "permission"],
    ["Flag: `kill-recs` (an ops flag, kept as a kill switch)", "ops"],
    ["This is an experiment flag for the button copy", "experiment"],
    ["type: operational", "ops"],
    ["Type: Release", "release"],
  ])("reads %j as %s", (line, type) => {
    expect(flagTypeIn(line)).toEqual({ kind: "type", type });
  });

  it("reports a Type: line naming no type, and finds none in plain lines", () => {
    expect(flagTypeIn("Type: forever")).toEqual({ kind: "unknown", word: "forever" });
    expect(flagTypeIn("Flag: `new-checkout`")).toBeNull();
    expect(flagTypeIn("Guarded by the `checkout.v2` flag in LaunchDarkly")).toBeNull();
  });

  it("reads the type from the plan's flag section, and never mistakes the Type: line for the flag's name", () => {
    const body = "## Release flag\nType: ops\nFlag: `kill-recs`\n";
    expect(releaseFlagFromBody(body, defaultConfig().headings)).toEqual({ name: "kill-recs", line: 3 });
    expect(releaseFlagTypeFromBody(body, defaultConfig().headings)).toEqual({ kind: "type", type: "ops", line: 2 });
    expect(releaseFlagTypeFromBody("## Release flag\nFlag: `new-checkout`\n", defaultConfig().headings)).toBeNull();
    // Outside the flag section a type word means nothing.
    expect(releaseFlagTypeFromBody("## Summary\nType: ops\n\n## Release flag\nFlag: `x`\n", defaultConfig().headings)).toBeNull();
  });

  it("resolves config patterns first, then the plan, then the default type", () => {
    const flags = { ...defaultConfig().flags, types: { "ops.*": "ops" as const, "tier-gold": "permission" as const } };
    expect(resolveFlagType("ops.cache", { kind: "type", type: "release", line: 4 }, flags)).toEqual({ type: "ops", source: "config", pattern: "ops.*" });
    expect(resolveFlagType("tier-gold", null, flags)).toEqual({ type: "permission", source: "config", pattern: "tier-gold" });
    expect(resolveFlagType("new-checkout", { kind: "type", type: "experiment", line: 4 }, flags)).toEqual({ type: "experiment", source: "plan", line: 4 });
    expect(resolveFlagType("new-checkout", { kind: "unknown", word: "forever", line: 4 }, flags)).toEqual({ type: "release", source: "default" });
    expect(resolveFlagType("new-checkout", null, { ...flags, "default-type": "experiment" })).toEqual({ type: "experiment", source: "default" });
  });
});

describe("config flags", () => {
  it("defaults to 4 weeks and the two labels", () => {
    expect(defaultConfig().flags).toEqual({ "max-lifetime": "4w", "default-type": "release", types: {}, "removal-label": "flag-removal", "overdue-label": "flag-overdue" });
  });

  it("takes weeks, days or hours, and refuses other units with the line", () => {
    const ok = parseConfigText({ file: ".github/release-gate.yml", text: "flags:\n  max-lifetime: 6w\n  types:\n    ops.*: ops\n" });
    expect(ok.ok && ok.config.flags["max-lifetime"]).toBe("6w");
    const bad = parseConfigText({ file: ".github/release-gate.yml", text: "flags:\n  max-lifetime: 2 sprints\n  types:\n    x: forever\n" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.map((p) => [p.line, p.key])).toEqual([
        [2, "flags.max-lifetime"],
        [4, "flags.types.x"],
      ]);
      expect(bad.problems[0]!.message).toMatch(/lifetime such as "4w"/);
    }
  });
});

describe("lifetime arithmetic", () => {
  it.each([
    ["4w", 28 * DAY],
    ["28d", 28 * DAY],
    ["36h", 1.5 * DAY],
    ["1.5w", 10.5 * DAY],
  ])("%s is %d ms", (text, ms) => {
    expect(parseLifetime(text)).toBe(ms);
  });

  it("refuses what is not a lifetime", () => {
    expect(parseLifetime("4")).toBeUndefined();
    expect(parseLifetime("30m")).toBeUndefined();
    expect(parseLifetime("2 sprints")).toBeUndefined();
  });

  it("says spans coarsely", () => {
    expect(formatSpan(5 * 7 * DAY + 2 * DAY)).toBe("5 weeks");
    expect(formatSpan(7 * DAY + 3 * DAY)).toBe("1 week 3 days");
    expect(formatSpan(14 * DAY)).toBe("2 weeks");
    expect(formatSpan(DAY)).toBe("1 day");
    expect(formatSpan(7 * 3_600_000)).toBe("7 hours");
    expect(formatSpan(60_000)).toBe("under an hour");
  });

  it("is overdue from the moment 100% plus the lifetime has passed, not a millisecond before", () => {
    const fullAt = NOW - 28 * DAY;
    const [exact] = assess([issue(201, new Date(fullAt).toISOString())]).flags;
    expect(exact).toMatchObject({ overdue: true, overdueByMs: 0, dueAt: new Date(NOW).toISOString() });
    const [early] = assess([issue(201, new Date(fullAt + 1).toISOString())]).flags;
    expect(early).toMatchObject({ overdue: false, overdueByMs: -1 });
  });

  it("orders the most overdue first and names each flag from its marker", () => {
    const debt = assess([
      issue(201, "2026-10-20T12:00:00Z"),
      issue(202, "2026-09-01T12:00:00Z", { labels: ["flag-removal", "Flag-Overdue"] }),
      issue(203, "2026-11-20T12:00:00Z"),
    ]);
    expect(debt.flags.map((f) => [f.flag, f.release, f.overdue, f.labelled])).toEqual([
      ["flag-202", 102, true, true],
      ["flag-201", 101, true, false],
      ["flag-203", 103, false, false],
    ]);
    expect(debt.overdue.map((f) => f.issue)).toEqual([202, 201]);
    expect(debt.flags[1]).toMatchObject({ fullAt: "2026-10-20T12:00:00.000Z", dueAt: "2026-11-17T12:00:00.000Z", overdueByMs: 13 * DAY });
    expect(toEscalate(debt, 5).map((f) => f.issue)).toEqual([201]);
    expect(toEscalate(assess([issue(1, "2026-01-01T00:00:00Z"), issue(2, "2026-01-02T00:00:00Z")]), 1).map((f) => f.issue)).toEqual([1]);
  });

  it("a longer lifetime moves the due date", () => {
    expect(assess([issue(201, "2026-10-20T12:00:00Z")], "6w").overdue).toEqual([]);
  });
});

describe("trust: only the gate's own removal issues count", () => {
  it("ignores issues a writer opened with the label, and pull requests carrying it", () => {
    const debt = assess([
      issue(201, "2026-01-01T00:00:00Z", { author: { creator: "mallory", viaApp: null } }),
      issue(202, "2026-01-01T00:00:00Z", { author: { creator: "other-app[bot]", viaApp: 999 } }),
      issue(203, "2026-01-01T00:00:00Z", { isPull: true }),
      issue(204, "2026-01-01T00:00:00Z"),
    ]);
    expect(debt.flags.map((f) => f.issue)).toEqual([204]);
    expect(debt.ignored).toEqual([
      { issue: 201, by: "mallory" },
      { issue: 202, by: "other-app[bot]" },
    ]);
  });

  it("in no-server mode trusts the workflow identity by login (its issues carry no app stamp)", () => {
    const debt = assessFlagDebt([issue(7, "2026-01-01T00:00:00Z", { author: { creator: "github-actions[bot]", viaApp: null } })], {
      now: NOW,
      maxLifetime: "4w",
      overdueLabel: "flag-overdue",
      gate: [{ appId: 15368, login: "github-actions[bot]" }],
    });
    expect(debt.overdue.map((f) => f.issue)).toEqual([7]);
  });

  it("an edited body cannot exempt a flag: the lifetime rests on the creator and created_at only", () => {
    const edited = issue(201, "2026-01-01T00:00:00Z", { body: removalMarker({ flag: "x", type: "ops", release: 1 }) });
    expect(assess([edited]).overdue).toEqual([expect.objectContaining({ issue: 201, flag: "x", type: "release" })]);
    const wiped = issue(202, "2026-01-01T00:00:00Z", { body: "nothing here", title: "renamed" });
    expect(assess([wiped]).overdue).toEqual([expect.objectContaining({ issue: 202, flag: null, release: null })]);
  });

  it("reads the name from the title the app wrote when the marker is gone (issues opened before the marker)", () => {
    const old = issue(201, "2026-01-01T00:00:00Z", { body: "", title: "Remove release flag new-checkout (released in #42)" });
    expect(assess([old]).flags[0]).toMatchObject({ flag: "new-checkout", release: 42 });
  });

  it("reads only well-formed markers", () => {
    expect(readRemovalMarker(removalMarker({ flag: "a.b", type: "experiment", release: 3 }))).toEqual({ flag: "a.b", type: "experiment", release: 3 });
    expect(readRemovalMarker('<!-- release-gate:flag-removal {"flag":"has space","type":"release","release":1} -->')).toBeNull();
    expect(readRemovalMarker('<!-- release-gate:flag-removal {"flag":"a","type":"forever","release":1} -->')).toBeNull();
    expect(readRemovalMarker('<!-- release-gate:flag-removal {"flag":"a","type":"release","release":-1} -->')).toBeNull();
    expect(readRemovalMarker("<!-- release-gate:flag-removal {not json} -->")).toBeNull();
    expect(readRemovalMarker(null)).toBeNull();
  });

  it("refuses a lifetime it cannot read rather than calling nothing overdue", () => {
    expect(() => assess([], "forever")).toThrow(/flags.max-lifetime/);
  });
});

describe("planFlagType", () => {
  it("takes the first line that states a type", () => {
    expect(planFlagType([{ line: 2, text: "Flag: `x`" }, { line: 3, text: "Type: permission" }, { line: 4, text: "Type: ops" }])).toEqual({ kind: "type", type: "permission", line: 3 });
  });
});
