import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDevProxy, checkStartupEnv, environmentWithDotEnv } from "../../src/app/startup-env.js";

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

describe("checkDevProxy (npm run dev)", () => {
  const credentials = { APP_ID: "1", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----" };

  it("refuses credentials without a webhook proxy, saying how to make one", () => {
    const check = checkDevProxy(credentials);
    expect(check).toMatchObject({ ok: false, reason: "missing-webhook-proxy-url" });
    expect(check.ok === false && check.message).toBe(
      [
        "npm run dev: WEBHOOK_PROXY_URL is not set, so no webhook from GitHub can reach this machine.",
        "  1. Open https://smee.io/new and copy the channel's URL.",
        "  2. Add WEBHOOK_PROXY_URL=<that URL> to .env (or the environment).",
        "  3. Set the same URL as the Webhook URL in the GitHub App's settings (Settings → Developer settings → GitHub Apps → Release Gate).",
        "If GitHub reaches this machine directly (a tunnel, GitHub Enterprise Server on your network), run npm start instead.",
      ].join("\n"),
    );
    expect(checkDevProxy({ ...credentials, WEBHOOK_PROXY_URL: "  " }).ok).toBe(false);
    expect(checkDevProxy({ APP_ID: "1", PRIVATE_KEY_PATH: "key.pem" }).ok).toBe(false);
  });

  it("runs with a proxy, and lets Probot's setup flow run (it makes the channel) without credentials", () => {
    expect(checkDevProxy({ ...credentials, WEBHOOK_PROXY_URL: "https://smee.io/abc" })).toEqual({ ok: true, mode: "proxy" });
    expect(checkDevProxy({})).toEqual({ ok: true, mode: "setup" });
    expect(checkDevProxy({ APP_ID: "1" })).toEqual({ ok: true, mode: "setup" });
  });
});
