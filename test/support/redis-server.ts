// A throwaway `redis-server` (Debian package `redis-server`) on 127.0.0.1 and a free port, for the
// scale-out tests: no persistence, stopped after. `redisAvailable()` says why a test must skip.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./start-app.js";

export function redisAvailable(): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return { ok: false, reason: "redis-server is not installed (Debian package `redis-server`, listed in .ci/apt-packages)" };
  return { ok: true };
}

export interface RunningRedis {
  url: string;
  /** Keys matching a pattern (KEYS is fine on a test server). */
  keys(pattern: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (c: Buffer) => output.push(c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => output.push(c.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if (client.status !== "ready") await client.connect();
      if ((await client.ping()) === "PONG") break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`redis-server did not start on ${port}:\n${output.join("")}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    keys: (pattern) => client.keys(pattern),
    async stop() {
      client.disconnect();
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
