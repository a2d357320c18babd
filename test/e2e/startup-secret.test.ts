// End to end: `npm start` in production refuses to run without a webhook secret, instead of silently
// accepting deliveries signed with Probot's public development secret.
import { spawn } from "node:child_process";
import { freePort } from "../support/start-app.js";
import { testPrivateKey } from "../support/test-probot.js";

interface Outcome {
  /** Exit code, or "listening" when the process served /ping instead of exiting. */
  result: number | "listening";
  output: string;
}

async function startWithout(env: Record<string, string>): Promise<Outcome> {
  const port = await freePort();
  const child = spawn("npm", ["start", "--silent"], {
    cwd: process.cwd(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: "127.0.0.1", APP_ID: "123", PRIVATE_KEY: testPrivateKey(), LOG_FORMAT: "json", ...env },
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString("utf8")));
  const exited = new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : -1))));
  let done = false;
  void exited.then(() => (done = true));
  const listening = (async () => {
    for (const deadline = Date.now() + 60_000; !done && Date.now() < deadline; ) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/ping`)).ok) return "listening" as const;
      } catch {
        // not listening (yet)
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return done ? ("exited" as const) : ("listening-timeout" as const);
  })();
  const first = await Promise.race([exited, listening]);
  done = true;
  if (first === "listening" || first === "listening-timeout") {
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    return { result: "listening", output };
  }
  return { result: first === "exited" ? await exited : first, output };
}

it("refuses to start with NODE_ENV=production and no WEBHOOK_SECRET, naming the variable", async () => {
  const { result, output } = await startWithout({ NODE_ENV: "production" });
  expect(result).not.toBe("listening");
  expect(result).not.toBe(0);
  expect(output).toMatch(/WEBHOOK_SECRET is not set/);
}, 90_000);

it("refuses Probot's public development secret in production too", async () => {
  const { result, output } = await startWithout({ NODE_ENV: "production", WEBHOOK_SECRET: "development" });
  expect(result).not.toBe("listening");
  expect(result).not.toBe(0);
  expect(output).toMatch(/WEBHOOK_SECRET is Probot's public development secret/);
}, 90_000);

it("still starts without a secret outside production (local development with Probot's defaults)", async () => {
  const { result } = await startWithout({ NODE_ENV: "development" });
  expect(result).toBe("listening");
}, 90_000);
