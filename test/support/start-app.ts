// Starts the real app (`npm start`, i.e. `probot run`) as a child process on 127.0.0.1, pointed at a
// fake GitHub through GHE_HOST/GHE_PROTOCOL, and sends it HMAC-signed webhooks over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { testPrivateKey } from "./test-probot.js";

export const WEBHOOK_SECRET = "e2e-webhook-secret";

export interface RunningApp {
  port: number;
  pid: number;
  logs: string[];
  /** POSTs a signed delivery; returns the HTTP status. */
  send(event: string, payload: unknown, options?: { id?: string; secret?: string; signature?: string | null; rawBody?: string }): Promise<number>;
  /** Graceful stop (SIGTERM to the process group). */
  stop(): Promise<void>;
  /** Hard kill (SIGKILL), as a crash would. */
  kill9(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function sign(body: string, secret = WEBHOOK_SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface StartOptions {
  githubPort: number;
  /** Added to (or, with undefined, removed from) the default environment below. */
  env?: Record<string, string | undefined>;
  /** The directory `npm start` runs in (its `.env` and `app.yml`); default the repository. */
  cwd?: string;
  /** Command to run instead of `npm start` (benchmarks run a bare app the same way). */
  command?: string[];
  appId?: string;
}

export async function startApp(options: StartOptions): Promise<RunningApp> {
  const port = await freePort();
  const [cmd, ...args] = options.command ?? ["npm", "start", "--silent"];
  const child: ChildProcess = spawn(cmd!, args, {
    cwd: options.cwd ?? process.cwd(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      APP_ID: options.appId ?? "123",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      GHE_HOST: `127.0.0.1:${options.githubPort}`,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      ...options.env,
    },
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString("utf8").split("\n").filter(Boolean));
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  await waitUntilListening(port, exited, logs);

  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, sig);
    } catch {
      return;
    }
    await exited;
  };

  return {
    port,
    pid: child.pid!,
    logs,
    async send(event, payload, opts = {}) {
      const body = opts.rawBody ?? JSON.stringify(payload);
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": opts.id ?? randomUUID(),
        "user-agent": "GitHub-Hookshot/e2e",
      };
      const signature = opts.signature === undefined ? sign(opts.rawBody ?? body, opts.secret) : opts.signature;
      if (signature !== null) headers["x-hub-signature-256"] = signature;
      const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, { method: "POST", headers, body });
      await response.arrayBuffer();
      return response.status;
    },
    stop: () => signal("SIGTERM"),
    kill9: () => signal("SIGKILL"),
  };
}

async function waitUntilListening(port: number, exited: Promise<number | null>, logs: string[]): Promise<void> {
  let done = false;
  const deadline = Date.now() + 60_000;
  const exitedEarly = exited.then((code) => {
    if (!done) throw new Error(`app exited with ${code} before listening:\n${logs.slice(-30).join("\n")}`);
  });
  const poll = (async () => {
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/ping`);
        await res.arrayBuffer();
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`app did not listen on ${port} within 60 s:\n${logs.slice(-30).join("\n")}`);
  })();
  try {
    await Promise.race([poll, exitedEarly]);
  } finally {
    done = true;
  }
}

/** Polls until `check` returns a value, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
