import { flagdState, rolloutTargeting, setFlagdRollout, turnFlagdOff } from "../../../src/core/flags/flagd-file.js";

const file = (flag: unknown) => JSON.stringify({ flags: { f: flag } });
const bool = { state: "ENABLED", variants: { on: true, off: false }, defaultVariant: "off" };

describe("the flagd file transform", () => {
  it("writes cohort rules first, then a sticky fractional split in thousandths of a point", () => {
    expect(
      rolloutTargeting(
        { cohorts: [{ name: "t", attribute: "tenantId", match: { kind: "equals", value: "t-7" } }], percent: 0.5, stickiness: "userId" },
        "on",
        "off",
      ),
    ).toEqual({
      if: [{ "==": [{ var: "tenantId" }, "t-7"] }, "on", { fractional: [{ cat: [{ var: "$flagd.flagKey" }, { var: "userId" }] }, ["on", 500], ["off", 99500]] }],
    });
  });

  it("reads back what it wrote, including an odd percent", () => {
    const edit = setFlagdRollout(file(bool), { key: "f" }, { cohorts: [], percent: 33.333, stickiness: "userId" });
    expect(edit.ok && edit.to).toEqual({ on: true, percent: 33.333, cohorts: [] });
    expect(edit.ok && flagdState(edit.text, { key: "f" })).toEqual({ ok: true, state: { on: true, percent: 33.333, cohorts: [] } });
    const off = turnFlagdOff(edit.ok ? edit.text : "", { key: "f" });
    expect(off.ok && [off.from, off.to]).toEqual([{ on: true, percent: 33.333, cohorts: [] }, { on: false }]);
    expect(off.ok && JSON.parse(off.text).flags.f).toEqual({ ...bool, targeting: {}, metadata: {} }); // it had metadata (the cohorts) before
    const plain = turnFlagdOff(file(bool), { key: "f" });
    expect(plain.ok && JSON.parse(plain.text).flags.f).toEqual({ ...bool, targeting: {} });
  });

  it("a flag on for all by its default variant reads as 100 %; someone else's rules read as on with no share", () => {
    expect(flagdState(file({ ...bool, defaultVariant: "on" }), { key: "f" })).toEqual({ ok: true, state: { on: true, percent: 100, cohorts: [] } });
    expect(flagdState(file({ ...bool, targeting: { if: [{ "==": [{ var: "x" }, "y"] }, "on", null] } }), { key: "f" })).toEqual({ ok: true, state: { on: true } });
  });

  it("refuses, with a reason code, what it cannot rewrite", () => {
    expect(setFlagdRollout("[", { key: "f" }, { cohorts: [], percent: 1, stickiness: "u" })).toMatchObject({ ok: false, reason: "not-json" });
    expect(setFlagdRollout(JSON.stringify({ flag: {} }), { key: "f" }, { cohorts: [], percent: 1, stickiness: "u" })).toMatchObject({ ok: false, reason: "not-flagd" });
    expect(turnFlagdOff(file(bool), { key: "g" })).toMatchObject({ ok: false, reason: "no-flag", message: "no flag with this key in the file (it has f)" });
    expect(turnFlagdOff(file(bool), { key: "f", onVariant: "yes" })).toMatchObject({ ok: false, reason: "no-variant", message: "its variants (on, off) have no `yes` (on-variant)" });
    expect(turnFlagdOff(file({ ...bool, variants: { a: true, b: true } }), { key: "f", offVariant: "a", onVariant: "a" })).toMatchObject({ ok: false, reason: "no-variant" });
    expect(turnFlagdOff(file({ ...bool, metadata: { releaseGateForeignTargeting: "{oops" } }), { key: "f" })).toMatchObject({ ok: false, reason: "not-flagd" });
  });
});
