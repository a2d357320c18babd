import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { releaseFlagFromBody } from "../../../src/core/plan/release-flag.js";
import { PR_TEMPLATE } from "../../../src/core/plan/template.js";

const headings = defaultConfig().headings;
const flag = (section: string) => releaseFlagFromBody(`## Summary\nx\n\n## Release flag\n${section}\n`, headings);

describe("releaseFlagFromBody", () => {
  it.each([
    ["Flag: `new-checkout`", "new-checkout"],
    ["Guarded by the `checkout.v2` flag in LaunchDarkly", "checkout.v2"],
    ["Flag: new_checkout", "new_checkout"],
    ["- **payments-retry**", "payments-retry"],
    ["<!-- comment -->\nFlag: beta/search", "beta/search"],
  ])("reads %j as %s", (section, name) => {
    expect(flag(section)?.name).toBe(name);
  });

  it("gives the line of the flag", () => {
    expect(flag("Flag: `new-checkout`")).toEqual({ name: "new-checkout", line: 5 });
  });

  it.each(["Flag:", "Flag: none", "n/a", "We turn it on for everyone at once", "Flag: `has spaces in it`", ""])(
    "finds no flag in %j",
    (section) => {
      expect(flag(section)).toBeNull();
    },
  );

  it("finds no flag in the untouched template or without the section", () => {
    expect(releaseFlagFromBody(PR_TEMPLATE, headings)).toBeNull();
    expect(releaseFlagFromBody("## Rollback contract\nFlag: `x`", headings)).toBeNull();
    expect(releaseFlagFromBody(null, headings)).toBeNull();
  });

  it("reads a renamed heading and the alternatives", () => {
    expect(releaseFlagFromBody("### Feature flag\n`dark-mode`", headings)?.name).toBe("dark-mode");
    expect(releaseFlagFromBody("## Toggle\n`dark-mode`", { ...headings, flag: ["Toggle"] })?.name).toBe("dark-mode");
  });
});
