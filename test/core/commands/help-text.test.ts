import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { helpText } from "../../../src/core/commands/help-text.js";
import { VERBS } from "../../../src/core/commands/types.js";
import { liveMarkdown, normalise, visibleText } from "../../support/markdown-oracle.js";

describe("helpText", () => {
  it("lists every verb with the role it needs under the config", () => {
    const text = helpText(defaultConfig());
    for (const verb of VERBS) expect(text).toContain(`\`/release ${verb}`);
    expect(text).toContain("| write; maintain for the last stage |");
    expect(text).toContain("canary (1%) → 10-percent (10%) → 50-percent (50%) → full (100%)");
  });

  it("follows a stricter configured permission and escapes stage names", () => {
    const config = defaultConfig();
    config.commands = { permission: "maintain", "final-stage-permission": "maintain" };
    config.rollout.stages = [{ name: "@team <b>", percent: 100, observe: "1h" }];
    const text = helpText(config);
    expect(text).toMatch(/`\/release advance \[stage\]` \| [^|]+ \| maintain \|/);
    // As a reader sees it (markdown-it): the name in full, no mention, no HTML.
    expect(normalise(visibleText(text))).toContain("Stages: @team <b> (100%).");
    expect(liveMarkdown(text)).toMatchObject({ html: [], autolinks: [] });
  });
});
