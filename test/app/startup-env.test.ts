import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkStartupEnv, environmentWithDotEnv } from "../../src/app/startup-env.js";

describe("checkStartupEnv", () => {
  it.each([
    ["unset", {}],
    ["empty", { WEBHOOK_SECRET: "" }],
    ["blank", { WEBHOOK_SECRET: "  " }],
  ])("refuses production with the secret %s", (_name, env) => {
    const check = checkStartupEnv({ NODE_ENV: "production", ...env });
    expect(check).toMatchObject({ ok: false, reason: "missing-webhook-secret" });
    expect(check.ok === false && check.message).toMatch(/WEBHOOK_SECRET/);
  });

  it("refuses Probot's public development secret in production", () => {
    expect(checkStartupEnv({ NODE_ENV: "production", WEBHOOK_SECRET: "development" })).toMatchObject({ ok: false, reason: "public-webhook-secret" });
  });

  it("accepts production with a secret, and any start outside production", () => {
    expect(checkStartupEnv({ NODE_ENV: "production", WEBHOOK_SECRET: "s3cr3t" })).toEqual({ ok: true });
    expect(checkStartupEnv({})).toEqual({ ok: true });
    expect(checkStartupEnv({ NODE_ENV: "development" })).toEqual({ ok: true });
  });
});

describe("environmentWithDotEnv", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "release-gate-env-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("sees a WEBHOOK_SECRET that only .env sets, as Probot's run will", () => {
    const dir = tempDir();
    writeFileSync(join(dir, ".env"), "WEBHOOK_SECRET=from-dotenv\n");
    const env = environmentWithDotEnv({ NODE_ENV: "production" }, dir);
    expect(env.WEBHOOK_SECRET).toBe("from-dotenv");
    expect(checkStartupEnv(env)).toEqual({ ok: true });
  });

  it("is the process environment when there is no .env", () => {
    const dir = tempDir();
    expect(environmentWithDotEnv({ NODE_ENV: "production" }, dir)).toEqual({ NODE_ENV: "production" });
  });
});
