import { flagSchema } from "../../src/core/config/schema.js";
import { createFlagDriver, flagStickiness } from "../../src/flags/index.js";

describe("createFlagDriver", () => {
  const ld = flagSchema.parse({ provider: "launchdarkly", project: "shop", key: "new-checkout", environment: "production", token: "${LD_ACCESS_TOKEN}" });

  it("reads the token from the variable the config names and masks it before any call", () => {
    const secrets: string[] = [];
    const driver = createFlagDriver(ld, { env: { LD_ACCESS_TOKEN: " api-123 " }, setSecret: (s) => secrets.push(s) });
    expect(driver).toMatchObject({ provider: "launchdarkly", key: "new-checkout" });
    expect(secrets).toEqual(["api-123"]);
  });

  it("fails early, naming the variable and how to set it, when the token is missing", () => {
    expect(() => createFlagDriver(ld, { env: {}, setSecret: () => undefined })).toThrow(
      'launchdarkly flag "new-checkout": the token variable LD_ACCESS_TOKEN is empty or not set: add it to the step\'s env from a secret, e.g. `LD_ACCESS_TOKEN: ${{ secrets.LD_ACCESS_TOKEN }}`',
    );
  });

  it("builds flagd without a token, and unleash with its token masked", () => {
    const flagd = flagSchema.parse({ provider: "flagd", path: "flags.json", key: "k" });
    expect(createFlagDriver(flagd, { env: {}, setSecret: () => undefined }).provider).toBe("flagd");
    const unleash = flagSchema.parse({ provider: "unleash", url: "http://127.0.0.1:4242", key: "k", environment: "production", token: "$UNLEASH_ADMIN" });
    const secrets: string[] = [];
    expect(createFlagDriver(unleash, { env: { UNLEASH_ADMIN: "*:*.abc" }, setSecret: (s) => secrets.push(s) })).toMatchObject({ provider: "unleash", key: "k" });
    expect(secrets).toEqual(["*:*.abc"]);
  });

  it("buckets by the configured attribute, else the provider's own default", () => {
    expect(flagStickiness(ld)).toBe("key");
    expect(flagStickiness({ ...ld, stickiness: "userId" })).toBe("userId");
    expect(flagStickiness(flagSchema.parse({ provider: "flagd", path: "f", key: "k" }))).toBe("targetingKey");
  });
});
