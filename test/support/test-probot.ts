// A Probot instance for in-process integration tests: a throwaway RSA key, retries and throttling off
// (the fault suite turns them on), logs silenced unless LOG_LEVEL asks for them.
import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import app from "../../src/app/index.js";

let privateKey: string | undefined;

export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

export async function createTestProbot(): Promise<Probot> {
  const probot = new Probot({
    appId: 123,
    privateKey: testPrivateKey(),
    logLevel: (process.env.LOG_LEVEL as "info" | undefined) ?? "fatal",
    // A function, not an object: Probot's own throttle options are merged over object defaults.
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  await probot.load(app);
  return probot;
}
