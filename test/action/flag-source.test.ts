import { flagSchema } from "../../src/core/config/schema.js";
import { parseConfigText } from "../../src/core/config/parse-config.js";
import { resolveFlag } from "../../src/action/flag-source.js";
import type { LoadedConfig } from "../../src/workflows/load-config.js";
import { FakeIo } from "./fake-io.js";

const CONFIG = ".github/release-gate.yml";
function loaded(text: string): () => Promise<LoadedConfig> {
  return async () => {
    const parsed = parseConfigText({ file: CONFIG, text });
    return parsed.ok ? { ok: true, config: parsed.config, source: CONFIG } : { ok: false, problems: parsed.problems, source: CONFIG };
  };
}

describe("resolveFlag", () => {
  const input = flagSchema.parse({ provider: "flagd", path: "flags.json", key: "from-input" });
  const configText = "rollout:\n  flag:\n    provider: flagd\n    path: deploy/flags.json\n    key: new-checkout\n";

  it("takes the input when given and reads no config", async () => {
    let reads = 0;
    const io = new FakeIo();
    const sourced = await resolveFlag(input, async () => (reads++, loaded(configText)()), io);
    expect(sourced).toEqual({ flag: input, source: "input" });
    expect(reads).toBe(0);
  });

  it("falls back to rollout.flag of the repository's config, and says where it came from", async () => {
    const io = new FakeIo();
    const sourced = await resolveFlag(undefined, loaded(configText), io);
    expect(sourced).toMatchObject({ source: "config", flag: { provider: "flagd", path: "deploy/flags.json", key: "new-checkout" } });
    expect(io.log).toContain(`flag: new-checkout (flagd) from \`rollout.flag\` of ${CONFIG}`);
  });

  it("moves no flag when neither names one, and warns when the config cannot be read", async () => {
    expect(await resolveFlag(undefined, loaded("rollout:\n  environment: production\n"), new FakeIo())).toEqual({ flag: undefined, source: "none" });
    const io = new FakeIo();
    expect(await resolveFlag(undefined, loaded("rollout:\n  flag: { provider: flagd }\n"), io)).toEqual({ flag: undefined, source: "none" });
    expect(io.log.join("\n")).toMatch(/^warning: input `flag` is empty and the configuration could not be read \(.+\): no flag is moved by this stage$/m);
    const failing = new FakeIo();
    await resolveFlag(undefined, async () => Promise.reject(new Error("GitHub answered 502")), failing);
    expect(failing.log.join("\n")).toContain("could not be read (GitHub answered 502)");
  });
});
